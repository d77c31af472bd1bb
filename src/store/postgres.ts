// The store in PostgreSQL, for more than one instance on one database: conversation state, Slack
// event de-duplication (an atomic insert-if-absent, so two instances receiving the same retry
// answer it once), audit rows and feedback. The same contract as the SQLite store (types.ts).

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { readState, type ConversationState, type ConversationStore } from '../shared/conversation.js';
import type { RateLimits, Verdict } from '../shared/limits.js';
import { auditFromRow, feedbackFromRow } from './rows.js';
import type { AuditRow, EventDedupe, Expired, FeedbackInput, FeedbackLink, FeedbackRow, Purged, SharedLimiter, Store } from './types.js';

export interface PgOptions {
  /** Conversation state expires after this much idle time. */
  stateTtlMs?: number;
  eventTtlMs?: number;
  /** Every statement is cancelled after this long: a stuck database never holds a turn for long. */
  statementTimeoutMs?: number;
  /** Connections in the pool. */
  poolSize?: number;
  now?: () => number;
}

/** Versioned migrations, applied in order at start-up under an advisory lock (two instances starting together do not race). */
const MIGRATIONS: string[] = [
  `CREATE TABLE conversations (key TEXT PRIMARY KEY, state JSONB NOT NULL, updated_at BIGINT NOT NULL);
   CREATE INDEX conversations_updated ON conversations (updated_at);
   CREATE TABLE events (id TEXT PRIMARY KEY, done BOOLEAN NOT NULL, at BIGINT NOT NULL);
   CREATE INDEX events_at ON events (at);
   CREATE TABLE audit (
     id BIGSERIAL PRIMARY KEY, at TEXT NOT NULL, platform TEXT NOT NULL, user_hash TEXT NOT NULL, channel TEXT NOT NULL,
     question TEXT NOT NULL, intent TEXT NOT NULL, confidence DOUBLE PRECISION NOT NULL, guidance JSONB NOT NULL, codes JSONB NOT NULL,
     answered BOOLEAN NOT NULL, latency_ms DOUBLE PRECISION NOT NULL, knowledge_hash TEXT NOT NULL, ref TEXT);
   CREATE INDEX audit_at ON audit (at);
   CREATE INDEX audit_channel ON audit (platform, channel, id);
   CREATE INDEX audit_ref ON audit (ref);
   CREATE TABLE feedback (
     id BIGSERIAL PRIMARY KEY, at TEXT NOT NULL, audit_id BIGINT REFERENCES audit (id) ON DELETE SET NULL, platform TEXT NOT NULL,
     channel TEXT NOT NULL, user_hash TEXT NOT NULL, helpful BOOLEAN NOT NULL, intent TEXT NOT NULL, guidance JSONB NOT NULL);
   CREATE INDEX feedback_at ON feedback (at);
   CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // Rate limits shared by every instance: answered turns per user and per workspace, and who was told to slow down.
  `CREATE TABLE rate_hits (key TEXT NOT NULL, at BIGINT NOT NULL);
   CREATE INDEX rate_hits_key_at ON rate_hits (key, at);
   CREATE TABLE rate_warned (key TEXT PRIMARY KEY, until BIGINT NOT NULL);`,
];

/** Any number that is ours: the advisory lock taken while migrating. */
const MIGRATION_LOCK = 7_327_001;

export class PgStore implements Store {
  readonly kind = 'postgres' as const;
  readonly conversations: ConversationStore;
  readonly events: EventDedupe;
  readonly limiter: SharedLimiter = { check: (user, workspace, limits, now) => this.checkLimits(user, workspace, limits, now) };

  private constructor(
    private readonly pool: pg.Pool,
    private readonly saltValue: string,
    private readonly now: () => number,
    private readonly stateTtl: number,
    private readonly eventTtl: number,
  ) {
    this.conversations = {
      get: async (key) => {
        const { rows } = await pool.query<{ state: ConversationState; updated_at: string }>('SELECT state, updated_at FROM conversations WHERE key = $1', [key]);
        const row = rows[0];
        if (!row) return undefined;
        if (now() - Number(row.updated_at) > stateTtl) {
          await pool.query('DELETE FROM conversations WHERE key = $1', [key]);
          return undefined;
        }
        return readState(row.state);
      },
      set: async (key, state) => {
        await pool.query(
          'INSERT INTO conversations (key, state, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at',
          [key, JSON.stringify(state), now()],
        );
      },
    };
    this.events = {
      // One statement: set-if-absent (or expired), atomic across instances.
      claim: async (id) =>
        (await pool.query('INSERT INTO events (id, done, at) VALUES ($1, false, $2) ON CONFLICT (id) DO UPDATE SET done = false, at = EXCLUDED.at WHERE events.at < $3', [id, now(), now() - eventTtl])).rowCount === 1,
      done: async (id) => void (await pool.query('UPDATE events SET done = true, at = $1 WHERE id = $2', [now(), id])),
      release: async (id) => void (await pool.query('DELETE FROM events WHERE id = $1', [id])),
    };
  }

  /** Connect, migrate under an advisory lock, and read (or make) the salt for user id hashes. */
  static async open(url: string, opts: PgOptions = {}): Promise<PgStore> {
    const pool = new pg.Pool({
      connectionString: url,
      max: opts.poolSize ?? 10,
      statement_timeout: opts.statementTimeoutMs ?? 5000,
      connectionTimeoutMillis: 5000,
    });
    // An idle connection the server drops is replaced, not a crash.
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
        await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
        const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_version');
        let version = rows[0]?.version ?? 0;
        if (rows.length === 0) await client.query('INSERT INTO schema_version (version) VALUES (0)');
        for (; version < MIGRATIONS.length; version++) {
          await client.query('BEGIN');
          await client.query(MIGRATIONS[version]!);
          await client.query('UPDATE schema_version SET version = $1', [version + 1]);
          await client.query('COMMIT');
        }
        await client.query("INSERT INTO meta (key, value) VALUES ('user_salt', $1) ON CONFLICT (key) DO NOTHING", [randomBytes(16).toString('hex')]);
        const salt = (await client.query<{ value: string }>("SELECT value FROM meta WHERE key = 'user_salt'")).rows[0]!.value;
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
        return new PgStore(pool, salt, opts.now ?? Date.now, opts.stateTtlMs ?? 24 * 60 * 60 * 1000, opts.eventTtlMs ?? 10 * 60 * 1000);
      } finally {
        client.release();
      }
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw new Error(`PostgreSQL: ${(err as Error).message}`);
    }
  }

  salt(): string {
    return this.saltValue;
  }

  /**
   * The same sliding-minute rule as the in-process limiter, counted across instances: under
   * transaction-scoped advisory locks (the user's, then the workspace's), so two instances cannot
   * both let the limit's last turn through.
   */
  private async checkLimits(user: string, workspace: string, limits: RateLimits, now: number): Promise<Verdict> {
    const u = `u:${user}`;
    const w = `w:${workspace}`;
    const since = now - limits.windowMs;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [u]);
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [w]);
      const count = async (key: string) => Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM rate_hits WHERE key = $1 AND at > $2', [key, since])).rows[0]!.n);
      let verdict: Verdict = 'ok';
      if ((await count(u)) >= limits.perUser || (await count(w)) >= limits.perWorkspace) {
        // One "slow down" per user per window, then silence; nothing is counted for a dropped message.
        const warned = (await client.query<{ until: string }>('SELECT until FROM rate_warned WHERE key = $1', [u])).rows[0];
        if (warned && Number(warned.until) > now) verdict = 'drop';
        else {
          await client.query('INSERT INTO rate_warned (key, until) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET until = EXCLUDED.until', [u, now + limits.windowMs]);
          verdict = 'warn';
        }
      } else await client.query('INSERT INTO rate_hits (key, at) VALUES ($1, $3), ($2, $3)', [u, w, now]);
      await client.query('COMMIT');
      return verdict;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async ping(): Promise<boolean> {
    const r = await this.pool.query("INSERT INTO meta (key, value) VALUES ('probe', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", [String(Date.now())]);
    return r.rowCount === 1;
  }

  async audit(row: AuditRow): Promise<number> {
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO audit (at, platform, user_hash, channel, question, intent, confidence, guidance, codes, answered, latency_ms, knowledge_hash, ref)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      [row.at, row.platform, row.userHash, row.channel, row.question, row.intent, row.confidence, JSON.stringify(row.guidance), JSON.stringify(row.codes), row.answered, row.latencyMs, row.knowledgeHash, row.ref ?? null],
    );
    return Number(rows[0]!.id);
  }

  async feedback(row: FeedbackInput): Promise<FeedbackLink> {
    type Found = { id: string; intent: string; guidance: string[] };
    const byRef = row.ref ? (await this.pool.query<Found>('SELECT id, intent, guidance FROM audit WHERE ref = $1 AND platform = $2 ORDER BY id DESC LIMIT 1', [row.ref, row.platform])).rows[0] : undefined;
    const last = byRef ?? (await this.pool.query<Found>('SELECT id, intent, guidance FROM audit WHERE platform = $1 AND channel = $2 ORDER BY id DESC LIMIT 1', [row.platform, row.channel])).rows[0];
    const link: FeedbackLink = { auditId: last ? Number(last.id) : null, intent: last?.intent ?? 'unknown', guidance: last?.guidance ?? [] };
    await this.pool.query(
      'INSERT INTO feedback (at, audit_id, platform, channel, user_hash, helpful, intent, guidance) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [row.at, link.auditId, row.platform, row.channel, row.userHash, row.helpful, link.intent, JSON.stringify(link.guidance)],
    );
    return link;
  }

  async expire(): Promise<Expired> {
    const t = this.now();
    const conversations = (await this.pool.query('DELETE FROM conversations WHERE updated_at < $1', [t - this.stateTtl])).rowCount ?? 0;
    const events = (await this.pool.query('DELETE FROM events WHERE at < $1', [t - this.eventTtl])).rowCount ?? 0;
    // Counted turns older than an hour are past any window.
    await this.pool.query('DELETE FROM rate_hits WHERE at < $1', [t - 3600_000]);
    await this.pool.query('DELETE FROM rate_warned WHERE until < $1', [t]);
    return { conversations, events };
  }

  async purge(before: Date): Promise<Purged> {
    const iso = before.toISOString();
    const ms = before.getTime();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const feedback = (await client.query('DELETE FROM feedback WHERE at < $1', [iso])).rowCount ?? 0;
      const audit = (await client.query('DELETE FROM audit WHERE at < $1', [iso])).rowCount ?? 0;
      const conversations = (await client.query('DELETE FROM conversations WHERE updated_at < $1', [ms])).rowCount ?? 0;
      const events = (await client.query('DELETE FROM events WHERE at < $1', [ms])).rowCount ?? 0;
      await client.query('COMMIT');
      return { feedback, audit, conversations, events };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async auditRows(since: Date): Promise<Array<AuditRow & { id: number }>> {
    const { rows } = await this.pool.query<Record<string, unknown>>('SELECT * FROM audit WHERE at >= $1 ORDER BY id', [since.toISOString()]);
    return rows.map(auditFromRow);
  }

  async feedbackRows(since: Date): Promise<Array<FeedbackRow & { auditId: number | null }>> {
    const { rows } = await this.pool.query<Record<string, unknown>>('SELECT * FROM feedback WHERE at >= $1 ORDER BY id', [since.toISOString()]);
    return rows.map(feedbackFromRow);
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
