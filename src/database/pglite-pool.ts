import { EventEmitter } from 'node:events';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';

type QueryCallback = (err: Error | null, result?: unknown) => void;
type Release = (err?: unknown) => void;

/**
 * A node-postgres-shaped pool over one embedded PGlite database, for TypeORM's postgres
 * driver.
 *
 * PGlite has exactly one session. If two query runners shared it, their transactions would
 * interleave and one would silently lose rows, so this pool is a pool of one: `connect()`
 * hands the session to one query runner at a time and queues the rest until it is released.
 * Consequence for our code: inside a transaction, use the transaction's manager only — a
 * second connection requested while holding the first would wait forever.
 */
export function createPGliteDriver(dataDir: string): { Pool: new () => EventEmitter } {
  const lock = dataDir.startsWith('memory://') ? undefined : new DataDirLock(resolve(dataDir));
  let instance: Promise<PGlite> | undefined;

  const open = (): Promise<PGlite> => {
    if (!instance) {
      lock?.acquire();
      instance = PGlite.create({
        dataDir: lock ? join(resolve(dataDir), 'pgdata') : dataDir,
        // TypeORM passes JS booleans; render them as PostgreSQL does.
        serializers: { [types.BOOL]: (v: unknown) => (v === true || v === 'true' || v === 1 ? 't' : 'f') },
      });
      instance.catch(() => lock?.release());
    }
    return instance;
  };

  const run = async (db: PGlite, sql: string, params?: unknown[]) => {
    if (params && params.length) return db.query(sql, params);
    // Parameterless text may hold several statements (migrations); TypeORM wants the last result.
    const results = await db.exec(sql);
    return results[results.length - 1] ?? { rows: [], rowCount: 0 };
  };

  class Connection extends EventEmitter {
    constructor(private readonly db: PGlite) {
      super();
    }

    query(sql: string, params?: unknown[] | QueryCallback, callback?: QueryCallback): Promise<unknown> {
      const cb = typeof params === 'function' ? params : callback;
      const values = typeof params === 'function' ? undefined : params;
      const promise = run(this.db, sql, values);
      if (cb) promise.then((r) => cb(null, r), (e: Error) => cb(e));
      return promise;
    }
  }

  class Pool extends EventEmitter {
    private busy = false;
    private readonly waiting: Array<() => void> = [];

    connect(callback: (err: Error | null, connection?: Connection, release?: Release) => void): void {
      this.acquire().then(async () => {
        let released = false;
        const release: Release = () => {
          if (released) return;
          released = true;
          this.handOver();
        };
        try {
          callback(null, new Connection(await open()), release);
        } catch (err) {
          release();
          callback(err as Error);
        }
      });
    }

    query(sql: string, params?: unknown[] | QueryCallback, callback?: QueryCallback): Promise<unknown> {
      return new Promise((resolvePromise, reject) => {
        this.connect((err, connection, release) => {
          if (err || !connection || !release) return reject(err);
          connection
            .query(sql, typeof params === 'function' ? undefined : params)
            .then(resolvePromise, reject)
            .finally(release);
        });
      }).then(
        (r) => {
          const cb = typeof params === 'function' ? params : callback;
          cb?.(null, r);
          return r;
        },
        (e: Error) => {
          const cb = typeof params === 'function' ? params : callback;
          cb?.(e);
          throw e;
        },
      );
    }

    end(callback?: (err?: Error | null) => void): void {
      const closing = instance ? instance.then((db) => db.close()) : Promise.resolve();
      instance = undefined;
      closing.then(
        () => {
          lock?.release();
          callback?.(null);
        },
        (err: Error) => {
          lock?.release();
          callback?.(err);
        },
      );
    }

    private acquire(): Promise<void> {
      if (!this.busy) {
        this.busy = true;
        return Promise.resolve();
      }
      return new Promise((resolveTurn) => this.waiting.push(resolveTurn));
    }

    private handOver(): void {
      const next = this.waiting.shift();
      if (next) next();
      else this.busy = false;
    }
  }

  return { Pool };
}

/**
 * PGlite keeps no lock of its own: two processes opening one data directory would corrupt
 * it. A pid file refuses the second one (a gateway and the CLI, or two `npm start`s).
 */
class DataDirLock {
  private readonly file: string;
  private held = false;

  constructor(private readonly dir: string) {
    this.file = join(dir, 'gateway.pid');
  }

  acquire(): void {
    mkdirSync(this.dir, { recursive: true });
    const owner = this.currentOwner();
    if (owner && owner !== process.pid) {
      throw new Error(
        `The embedded database in ${this.dir} is in use by process ${owner}. Stop that process first ` +
          '(the embedded database serves one process), or point DATABASE_URL at PostgreSQL.',
      );
    }
    writeFileSync(this.file, String(process.pid));
    this.held = true;
  }

  release(): void {
    if (this.held && this.currentOwner() === process.pid) rmSync(this.file, { force: true });
    this.held = false;
  }

  private currentOwner(): number | undefined {
    try {
      const pid = Number(readFileSync(this.file, 'utf8'));
      if (!Number.isInteger(pid) || pid <= 0) return undefined;
      process.kill(pid, 0);
      return pid;
    } catch {
      return undefined;
    }
  }
}
