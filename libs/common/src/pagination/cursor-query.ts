import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { decodeCursor } from './page';

/**
 * Newest first, keyset-paged on (created_at, id): stable under concurrent inserts and served
 * by an index on (created_at DESC, id DESC). Fetches one extra row to know whether there is
 * a next page.
 */
export function pageNewestFirst<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  limit: number,
  cursor?: string,
): SelectQueryBuilder<T> {
  if (cursor) {
    const pos = decodeCursor(cursor);
    qb.andWhere(`(${alias}.created_at, ${alias}.id) < (:cursorAt, :cursorId)`, {
      cursorAt: pos.createdAt,
      cursorId: pos.id,
    });
  }
  return qb.orderBy(`${alias}.created_at`, 'DESC').addOrderBy(`${alias}.id`, 'DESC').limit(limit + 1);
}
