// Bad input, floods and faults: codebot keeps answering, refuses politely and loses nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../src/assistant/limits.js';
import { findPageCodes } from '../src/knowledge/codes.js';
import { cardSize, MAX_CARD_BYTES, renderCard } from '../src/render/adaptive-card.js';
import { LIMITS, renderBlocks } from '../src/render/block-kit.js';
import { MemoryStore } from '../src/store/memory.js';
import type { AuditRow } from '../src/store/types.js';
import { assistant, assistantWith } from './helpers.js';

const a = assistant();

/** Strings as chat delivers them: any Unicode, markup, mentions, codes with odd spacing. */
const chatText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.array(
    fc.constantFrom('<!channel>', '<@U123>', '@here', '*bold*', '_it_', '[x](http://evil.example)', '<at>Ann</at>', 'j 12 . 4', 'Y53.9', 'C18.-', 'X70-X71', 'perc RFA', 'liver mets', '\u200b', '\u202e', '\u0000', '\ud800', '🙂', 'مرحبا', '&amp;', '<script>'),
    { maxLength: 40 },
  ).map((xs) => xs.join(' ')),
  fc.string({ maxLength: 40_000 }),
);

describe('any text through the whole pipeline and each renderer', () => {
  it('never throws, keeps within platform limits, states only codes the knowledge has, and lets nothing ping or link', () => {
    fc.assert(
      fc.property(chatText, (text) => {
        const { reply } = a.answer(text);
        for (const c of reply.codes) {
          expect(findPageCodes(a.kb.get(c.guidance)!.page).map((m) => m.code)).toContain(c.code);
        }
        const card = renderCard(reply);
        expect(cardSize(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
        const slack = renderBlocks(reply);
        expect(slack.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
        const all = JSON.stringify(slack);
        expect(all).not.toMatch(/<!channel>|<!here>|<@U123>|<http:\/\/evil/);
        expect(JSON.stringify(card)).not.toMatch(/(?<!\\)\[x(?<!\\)\]\(http/);
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});

describe('floods', () => {
  it('tells a user to slow down once, then drops their messages until the window passes', () => {
    let now = 0;
    const r = new RateLimiter({ perUser: 3, perWorkspace: 100, windowMs: 60_000 }, () => now);
    expect(['ok', 'ok', 'ok', 'warn', 'drop', 'drop'].map(() => r.check('u', 'w'))).toEqual(['ok', 'ok', 'ok', 'warn', 'drop', 'drop']);
    expect(r.check('other', 'w')).toBe('ok');
    now += 61_000;
    expect(r.check('u', 'w')).toBe('ok');
  });

  it('limits a whole workspace too, telling each user once', () => {
    const r = new RateLimiter({ perUser: 100, perWorkspace: 2, windowMs: 60_000 }, () => 0);
    expect([r.check('a', 'w'), r.check('b', 'w'), r.check('c', 'w'), r.check('c', 'w'), r.check('d', 'w'), r.check('e', 'x')]).toEqual(['ok', 'ok', 'warn', 'drop', 'warn', 'ok']);
  });

  it('lets one flooding user cost the rest of the workspace nothing', async () => {
    const limited = assistantWith({ limits: { perUser: 20, perWorkspace: 600, windowMs: 60_000 } });
    const msg = (user: string) => ({ text: 'what is J12.4', conversation: { platform: 'slack', channel: 'c', thread: null }, user, workspace: 'T1' });
    const verdicts = { answered: 0, slowDown: 0, dropped: 0 };
    for (let i = 0; i < 700; i++) {
      const r = await limited.handle(msg('flooder'));
      if (r === null) verdicts.dropped++;
      else if (r.title === 'Slow down, please') verdicts.slowDown++;
      else verdicts.answered++;
    }
    expect(verdicts).toEqual({ answered: 20, slowDown: 1, dropped: 679 });
    for (const other of ['ann', 'bob', 'cat']) expect((await limited.handle(msg(other)))?.title).toBe('Code J12.4');
  });

  it('answers the flood with one polite reply through the assistant', async () => {
    const limited = assistantWith({ limits: { perUser: 2, perWorkspace: 100, windowMs: 60_000 } });
    const msg = { text: 'what is J12.4', conversation: { platform: 't', channel: 'c', thread: null }, user: 'u' };
    const replies = [];
    for (let i = 0; i < 5; i++) replies.push(await limited.handle(msg));
    expect(replies.map((r) => r?.title ?? null)).toEqual(['Code J12.4', 'Code J12.4', 'Slow down, please', null, null]);
  });
});

describe('store faults', () => {
  class FlakyStore extends MemoryStore {
    down = true;
    override async audit(row: AuditRow): Promise<number> {
      if (this.down) throw new Error('SQLITE_FULL: database or disk is full');
      return super.audit(row);
    }
  }

  it('still answers when the store fails, queues the audit rows and writes them when it recovers', async () => {
    const store = new FlakyStore();
    const errors: string[] = [];
    const b = assistantWith({ store, onStoreError: (_e, what) => errors.push(what), limits: null });
    const msg = (text: string) => ({ text, conversation: { platform: 't', channel: 'c', thread: null }, user: 'u' });
    for (const q of ['what is J12.4', 'what is Y53.9', 'look up C78.7']) expect((await b.handle(msg(q)))?.answered).toBe(true);
    expect(b.auditBacklog()).toEqual({ queued: 3, lost: 0 });
    expect(errors.at(-1)).toMatch(/3 queued/);
    store.down = false;
    await b.handle(msg('what is J12.7'));
    expect(b.auditBacklog()).toEqual({ queued: 0, lost: 0 });
    expect((await store.auditRows(new Date(0))).map((r) => r.question)).toEqual(['what is J12.4', 'what is Y53.9', 'look up C78.7', 'what is J12.7']);
  });

  it('still answers when the SQLite store is gone altogether', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { SqliteStore } = await import('../src/store/sqlite.js');
    const store = new SqliteStore(path.join(mkdtempSync(path.join(tmpdir(), 'codebot-gone-')), 'db.sqlite'));
    const errors: string[] = [];
    const b = assistantWith({ store, onStoreError: (e) => errors.push(e.message), limits: null });
    await store.close();
    const reply = await b.handle({ text: 'how do I code percutaneous RFA of liver mets?', conversation: { platform: 't', channel: 'c', thread: null }, user: 'u' });
    expect(reply?.codes.map((c) => c.code)).toContain('J12.4');
    expect(b.auditBacklog().queued).toBe(1);
    expect(errors.join(' ')).toMatch(/not open/);
  });

  it('still answers while another process holds the database locked, and writes the rows once it lets go', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const Database = (await import('better-sqlite3')).default;
    const { SqliteStore } = await import('../src/store/sqlite.js');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'codebot-locked-')), 'db.sqlite');
    const store = new SqliteStore(file, { busyTimeoutMs: 50 });
    const other = new Database(file);
    other.exec('BEGIN EXCLUSIVE');
    const b = assistantWith({ store, limits: null });
    const msg = { text: 'what is J12.4', conversation: { platform: 't', channel: 'c', thread: null }, user: 'u' };
    expect((await b.handle(msg))?.answered).toBe(true);
    expect(b.auditBacklog()).toEqual({ queued: 1, lost: 0 });
    other.exec('COMMIT');
    other.close();
    await b.handle(msg);
    expect(b.auditBacklog()).toEqual({ queued: 0, lost: 0 });
    expect(await store.auditRows(new Date(0))).toHaveLength(2);
    await store.close();
  });

  it('counts rows as lost when the queue overflows, and says so', async () => {
    const store = new FlakyStore();
    const b = assistantWith({ store, auditQueueSize: 2, limits: null });
    for (let i = 0; i < 5; i++) await b.handle({ text: 'what is J12.4', conversation: { platform: 't', channel: 'c', thread: null }, user: 'u' });
    expect(b.auditBacklog()).toEqual({ queued: 2, lost: 3 });
  });
});

describe('fuzzed NICE pages given to import', () => {
  it('are imported whole or refused with a message, and a refusal leaves the knowledge folder exactly as it was', async () => {
    const { createHash } = await import('node:crypto');
    const { readdirSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
    const path = await import('node:path');
    const { importPages } = await import('../src/knowledge/store.js');
    const { Knowledge } = await import('../src/knowledge/kb.js');
    const { KNOWLEDGE, knowledgeCopy } = await import('./helpers.js');
    // Two guidance pages are enough to load, and keep each of the 60 runs quick.
    const dir = knowledgeCopy(['IPG327', 'IPG214']);
    const snapshot = () =>
      ['pages', 'entries'].flatMap((sub) => readdirSync(path.join(dir, sub)).sort().map((n) => `${sub}/${n}:${createHash('sha1').update(readFileSync(path.join(dir, sub, n))).digest('hex')}`));
    const page = readFileSync(path.join(KNOWLEDGE, 'pages', 'ipg327.txt'), 'utf8');
    const mutation = fc.oneof(
      fc.nat({ max: page.length }).map((n) => page.slice(0, n)),
      fc.tuple(fc.nat({ max: page.length }), fc.string({ unit: 'binary', maxLength: 50 })).map(([i, junk]) => page.slice(0, i) + junk + page.slice(i)),
      fc.tuple(fc.nat({ max: page.length }), fc.nat({ max: 400 })).map(([i, n]) => page.slice(0, i) + page.slice(i + n)),
    );
    let refused = 0;
    fc.assert(
      fc.property(mutation, (text) => {
        const file = path.join(dir, 'fuzzed.txt');
        writeFileSync(file, text);
        const before = snapshot();
        try {
          importPages(dir, [file]);
          // Accepted: it must load like any other entry.
          expect(Knowledge.load(dir).entries.length).toBeGreaterThan(0);
        } catch (err) {
          refused++;
          expect((err as Error).message).toMatch(/fuzzed\.txt/);
          expect(snapshot()).toEqual(before);
        }
      }),
      { numRuns: 60, seed: 7 },
    );
    expect(refused).toBeGreaterThan(0);
    rmSync(dir, { recursive: true, force: true });
  });
});
