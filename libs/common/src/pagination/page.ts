import { AppException } from '../errors/app.exception';

/** One page of a newest-first list; the envelope renders it as `data` + `next_cursor`. */
export class Page<T> {
  constructor(
    readonly data: T[],
    readonly nextCursor: string | null,
  ) {}
}

export interface CursorPosition {
  createdAt: Date;
  id: string;
}

/** Cursors are opaque to callers: base64url of the last row's time and id. */
export function encodeCursor(pos: CursorPosition): string {
  return Buffer.from(`${pos.createdAt.toISOString()}|${pos.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const [iso, id] = text.split('|');
  const createdAt = new Date(iso ?? '');
  const year = createdAt.getUTCFullYear();
  if (!id || Number.isNaN(createdAt.getTime()) || year < 1970 || year > 9999 || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw new AppException('VALIDATION_FAILED', 'cursor is not a cursor this API returned', [
      { field: 'cursor', message: 'invalid cursor' },
    ]);
  }
  return { createdAt, id };
}

/**
 * Builds a page from rows fetched with `limit + 1`: the extra row only tells that there is a
 * next page.
 */
export function toPage<R extends { id: string; createdAt: Date }, T>(
  rows: R[],
  limit: number,
  render: (row: R) => T,
): Page<T> {
  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  const next = rows.length > limit && last ? encodeCursor(last) : null;
  return new Page(pageRows.map(render), next);
}
