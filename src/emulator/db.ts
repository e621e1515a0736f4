/**
 * Emulator internals: opens the SQLite database (file or `:memory:`), applies the migrations,
 * registers the SQL functions used by filters, and caches prepared statements by SQL text.
 */
import Database from 'better-sqlite3';
import { DATA_TABLES, migrate } from './migrations.js';
import { searchMatches } from './search.js';

export type Row = Record<string, unknown>;

export class Store {
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(path: string) {
    this.db = new Database(path);
    if (path !== ':memory:' && path !== '') {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
    }
    this.db.pragma('cache_size = -65536');
    this.db.function('kili_search', { deterministic: true }, (q, json) =>
      searchMatches(String(q), String(json ?? '{}')),
    );
    // Numbers, or numeric strings, as numbers (metadata ranges); anything else is NULL.
    this.db.function('kili_num', { deterministic: true }, (v) => {
      if (typeof v === 'number' || typeof v === 'bigint') return v;
      if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
      return null;
    });
    migrate(this.db);
  }

  /** A prepared statement, cached by its SQL text. */
  stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      if (this.statements.size > 2000) this.statements.clear();
      this.statements.set(sql, s);
    }
    return s;
  }

  all<T = Row>(sql: string, ...params: unknown[]): T[] {
    return this.stmt(sql).all(...params) as T[];
  }

  get<T = Row>(sql: string, ...params: unknown[]): T | undefined {
    return this.stmt(sql).get(...params) as T | undefined;
  }

  run(sql: string, ...params: unknown[]): Database.RunResult {
    return this.stmt(sql).run(...params);
  }

  /** Runs `fn` in a transaction (a savepoint when nested); throws roll it back. */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  getMeta(key: string): string | null {
    return this.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', key)?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value', key, value);
  }

  /** Deletes every row of every data table. */
  wipe(): void {
    this.tx(() => {
      for (const t of DATA_TABLES) this.db.exec(`DELETE FROM ${t}`);
    });
  }

  isEmpty(): boolean {
    return this.get('SELECT 1 AS x FROM users LIMIT 1') === undefined;
  }

  close(): void {
    this.db.close();
  }
}
