import type { Reply as ReplyT } from '../src/assistant/reply.js';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildReport, formatReport, parseSince } from '../src/store/report.js';
import { IDENTIFIER_REMINDER, redact, validNhsNumber } from '../src/store/redact.js';
import { SqliteStore } from '../src/store/sqlite.js';
import type { AuditRow } from '../src/store/types.js';
import { assistantWith, ROOT, runCli } from './helpers.js';

/** handle() with flood limits off never drops a message. */
async function must(p: Promise<ReplyT | null>): Promise<ReplyT> {
  const r = await p;
  if (!r) throw new Error('message dropped');
  return r;
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function dbFile(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'codebot-store-'));
  dirs.push(d);
  return path.join(d, 'sub', 'codebot.db');
}
const row = (over: Partial<AuditRow> = {}): AuditRow => ({
  at: new Date().toISOString(), platform: 'test', userHash: 'h', channel: 'c', question: 'q', intent: 'how_to_code', confidence: 0.9,
  guidance: ['IPG327'], codes: ['J12.4'], answered: true, latencyMs: 1, knowledgeHash: 'k', ...over,
});
/** Every byte the database keeps, WAL included. */
function dbBytes(file: string): string {
  return readdirSync(path.dirname(file)).map((n) => readFileSync(path.join(path.dirname(file), n)).toString('latin1')).join('');
}

describe('patient identifiers', () => {
  it('knows valid NHS numbers from invalid ones by the modulus 11 check', () => {
    expect(validNhsNumber('9434765919')).toBe(true);
    expect(validNhsNumber('4010232137')).toBe(true);
    expect(validNhsNumber('9434765918')).toBe(false);
    expect(validNhsNumber('1234567890')).toBe(false); // check digit would be 10
    expect(validNhsNumber('943476591')).toBe(false);
  });

  it('redacts NHS numbers however they are spaced, dates of birth and postcodes', () => {
    const r = redact('pt 943 476 5919, also 943-476-5919 and 9434765919, DOB 01/02/1960 or 1 Feb 1960 or 1960-02-01, LS1 4AP / SW1A 1AA');
    expect(r.text).toBe('pt [NHS number], also [NHS number] and [NHS number], DOB [date] or [date] or [date], [postcode] / [postcode]');
    expect(r.found.sort()).toEqual(['date', 'nhs_number', 'postcode']);
  });

  it('leaves invalid numbers, longer numbers and codes alone', () => {
    const text = 'ref 9434765918 and 94347659190, codes J12.4 Y53.9 C78.7 X70-X71 Bands 1-10, IPG327';
    expect(redact(text)).toEqual({ text, found: [] });
  });
});

describe('the SQLite store', () => {
  it('creates its folder, applies the migrations and keeps state across close and reopen', async () => {
    const file = dbFile();
    const a = new SqliteStore(file);
    expect(a.schemaVersion).toBe(3);
    await a.conversations.set('slack:C1:t1', { guidance: 'IPG214', group: 2, codes: ['J08.3'], intent: 'how_to_code', question: 'q' });
    const salt = a.salt();
    await a.close();
    const b = new SqliteStore(file);
    expect(await b.conversations.get('slack:C1:t1')).toMatchObject({ guidance: 'IPG214', group: 2 });
    expect(b.salt()).toBe(salt);
    expect(b.integrityCheck()).toBe('ok');
    await b.close();
  });

  it('expires idle conversation state', async () => {
    let now = 1_000_000;
    const s = new SqliteStore(dbFile(), { stateTtlMs: 1000, now: () => now });
    await s.conversations.set('k', { guidance: 'IPG327', group: null, codes: [], intent: null, question: null });
    now += 2000;
    expect(await s.conversations.get('k')).toBeUndefined();
    await s.close();
  });

  it('remembers answered events across a restart, and lets a failed one be retried', async () => {
    const file = dbFile();
    const a = new SqliteStore(file);
    expect(await a.events.claim('Ev1')).toBe(true);
    expect(await a.events.claim('Ev1')).toBe(false);
    await a.events.done('Ev1');
    expect(await a.events.claim('Ev2')).toBe(true);
    await a.events.release('Ev2');
    await a.close();
    const b = new SqliteStore(file);
    expect(await b.events.claim('Ev1')).toBe(false);
    expect(await b.events.claim('Ev2')).toBe(true);
    await b.close();
  });

  it('links feedback to the conversation’s last answered turn', async () => {
    const s = new SqliteStore(dbFile());
    await s.audit(row({ channel: 'c1' }));
    const second = await s.audit(row({ channel: 'c1', question: 'second' }));
    await s.audit(row({ channel: 'c2' }));
    expect((await s.feedback({ at: new Date().toISOString(), platform: 'test', channel: 'c1', userHash: 'h', helpful: true })).auditId).toBe(second);
    expect((await s.feedbackRows(new Date(0)))[0]!.auditId).toBe(second);
    await s.close();
  });

  it('purges exactly the rows older than the cut-off', async () => {
    const s = new SqliteStore(dbFile());
    const old = new Date(Date.now() - 100 * 86400e3).toISOString();
    const edge = new Date(Date.now() - 89 * 86400e3).toISOString();
    for (let i = 0; i < 7; i++) await s.audit(row({ at: old }));
    for (let i = 0; i < 5; i++) await s.audit(row({ at: edge }));
    await s.feedback({ at: old, platform: 'test', channel: 'c', userHash: 'h', helpful: false });
    const purged = await s.purge(new Date(Date.now() - 90 * 86400e3));
    expect(purged.audit).toBe(7);
    expect(purged.feedback).toBe(1);
    expect(await s.auditRows(new Date(0))).toHaveLength(5);
    await s.close();
  });

  it('loses no audit row when two processes write at once', async () => {
    const file = dbFile();
    new SqliteStore(file).close();
    const writer = `import { SqliteStore } from ${JSON.stringify(path.join(ROOT, 'dist', 'store', 'sqlite.js'))};
      const s = new SqliteStore(process.argv[1]);
      for (let i = 0; i < 400; i++) await s.audit({ at: new Date().toISOString(), platform: 'p' + process.argv[2], userHash: 'h', channel: 'c', question: 'q' + i, intent: 'x', confidence: 1, guidance: [], codes: [], answered: true, latencyMs: 0, knowledgeHash: 'k' });
      await s.close();`;
    const run = (n: number) =>
      new Promise<number | null>((resolve) => spawn(process.execPath, ['--input-type=module', '-e', writer, file, String(n)], { stdio: 'inherit' }).on('exit', resolve));
    expect(await Promise.all([run(1), run(2)])).toEqual([0, 0]);
    const s = new SqliteStore(file);
    const rows = await s.auditRows(new Date(0));
    expect(rows.filter((r) => r.platform === 'p1')).toHaveLength(400);
    expect(rows.filter((r) => r.platform === 'p2')).toHaveLength(400);
    await s.close();
  });

  it('survives a process killed with SIGKILL in the middle of writes', async () => {
    const file = dbFile();
    const writer = `import { SqliteStore } from ${JSON.stringify(path.join(ROOT, 'dist', 'store', 'sqlite.js'))};
      const s = new SqliteStore(process.argv[1]);
      process.stdout.write('ready\\n');
      for (;;) await s.audit({ at: new Date().toISOString(), platform: 'p', userHash: 'h', channel: 'c', question: 'q', intent: 'x', confidence: 1, guidance: [], codes: [], answered: true, latencyMs: 0, knowledgeHash: 'k' });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', writer, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((r) => child.stdout!.once('data', () => r()));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const s = new SqliteStore(file);
    expect(s.integrityCheck()).toBe('ok');
    expect((await s.auditRows(new Date(0))).length).toBeGreaterThan(0);
    await s.close();
  });
});

describe('the assistant with a SQLite store', () => {
  it('audits every turn without the raw NHS number, and reminds the user', async () => {
    const file = dbFile();
    const store = new SqliteStore(file);
    const a = assistantWith({ store });
    const reply = await must(a.handle({ text: 'pt 943 476 5919 had perc RFA of liver mets, how do I code it?', conversation: { platform: 'test', channel: 'c', thread: null }, user: 'U-raw-id' }));
    expect(reply.codes.map((c) => c.code)).toContain('J12.4');
    expect(reply.notices).toContain(IDENTIFIER_REMINDER);
    const [audit] = await store.auditRows(new Date(0));
    expect(audit).toMatchObject({ platform: 'test', intent: 'how_to_code', answered: true, guidance: ['IPG327'] });
    expect(audit!.question).toContain('[NHS number]');
    expect(audit!.userHash).toMatch(/^[0-9a-f]{32}$/);
    await store.close();
    const bytes = dbBytes(file);
    for (const raw of ['9434765919', '943 476 5919', 'U-raw-id']) expect(bytes).not.toContain(raw);
  });
});

describe('the report', () => {
  it('counts what was written: gaps grouped by wording, intents, helpfulness, latency, hours', async () => {
    const store = new SqliteStore(dbFile());
    const a = assistantWith({ store });
    const ask = (text: string, channel = 'c') => a.handle({ text, conversation: { platform: 'test', channel, thread: null }, user: 'u' });
    await ask('how do I code a carpal tunnel release');
    await ask('How do I code carpal tunnel release?', 'c2');
    await ask('how do I code a hip replacement');
    await ask('how do I code percutaneous RFA of liver mets?');
    await a.feedback({ platform: 'test', channel: 'c', user: 'u', helpful: true });
    await a.feedback({ platform: 'test', channel: 'c', user: 'u', helpful: false });
    await ask('thanks');
    const r = await buildReport(store, new Date(0));
    expect(r.turns).toBe(5);
    expect(r.answered).toBe(1);
    expect(r.notAnswered).toBe(4);
    expect(r.gaps[0]).toMatchObject({ count: 2, wording: 'how do I code a carpal tunnel release' });
    expect(r.gaps).toHaveLength(2);
    expect(r.intents).toEqual([{ intent: 'how_to_code', count: 4 }, { intent: 'smalltalk', count: 1 }]);
    expect(r.helpful).toEqual([{ guidance: 'IPG327', helpful: 1, notHelpful: 1, rate: 0.5 }]);
    expect(r.latencyMs.p95).toBeGreaterThanOrEqual(r.latencyMs.p50);
    expect(r.busiestHours[0]!.count).toBe(5);
    expect(formatReport(r, 'text')).toMatch(/5 questions: 1 answered, 4 not answered/);
    expect(formatReport(r, 'csv').split('\n')[0]).toBe('section,key,count,detail');
    expect(JSON.parse(formatReport(r, 'json')).turns).toBe(5);
    await store.close();
  });

  it('reads --since as a period or a date', () => {
    const now = new Date('2026-11-26T12:00:00Z');
    expect(parseSince('7d', now).toISOString()).toBe('2026-11-19T12:00:00.000Z');
    expect(parseSince('24h', now).toISOString()).toBe('2026-11-25T12:00:00.000Z');
    expect(parseSince('2026-11-01', now).toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(() => parseSince('soon', now)).toThrow(/--since/);
  });

  it('runs from the command line against a database file', async () => {
    const file = dbFile();
    const store = new SqliteStore(file);
    const a = assistantWith({ store });
    await must(a.handle({ text: 'what is R10.4', conversation: { platform: 'test', channel: 'c', thread: null }, user: 'u' }));
    await store.close();
    const { stdout: out } = await runCli(['report', '--db', file, '--format', 'json', '--since', '1d']);
    expect(JSON.parse(out)).toMatchObject({ turns: 1, notAnswered: 1, gaps: [{ wording: 'what is R10.4', count: 1 }] });
    expect(existsSync(file)).toBe(true);
  });
});
