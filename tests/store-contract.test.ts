// One store contract, three implementations: the same cases against memory, SQLite and a real
// PostgreSQL server (started here, stopped at the end; never a mock).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_STATE } from '../src/shared/conversation.js';
import { MemoryStore } from '../src/store/memory.js';
import pg from 'pg';
import { describeTarget } from '../src/store/open.js';
import { PgStore } from '../src/store/postgres.js';
import { SqliteStore } from '../src/store/sqlite.js';
import type { AuditRow, Store } from '../src/store/types.js';
import { eventBody, FakeSlack, formBody, signed, SIGNING_SECRET } from './fake-slack.js';
import { startPostgres, type PgServer } from './postgres-server.js';
import { FakeConnector, mention, teamsActivity } from './fake-connector.js';
import { logLines, startServer, type Running } from './server-helpers.js';
import { runCli } from './helpers.js';

interface Clock {
  t: number;
}
type Open = (clock: Clock) => Promise<Store>;

let pgServer: PgServer;
let dbs = 0;
const dirs: string[] = [];
beforeAll(async () => {
  pgServer = await startPostgres({ tls: true });
}, 60_000);
afterAll(() => {
  pgServer?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const TTL = { stateTtlMs: 1000, eventTtlMs: 500 };
const kinds: Array<[string, Open]> = [
  ['memory', async (clock) => new MemoryStore({ ...TTL, now: () => clock.t })],
  [
    'SQLite',
    async (clock) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'codebot-contract-'));
      dirs.push(dir);
      return new SqliteStore(path.join(dir, 'db.sqlite'), { ...TTL, now: () => clock.t });
    },
  ],
  ['PostgreSQL', async (clock) => PgStore.open(await pgServer.database(`contract_${++dbs}`), { ...TTL, now: () => clock.t })],
];

const row = (over: Partial<AuditRow> = {}): AuditRow => ({
  at: new Date().toISOString(),
  platform: 'test',
  userHash: 'h',
  channel: 'c',
  question: 'q',
  intent: 'how_to_code',
  confidence: 0.9,
  guidance: ['IPG327'],
  codes: ['J12.4'],
  answered: true,
  latencyMs: 1,
  knowledgeHash: 'k',
  ref: null,
  ...over,
});

describe.each(kinds)('the %s store', (_name, open) => {
  it('keeps conversation state, and forgets it once idle past its time', async () => {
    const clock = { t: 1_000_000 };
    const s = await open(clock);
    const state = { ...EMPTY_STATE, guidance: 'IPG327', group: 0, codes: ['J12.4'], intent: 'how_to_code', question: 'q' };
    await s.conversations.set('k1', state);
    expect(await s.conversations.get('k1')).toEqual(state);
    // The choices an answer offered come back with it.
    const choosing = { ...state, options: [{ label: 'Coblation tonsillectomy (IPG9)', value: 'how do I code coblation tonsillectomy (IPG9)?' }] };
    await s.conversations.set('k2', choosing);
    expect(await s.conversations.get('k2')).toEqual(choosing);
    // A row that is no state (another version's, or damaged) is no conversation, not a crash.
    await s.conversations.set('k3', { ...state, codes: 'J12.4' } as unknown as typeof state);
    expect(await s.conversations.get('k3')).toBeUndefined();
    expect(await s.conversations.get('nobody')).toBeUndefined();
    clock.t += 1500;
    expect(await s.conversations.get('k1')).toBeUndefined();
    await s.close();
  });

  it('claims an event id once, releases it for a retry, and lets it go once expired', async () => {
    const clock = { t: 1_000_000 };
    const s = await open(clock);
    expect(await s.events.claim('Ev1')).toBe(true);
    expect(await s.events.claim('Ev1')).toBe(false);
    await s.events.done('Ev1');
    expect(await s.events.claim('Ev1')).toBe(false);
    expect(await s.events.claim('Ev2')).toBe(true);
    await s.events.release('Ev2');
    expect(await s.events.claim('Ev2')).toBe(true);
    clock.t += 600;
    expect(await s.events.claim('Ev1')).toBe(true);
    await s.close();
  });

  it('credits feedback to the pressed answer by its reference, else to the channel’s last answer', async () => {
    const s = await open({ t: Date.now() });
    const first = await s.audit(row({ ref: 'ref-first', intent: 'code_lookup', guidance: ['IPG1'] }));
    const second = await s.audit(row({ ref: 'ref-second' }));
    expect(second).toBeGreaterThan(first);
    expect(await s.feedback({ at: new Date().toISOString(), platform: 'test', channel: 'c', userHash: 'h', helpful: true, ref: 'ref-first' })).toEqual({ auditId: first, intent: 'code_lookup', guidance: ['IPG1'] });
    expect((await s.feedback({ at: new Date().toISOString(), platform: 'test', channel: 'c', userHash: 'h', helpful: false })).auditId).toBe(second);
    expect((await s.feedback({ at: new Date().toISOString(), platform: 'test', channel: 'elsewhere', userHash: 'h', helpful: false })).auditId).toBeNull();
    const rows = await s.auditRows(new Date(0));
    expect(rows.map((r) => r.ref)).toEqual(['ref-first', 'ref-second']);
    expect(rows[0]).toMatchObject({ intent: 'code_lookup', guidance: ['IPG1'], codes: ['J12.4'], answered: true, confidence: 0.9 });
    expect((await s.feedbackRows(new Date(0))).map((f) => [f.auditId, f.helpful])).toEqual([
      [first, true],
      [second, false],
      [null, false],
    ]);
    await s.close();
  });

  it('purges what is older than the retention, and nothing newer', async () => {
    const s = await open({ t: Date.now() });
    const old = new Date(Date.now() - 100 * 86400e3).toISOString();
    for (let i = 0; i < 3; i++) await s.audit(row({ at: old }));
    await s.audit(row());
    await s.feedback({ at: old, platform: 'test', channel: 'c', userHash: 'h', helpful: true });
    const purged = await s.purge(new Date(Date.now() - 90 * 86400e3));
    expect(purged).toMatchObject({ audit: 3, feedback: 1 });
    expect(await s.auditRows(new Date(0))).toHaveLength(1);
    await s.close();
  });

  it('takes a write when asked if it is ready, and keeps one salt', async () => {
    const s = await open({ t: Date.now() });
    expect(await s.ping()).toBe(true);
    expect(s.salt()).toMatch(/^[0-9a-f]{32}$/);
    expect(s.salt()).toBe(s.salt());
    await s.close();
  });
});

describe('a PostgreSQL statement that cannot finish', () => {
  it('is cancelled at the statement timeout instead of holding the turn, and the store works again once the lock is gone', async () => {
    const url = await pgServer.database('statement_timeout');
    const store = await PgStore.open(url, { statementTimeoutMs: 300 });
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE audit IN ACCESS EXCLUSIVE MODE');
    const t = performance.now();
    await expect(store.audit(row())).rejects.toThrow(/statement timeout/);
    const waited = performance.now() - t;
    expect(waited).toBeGreaterThanOrEqual(250);
    await locker.query('ROLLBACK');
    await locker.end();
    expect(await store.audit(row())).toBeGreaterThan(0);
    await store.close();
  });
});

describe('two instances on one PostgreSQL database', () => {
  it('migrate together without racing, share the salt, claim a retry once, and limit a flooder across both', async () => {
    const url = await pgServer.database('two_instances');
    const [a, b] = await Promise.all([PgStore.open(url), PgStore.open(url)]);
    expect(a.salt()).toBe(b.salt());
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).events.claim('EvShared')));
    expect(claims.filter(Boolean)).toHaveLength(1);
    // A flooder sending to both at once gets the per-user rate in all, one slow-down, then nothing;
    // another user is still answered.
    const limits = { perUser: 3, perWorkspace: 100, windowMs: 60_000 };
    const now = Date.now();
    const verdicts = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).limiter.check('flooder', 'T1', limits, now)));
    expect(verdicts.filter((v) => v === 'ok')).toHaveLength(3);
    expect(verdicts.filter((v) => v === 'warn')).toHaveLength(1);
    expect(await b.limiter.check('someone-else', 'T1', limits, now)).toBe('ok');
    await a.conversations.set('thread', { ...EMPTY_STATE, guidance: 'IPG327' });
    expect((await b.conversations.get('thread'))?.guidance).toBe('IPG327');
    await a.close();
    await b.close();
  });
});

// Two `npm start` processes on one database, for the whole block: the cases run in order, and the
// last one kills A. Limits: 3 a minute per user (the flood case); every other case asks as its own
// users, within that.
describe('two servers (npm start) on one PostgreSQL database', () => {
  let url: string;
  let slack: FakeSlack;
  let connector: FakeConnector;
  let a: Running;
  let b: Running;
  beforeAll(async () => {
    url = (await pgServer.database('two_servers')).replace('postgres@', 'postgres:not-a-real-password@');
    [slack, connector] = await Promise.all([new FakeSlack().start(), new FakeConnector().start()]);
    const env = { CODEBOT_DB: url, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token-not-real', SLACK_API_URL: `${slack.base}/api/`, CODEBOT_RATE_PER_USER: '3', CODEBOT_RATE_PER_WORKSPACE: '1000' };
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await Promise.all([slack?.stop(), connector?.stop()]);
  });
  const teams = (s: Running, user: string, text: string) =>
    fetch(`${s.base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(teamsActivity(connector.url, { ...mention(text), from: { id: `29:${user}`, aadObjectId: user } })) });

  it('say which store they use without its password, are ready, answer a Slack retry delivered to the other once, continue a thread and credit feedback across instances', async () => {
    for (const s of [a, b]) {
      expect(s.stdout()).toMatch(/codebot: store: PostgreSQL at 127\.0\.0\.1:\d+\/two_servers/);
      expect(s.stdout() + s.stderr()).not.toContain('not-a-real-password');
      const ready = (await (await fetch(`${s.base}/readyz`)).json()) as { checks: { store: { ok: boolean; kind: string } } };
      expect(ready.checks.store).toMatchObject({ ok: true, kind: 'postgres' });
    }
    const body = eventBody({ type: 'app_mention', user: 'U1', channel: 'C1', ts: '1700000040.000100', text: '<@UBOT> what is J12.4' }, 'EvTwoServers');
    await fetch(`${a.base}/slack/events`, signed(body, 'application/json'));
    await slack.waitFor(0, 1);
    // Slack retries on a slow answer, here to the other instance, signed afresh (a later second).
    await fetch(`${b.base}/slack/events`, signed(body, 'application/json', { retry: 1, ts: Math.floor(Date.now() / 1000) + 1 }));
    await b.waitForLog((l) => l.msg === 'duplicate event ignored' && l.event === 'EvTwoServers');
    expect(slack.posts(0)).toHaveLength(1);

    // A thread started on A continues on B.
    await fetch(`${a.base}/slack/events`, signed(eventBody({ type: 'app_mention', user: 'U1', channel: 'C2', ts: '1700000041.000100', text: '<@UBOT> microwave ablation of HCC codes' }, 'EvThread1'), 'application/json'));
    const [first] = (await slack.waitFor(0, 2)).slice(1);
    await fetch(`${b.base}/slack/events`, signed(eventBody({ type: 'app_mention', user: 'U1', channel: 'C2', ts: '1700000041.000200', thread_ts: '1700000041.000100', text: '<@UBOT> and if it was done laparoscopically?' }, 'EvThread2'), 'application/json'));
    const followUp = (await slack.waitFor(0, 3))[2]!;
    expect(followUp.body.thread_ts).toBe('1700000041.000100');
    expect(JSON.stringify(followUp.body.blocks)).toContain('J08.3');

    // Feedback pressed on B for A's answer is credited to A's answer, by the reference on its button.
    const buttons = (first!.body.blocks as Array<{ type: string; elements?: Array<{ action_id?: string; value?: string }> }>).flatMap((x) => x.elements ?? []);
    const helpful = buttons.find((e) => e.action_id?.startsWith('codebot_feedback_yes'))!;
    const press = {
      type: 'block_actions', user: { id: 'U1' }, team: { id: 'T1' }, api_app_id: 'A1', channel: { id: 'C2' },
      container: { type: 'message', message_ts: '1700000042.000001', channel_id: 'C2' }, message: { ts: '1700000042.000001', thread_ts: '1700000041.000100', type: 'message' },
      response_url: `${slack.base}/response/fb2`, trigger_id: 't', actions: [{ type: 'button', action_id: helpful.action_id, block_id: 'b', value: helpful.value, action_ts: '1' }],
    };
    await fetch(`${b.base}/slack/events`, signed(formBody({ payload: JSON.stringify(press) }), 'application/x-www-form-urlencoded'));
    await b.waitForLog((l) => l.msg === 'feedback recorded');
    const reader = await PgStore.open(url);
    const audits = await reader.auditRows(new Date(0));
    const answeredOnA = audits.find((r) => r.channel === 'C2' && r.question === 'microwave ablation of HCC codes')!;
    expect((await reader.feedbackRows(new Date(0))).map((f) => f.auditId)).toEqual([answeredOnA.id]);
    await reader.close();

    // The coding lead's report reads the shared database: with --db, and from DATABASE_URL alone.
    const report = async (args: string[], env: Record<string, string>) => {
      const r = await runCli(['report', '--format', 'json', '--since', '1d', ...args], '', env);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout) as { turns: number; helpful: Array<{ guidance: string; helpful: number; notHelpful: number }> };
    };
    const viaFlag = await report(['--db', url], {});
    const viaEnv = await report([], { DATABASE_URL: url });
    const window = ({ since: _s, until: _u, ...rest }: Record<string, unknown>) => rest;
    expect(window(viaEnv)).toEqual(window(viaFlag));
    expect(viaFlag.turns).toBe(3);
    expect(viaFlag.helpful).toEqual([expect.objectContaining({ guidance: answeredOnA.guidance[0], helpful: 1, notHelpful: 0 })]);
  }, 60_000);

  it('answer a user flooding both at the per-user rate in all, tell them once to slow down, and still answer another user', async () => {
    const from = connector.posts.length;
    await Promise.all(Array.from({ length: 10 }, (_, i) => teams(i % 2 ? a : b, 'flooder', 'what is J12.4')));
    await teams(a, 'colleague', 'what is Y53.9');
    const cards = connector.posts.slice(from).map((p) => JSON.stringify(p.body));
    expect(cards.filter((c) => c.includes('Percutaneous radiofrequency ablation of lesion of liver'))).toHaveLength(3);
    expect(cards.filter((c) => c.includes('Slow down, please'))).toHaveLength(1);
    expect(cards.filter((c) => c.includes('Unspecified approach to organ under image control'))).toHaveLength(1);
  }, 60_000);

  it('keep answering while PostgreSQL is away, say so in /readyz, queue the audit rows and write them once it is back', async () => {
    const ask = async (text: string) => {
      const res = await teams(a, 'away', text);
      expect(res.status).toBe(200);
      return JSON.stringify(connector.posts.at(-1)!.body);
    };
    expect(await ask('what is J12.4 (before)')).toContain('J12.4');
    pgServer.pause();
    try {
      expect(await ask('what is Y53.9 (while away)')).toContain('Y53.9');
      const down = await fetch(`${a.base}/readyz`);
      expect(down.status).toBe(503);
      expect(((await down.json()) as { checks: { store: { ok: boolean; queued: number } } }).checks.store).toMatchObject({ ok: false, queued: 1 });
    } finally {
      pgServer.resume();
    }
    expect(await ask('what is C78.7 (after)')).toContain('C78.7');
    const up = (await (await fetch(`${a.base}/readyz`)).json()) as { ready: boolean; checks: { store: { queued: number; lost: number } } };
    expect(up).toMatchObject({ ready: true, checks: { store: { queued: 0, lost: 0 } } });
    const reader = await PgStore.open(url);
    const rows = (await reader.auditRows(new Date(0))).map((r) => r.question).filter((q) => /\((before|while away|after)\)$/.test(q));
    expect(rows).toEqual(['what is J12.4 (before)', 'what is Y53.9 (while away)', 'what is C78.7 (after)']);
    await reader.close();
  }, 60_000);

  it('leave an audit row for every turn acknowledged by one killed with kill -9 under load, and the other keeps answering', async () => {
    // Each turn its own user, so no limit slows one down (a slowed-down turn is no answer to audit).
    // The Bot Framework endpoint answers 200 once the turn is over, audit row included.
    const send = (s: Running, i: number) =>
      teams(s, `killed-${i}`, `what is J12.4 (turn ${i})`)
        .then((r) => (r.status === 200 ? `what is J12.4 (turn ${i})` : null))
        .catch(() => null);
    const answeredBefore = logLines(a.stdout(), (l) => l.msg === 'answered').length;
    const toA = Array.from({ length: 40 }, (_, i) => send(a, i));
    await a.waitForLog((l) => l.msg === 'answered', answeredBefore + 5);
    a.proc.kill('SIGKILL');
    const acknowledged = (await Promise.all(toA)).filter((q): q is string => q !== null);
    expect(acknowledged.length).toBeGreaterThanOrEqual(5);
    const afterwards = (await Promise.all(Array.from({ length: 5 }, (_, i) => send(b, 100 + i)))).filter((q) => q !== null);
    expect(afterwards).toHaveLength(5);
    const reader = await PgStore.open(url);
    const written = new Set((await reader.auditRows(new Date(0))).map((r) => r.question));
    await reader.close();
    expect(acknowledged.filter((q) => !written.has(q))).toEqual([]);
  }, 60_000);
});

let base: string;
const withQuery = (query: string) => `${base}?${query}`;

/** Whether the connection this URL makes is encrypted, as the server sees it. */
async function encrypted(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).rows[0]!.ssl;
  } finally {
    await c.end();
  }
}

// TLS to PostgreSQL, as a managed database needs it: the database `tls` on the test server takes
// TLS connections only, with a certificate from a test CA. The options are node-postgres' own, in
// the URL (CODEBOT_DB or DATABASE_URL).
describe('PostgreSQL over TLS', () => {
  beforeAll(async () => {
    base = (await pgServer.database('tls')).replace('postgres@', 'postgres:not-a-real-password@');
  });

  it('connects, verifying the server against the CA file given by sslrootcert (sslmode=verify-full)', async () => {
    const url = withQuery(`sslmode=verify-full&sslrootcert=${encodeURIComponent(pgServer.ca!)}`);
    expect(await encrypted(url)).toBe(true);
    const store = await PgStore.open(url);
    expect(await store.ping()).toBe(true);
    await store.close();
  });

  it('encrypts without verifying with libpq semantics (uselibpqcompat=true&sslmode=require)', async () => {
    expect(await encrypted(withQuery('uselibpqcompat=true&sslmode=require'))).toBe(true);
  });

  it('refuses a server whose certificate the given CA did not sign, with the reason', async () => {
    const url = withQuery(`sslmode=verify-full&sslrootcert=${encodeURIComponent(pgServer.otherCa!)}`);
    await expect(PgStore.open(url)).rejects.toThrow(/^PostgreSQL: .*certificate/);
  });

  it('is refused by a TLS-only server when TLS is off, and the error names no password', async () => {
    const url = withQuery('sslmode=disable');
    const err = await PgStore.open(url).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/^PostgreSQL: .*no encryption/);
    expect(err?.message).not.toContain('not-a-real-password');
    expect(describeTarget(url)).toMatch(/^PostgreSQL at 127\.0\.0\.1:\d+\/tls$/);
  });
});
