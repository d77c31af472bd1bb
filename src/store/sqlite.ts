// The store in SQLite (better-sqlite3): one file, WAL mode so readers never block the writer,
// schema migrations versioned here and applied at open.

import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { readState, type ConversationState, type ConversationStore } from '../shared/conversation.js';
import { auditFromRow, feedbackFromRow } from './rows.js';
import type { AuditRow, EventDedupe, Expired, FeedbackInput, FeedbackLink, FeedbackRow, Purged, Store } from './types.js';

/** Each migration runs once, in order, inside a transaction; `user_version` records how far. */
export const MIGRATIONS: string[] = [
  `CREATE TABLE conversations (
     key TEXT PRIMARY KEY,
     state TEXT NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE INDEX conversations_updated ON conversations (updated_at);
   CREATE TABLE events (
     id TEXT PRIMARY KEY,
     done INTEGER NOT NULL,
     at INTEGER NOT NULL
   );
   CREATE INDEX events_at ON events (at);
   CREATE TABLE audit (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at TEXT NOT NULL,
     platform TEXT NOT NULL,
     user_hash TEXT NOT NULL,
     channel TEXT NOT NULL,
     question TEXT NOT NULL,
     intent TEXT NOT NULL,
     confidence REAL NOT NULL,
     guidance TEXT NOT NULL,
     codes TEXT NOT NULL,
     answered INTEGER NOT NULL,
     latency_ms REAL NOT NULL,
     knowledge_hash TEXT NOT NULL
   );
   CREATE INDEX audit_at ON audit (at);
   CREATE INDEX audit_conversation ON audit (platform, channel, id);
   CREATE TABLE feedback (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at TEXT NOT NULL,
     audit_id INTEGER REFERENCES audit (id) ON DELETE SET NULL,
     platform TEXT NOT NULL,
     channel TEXT NOT NULL,
     user_hash TEXT NOT NULL,
     helpful INTEGER NOT NULL,
     intent TEXT NOT NULL,
     guidance TEXT NOT NULL
   );
   CREATE INDEX feedback_at ON feedback (at);`,
  // 2: a salt for hashing user ids, made once per database so hashes stay comparable over time.
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   INSERT INTO meta (key, value) VALUES ('user_salt', lower(hex(randomblob(16))));`,
  // 3: each answer's reference, so feedback is credited to the answer whose button was pressed.
  `ALTER TABLE audit ADD COLUMN ref TEXT;
   CREATE INDEX audit_ref ON audit (ref);`,
];

/** Why a database cannot be used, in words an admin can act on; names the path. */
export class StoreOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreOpenError';
  }
}

const writable = (p: string) => {
  try {
    accessSync(p, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Make sure the database's folder exists and can be written, without ever hanging: Node's
 * recursive mkdir loops forever under /proc, and such places cannot hold a database anyway.
 */
function prepareFolder(file: string): void {
  const abs = path.resolve(file);
  if (/^\/(?:proc|sys|dev)(?:\/|$)/.test(abs)) throw new StoreOpenError(`${abs}: /proc, /sys and /dev cannot hold a database; choose a folder on a disk`);
  let dir = path.dirname(abs);
  const missing: string[] = [];
  while (!existsSync(dir)) {
    missing.unshift(dir);
    dir = path.dirname(dir);
  }
  if (!statSync(dir).isDirectory()) throw new StoreOpenError(`${dir} is a file, not a folder, so ${abs} cannot be created`);
  for (const m of missing) {
    try {
      mkdirSync(m);
    } catch (err) {
      throw new StoreOpenError(`cannot create the folder ${m} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  const folder = path.dirname(abs);
  if (existsSync(abs) && statSync(abs).isDirectory()) throw new StoreOpenError(`${abs} is a folder, not a database file`);
  if (existsSync(abs) && !writable(abs)) throw new StoreOpenError(`${abs}: the database file is read-only (make it writable by this user)`);
  // SQLite's WAL mode writes -wal and -shm files beside the database.
  if (!writable(folder)) throw new StoreOpenError(`${folder}: the folder is read-only, and SQLite needs to write beside ${path.basename(abs)}`);
}

export interface SqliteOptions {
  /** How long a write waits for another process's lock before failing (the answer goes out anyway). */
  busyTimeoutMs?: number;
  /** Conversation state expires after this much idle time. */
  stateTtlMs?: number;
  eventTtlMs?: number;
  now?: () => number;
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly conversations: ConversationStore;
  readonly events: EventDedupe;
  private readonly db: Database.Database;
  private readonly insertAudit: Database.Statement;
  private readonly insertFeedback: Database.Statement;
  private readonly lastAudit: Database.Statement;
  private readonly byRef: Database.Statement;
  private readonly expireStates: () => number;
  private readonly expireEvents: () => number;
  private readonly probe: Database.Statement;

  constructor(
    readonly file: string,
    opts: SqliteOptions = {},
  ) {
    if (file !== ':memory:') prepareFolder(file);
    try {
      this.db = new Database(file);
    } catch (err) {
      throw new StoreOpenError(`${path.resolve(file)}: cannot open the database (${(err as Error).message})`);
    }
    try {
      this.db.pragma('journal_mode = WAL');
      // Another process writing (a second instance) makes us wait, not fail.
      this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
      this.migrate();
    } catch (err) {
      throw this.unusable(err);
    }
    const now = opts.now ?? Date.now;
    const stateTtl = opts.stateTtlMs ?? 24 * 60 * 60 * 1000;
    const eventTtl = opts.eventTtlMs ?? 10 * 60 * 1000;
    const db = this.db;

    const getState = db.prepare('SELECT state, updated_at FROM conversations WHERE key = ?');
    const putState = db.prepare('INSERT INTO conversations (key, state, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at');
    const dropState = db.prepare('DELETE FROM conversations WHERE key = ?');
    this.conversations = {
      async get(key: string): Promise<ConversationState | undefined> {
        const row = getState.get(key) as { state: string; updated_at: number } | undefined;
        if (!row) return undefined;
        if (now() - row.updated_at > stateTtl) {
          dropState.run(key);
          return undefined;
        }
        try {
          return readState(JSON.parse(row.state));
        } catch {
          return undefined;
        }
      },
      async set(key: string, state: ConversationState): Promise<void> {
        putState.run(key, JSON.stringify(state), now());
      },
    };

    const claim = db.prepare('INSERT INTO events (id, done, at) VALUES (?, 0, ?) ON CONFLICT (id) DO UPDATE SET done = 0, at = excluded.at WHERE events.at < ?');
    const done = db.prepare('UPDATE events SET done = 1, at = ? WHERE id = ?');
    const release = db.prepare('DELETE FROM events WHERE id = ?');
    this.events = {
      // One statement: set-if-absent (or expired), atomic across processes sharing the file.
      claim: async (id) => claim.run(id, now(), now() - eventTtl).changes === 1,
      done: async (id) => void done.run(now(), id),
      release: async (id) => void release.run(id),
    };

    this.insertAudit = db.prepare(
      `INSERT INTO audit (at, platform, user_hash, channel, question, intent, confidence, guidance, codes, answered, latency_ms, knowledge_hash, ref)
       VALUES (@at, @platform, @userHash, @channel, @question, @intent, @confidence, @guidance, @codes, @answered, @latencyMs, @knowledgeHash, @ref)`,
    );
    this.insertFeedback = db.prepare(
      `INSERT INTO feedback (at, audit_id, platform, channel, user_hash, helpful, intent, guidance)
       VALUES (@at, @auditId, @platform, @channel, @userHash, @helpful, @intent, @guidance)`,
    );
    this.lastAudit = db.prepare('SELECT id, intent, guidance FROM audit WHERE platform = ? AND channel = ? ORDER BY id DESC LIMIT 1');
    this.byRef = db.prepare('SELECT id, intent, guidance FROM audit WHERE ref = ? AND platform = ? ORDER BY id DESC LIMIT 1');
    const expireStates = db.prepare('DELETE FROM conversations WHERE updated_at < ?');
    const expireEvents = db.prepare('DELETE FROM events WHERE at < ?');
    this.expireStates = () => expireStates.run(now() - stateTtl).changes;
    this.expireEvents = () => expireEvents.run(now() - eventTtl).changes;
    // A real write for readiness: a database that opens but cannot be written is not ready.
    this.probe = db.prepare("INSERT INTO meta (key, value) VALUES ('ready_probe', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    try {
      this.ping();
    } catch (err) {
      throw this.unusable(err);
    }
  }

  /** Close, and say why the database cannot be used: the file, or the folder beside it. */
  private unusable(err: unknown): StoreOpenError {
    this.db.close();
    const e = err as Error & { code?: string };
    const abs = path.resolve(this.file);
    if (e.code?.startsWith('SQLITE_READONLY') || e.code === 'SQLITE_CANTOPEN') {
      return new StoreOpenError(
        writable(path.dirname(abs))
          ? `${abs}: the database file is read-only (cannot write to it: ${e.message})`
          : `${path.dirname(abs)}: the folder is read-only (cannot write beside the database: ${e.message})`,
      );
    }
    return new StoreOpenError(`${abs}: cannot write to the database (${e.message})`);
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      }).immediate();
    }
  }

  /** The per-database salt for user id hashes. */
  salt(): string {
    return (this.db.prepare("SELECT value FROM meta WHERE key = 'user_salt'").get() as { value: string }).value;
  }

  /** Readiness for /readyz: one small write, which throws when the database cannot take one. */
  async ping(): Promise<boolean> {
    return this.probe.run(String(Date.now())).changes === 1;
  }

  async expire(): Promise<Expired> {
    return { conversations: this.expireStates(), events: this.expireEvents() };
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  async audit(row: AuditRow): Promise<number> {
    const r = this.insertAudit.run({
      ...row,
      guidance: JSON.stringify(row.guidance),
      codes: JSON.stringify(row.codes),
      answered: row.answered ? 1 : 0,
      ref: row.ref ?? null,
    });
    return Number(r.lastInsertRowid);
  }

  async feedback(row: FeedbackInput): Promise<FeedbackLink> {
    type Found = { id: number; intent: string; guidance: string } | undefined;
    const last = ((row.ref ? this.byRef.get(row.ref, row.platform) : undefined) as Found) ?? (this.lastAudit.get(row.platform, row.channel) as Found);
    const link = { auditId: last?.id ?? null, intent: last?.intent ?? 'unknown', guidance: last ? (JSON.parse(last.guidance) as string[]) : [] };
    const { ref: _ref, ...fields } = row;
    this.insertFeedback.run({ ...fields, auditId: link.auditId, helpful: row.helpful ? 1 : 0, intent: link.intent, guidance: JSON.stringify(link.guidance) });
    return link;
  }

  async purge(before: Date): Promise<Purged> {
    const iso = before.toISOString();
    const ms = before.getTime();
    return this.db.transaction(() => ({
      feedback: this.db.prepare('DELETE FROM feedback WHERE at < ?').run(iso).changes,
      audit: this.db.prepare('DELETE FROM audit WHERE at < ?').run(iso).changes,
      conversations: this.db.prepare('DELETE FROM conversations WHERE updated_at < ?').run(ms).changes,
      events: this.db.prepare('DELETE FROM events WHERE at < ?').run(ms).changes,
    }))();
  }

  async auditRows(since: Date): Promise<Array<AuditRow & { id: number }>> {
    return (this.db.prepare('SELECT * FROM audit WHERE at >= ? ORDER BY id').all(since.toISOString()) as Array<Record<string, unknown>>).map(auditFromRow);
  }

  async feedbackRows(since: Date): Promise<Array<FeedbackRow & { auditId: number | null }>> {
    return (this.db.prepare('SELECT * FROM feedback WHERE at >= ? ORDER BY id').all(since.toISOString()) as Array<Record<string, unknown>>).map(feedbackFromRow);
  }

  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
