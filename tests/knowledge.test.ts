import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCode } from '../src/knowledge/codes.js';
import { Knowledge } from '../src/knowledge/kb.js';
import { KnowledgeError, loadKnowledgeFiles } from '../src/knowledge/load.js';
import { inEvery } from '../src/knowledge/search.js';
import { PageError } from '../src/knowledge/parse.js';
import { importPages } from '../src/knowledge/store.js';
import { Assistant } from '../src/assistant/assistant.js';
import { FIXTURES, KNOWLEDGE, knowledgeCopy } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
/** A small copy of the knowledge (the guidance these cases change or read), quick to copy and load. */
function copy(): string {
  const d = knowledgeCopy(['IPG327', 'IPG406', 'IPG188', 'IPG214']);
  dirs.push(d);
  return d;
}
/** Everything in a folder, by name and content hash, to prove nothing changed. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  for (const sub of ['pages', 'entries']) {
    for (const n of readdirSync(path.join(dir, sub)).sort()) {
      out.push(`${sub}/${n}:${createHash('sha1').update(readFileSync(path.join(dir, sub, n))).digest('hex')}`);
    }
  }
  return out;
}
function loadError(dir: string): KnowledgeError {
  try {
    loadKnowledgeFiles(dir);
  } catch (err) {
    if (err instanceof KnowledgeError) return err;
    throw err;
  }
  throw new Error('loaded without error');
}

describe('loading knowledge', () => {
  it('loads every shipped entry', () => {
    const kb = Knowledge.load(KNOWLEDGE);
    expect(kb.entries).toHaveLength(126);
    expect(kb.get('ipg327')?.entry.title.text).toMatch(/colorectal liver metastases/);
    expect(kb.hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('refuses broken JSON with the file and line', () => {
    const dir = copy();
    const file = path.join(dir, 'entries', 'ipg327.json');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[4] = `${lines[4]} oops`;
    writeFileSync(file, lines.join('\n'));
    const err = loadError(dir);
    expect(err.file).toBe(file);
    expect(err.line).toBe(5);
    expect(err.message).toContain('ipg327.json:5');
  });

  it('refuses a field of the wrong type, naming the field and its line', () => {
    const dir = copy();
    const file = path.join(dir, 'entries', 'ipg214.json');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('"complete": true', '"complete": "yes"'));
    const err = loadError(dir);
    expect(err.field).toBe('complete');
    expect(err.line).toBe(text.split('\n').findIndex((l) => l.includes('"complete"')) + 1);
  });

  it('refuses a code that is not a code', () => {
    const dir = copy();
    const file = path.join(dir, 'entries', 'ipg327.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"code": "J12.4"', '"code": "J12.44X"'));
    expect(loadError(dir).field).toMatch(/^groups\.0\.items\.0\.code$/);
  });

  it('refuses a title the page does not contain: no invented titles', () => {
    const dir = copy();
    const file = path.join(dir, 'entries', 'ipg327.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"Percutaneous radiofrequency ablation of lesion of liver"', '"Radiofrequency ablation of anything"'));
    const err = loadError(dir);
    expect(err.field).toBe('groups.0.items.0.title');
    expect(err.message).toMatch(/not in the page text/);
  });

  it('refuses a duplicate guidance id, naming both files', () => {
    const dir = copy();
    writeFileSync(path.join(dir, 'entries', 'zzz.json'), readFileSync(path.join(dir, 'entries', 'ipg327.json')));
    const err = loadError(dir);
    expect(err.field).toBe('id');
    expect(err.message).toMatch(/IPG327 is already defined by .*ipg327\.json/);
  });

  it('refuses an entry whose page changed since it was derived', () => {
    const dir = copy();
    const p = path.join(dir, 'pages', 'ipg406.txt');
    writeFileSync(p, readFileSync(p, 'utf8').replace('J12.7', 'J12.9'));
    const err = loadError(dir);
    expect(err.field).toBe('sha256');
    expect(err.message).toMatch(/knowledge:rebuild/);
  });
});

describe('code lookups', () => {
  const kb = Knowledge.load(KNOWLEDGE);
  it('finds every guidance that states a code', () => {
    const ids = [...new Set(kb.lookup(parseCode('J12.7')!).exact.map((o) => o.id))];
    expect(ids).toEqual(['IPG214', 'IPG406']);
  });
  it('reports a subcode the guidance covers only by category', () => {
    const l = kb.lookup(parseCode('C18.7')!);
    expect(l.exact).toEqual([]);
    expect(new Set(l.coveredBy.map((o) => o.code.code))).toEqual(new Set(['C18.-']));
  });
  it('lists the codes inside a category and finds ranges by any stem in them', () => {
    const inside = new Set(kb.lookup(parseCode('Y53')!).inside.map((o) => o.code.code));
    expect(inside).toEqual(new Set(['Y53.2', 'Y53.3', 'Y53.4', 'Y53.7', 'Y53.9']));
    expect(kb.lookup(parseCode('X71.1')!).coveredBy.some((o) => o.code.code === 'X70-X71')).toBe(true);
  });
});

describe('codebot import', () => {
  const sample = path.join(KNOWLEDGE, 'pages', 'ipg406.txt');

  it('adds a page with its entry', () => {
    const dir = copy();
    rmSync(path.join(dir, 'pages', 'ipg406.txt'));
    rmSync(path.join(dir, 'entries', 'ipg406.json'));
    const [r] = importPages(dir, [sample]);
    expect(r).toMatchObject({ id: 'IPG406', replaced: false, complete: false });
    expect(Knowledge.load(dir).get('IPG406')?.entry.groups).toHaveLength(3);
  });

  it('adds a header to a page without one, inferring what it can', () => {
    const dir = copy();
    const bare = path.join(dir, 'bare.txt');
    writeFileSync(bare, readFileSync(path.join(KNOWLEDGE, 'pages', 'ipg188.txt'), 'utf8').replace(/^[\s\S]*?---\n/, ''));
    const [r] = importPages(dir, [bare]);
    expect(r!.id).toBe('IPG188');
    const stored = readFileSync(path.join(dir, 'pages', 'ipg188.txt'), 'utf8');
    expect(stored).toMatch(/^url: https:\/\/www\.nice\.org\.uk\/guidance\/ipg188\nipg: IPG188\ntitle: deep brain stimulation/);
    expect(stored).toMatch(/complete: unknown\n---\n/);
    expect(Knowledge.load(dir).get('IPG188')?.entry.complete).toBe(false);
  });

  it('asks for --id when the page does not say which guidance it is, and writes nothing', () => {
    const dir = copy();
    const before = snapshot(dir);
    const bare = path.join(tmpdir(), `codebot-anon-${process.pid}.txt`);
    writeFileSync(bare, readFileSync(sample, 'utf8').replace(/^[\s\S]*?---\n/, ''));
    expect(() => importPages(dir, [bare])).toThrow(/--id/);
    expect(snapshot(dir)).toEqual(before);
    const [r] = importPages(dir, [bare], { id: 'IPG406' });
    expect(r).toMatchObject({ id: 'IPG406', replaced: true });
    rmSync(bare);
  });

  it('refuses a page with no coding section and leaves the folder exactly as it was', () => {
    const dir = copy();
    const before = snapshot(dir);
    const bad = path.join(dir, 'nocoding.txt');
    writeFileSync(bad, 'url: https://www.nice.org.uk/guidance/ipg999\nipg: IPG999\ntitle: x\ncomplete: yes\n---\nNothing to code here.\n');
    expect(() => importPages(dir, [sample, bad])).toThrow(PageError);
    expect(snapshot(dir)).toEqual(before);
    expect(readdirSync(path.join(dir, 'entries')).some((n) => n.endsWith('.tmp'))).toBe(false);
  });

  it('reads a page laid out in ways the shipped pages are not, and answers from it', async () => {
    // A made-up page (IPG999 does not exist): bullets, dash separators, an "OPCS-4.7 codes" heading.
    const dir = copy();
    const [r] = importPages(dir, [path.join(FIXTURES, 'synthetic-ipg999.txt')]);
    expect(r).toMatchObject({ id: 'IPG999', replaced: false, complete: true });
    const e = Knowledge.load(dir).get('IPG999')!.entry;
    expect(e.version).toBe('OPCS-4.7');
    expect(e.groups[0]!.items.map((i) => (i.type === 'code' ? [i.code, i.title] : []))).toEqual([
      ['M10.4', 'Percutaneous cryotherapy of lesion of kidney'],
      ['Y53.-', 'Approach to organ under image control'],
    ]);
    const a = Assistant.create({ knowledgeDir: dir });
    const reply = a.answer('how do I code perc cryoablation of a kidney tumour?').reply;
    expect(reply.guidance).toEqual(['IPG999']);
    expect(reply.codes.map((c) => c.code)).toEqual(expect.arrayContaining(['M10.4', 'Y53.-', 'Y53.9', 'C64.X']));
  });

  it('refuses a truncated or binary file', () => {
    const dir = copy();
    const before = snapshot(dir);
    const half = path.join(dir, 'half.txt');
    writeFileSync(half, readFileSync(sample, 'utf8').slice(0, 300));
    expect(() => importPages(dir, [half])).toThrow(/no coding section/);
    const bin = path.join(dir, 'bin.txt');
    writeFileSync(bin, Buffer.from([0x00, 0xff, 0x10, 0x41]));
    expect(() => importPages(dir, [bin])).toThrow(/not UTF-8 text/);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('knowledge as plain NICE pages', () => {
  it('loads a folder of page files with no entries, parsing them at load', () => {
    // Every shipped page, parsed.
    const dir = knowledgeCopy();
    dirs.push(dir);
    rmSync(path.join(dir, 'entries'), { recursive: true });
    const kb = Knowledge.load(dir);
    expect(kb.entries).toHaveLength(126);
    expect(kb.get('IPG327')?.entry.groups[0]!.items[0]).toMatchObject({ code: 'J12.4' });
  });

  it('parses a page that has no entry file beside the ones that do', () => {
    const dir = copy();
    rmSync(path.join(dir, 'entries', 'ipg214.json'));
    expect(Knowledge.load(dir).get('IPG214')?.entry.title.text).toBe('microwave ablation of hepatocellular carcinoma');
  });

  it('refuses a broken page, naming the file', () => {
    const dir = copy();
    writeFileSync(path.join(dir, 'pages', 'broken.txt'), 'url: x\nipg: IPG998\ntitle: t\ncomplete: yes\n---\nNo coding section here.\n');
    const err = loadError(dir);
    expect(err.file).toBe(path.join(dir, 'pages', 'broken.txt'));
    expect(err.message).toMatch(/broken\.txt: no coding section/);
  });
});

describe('postings intersection', () => {
  it('finds exactly the guidance in every list, ascending, whatever the lists', () => {
    const postings = fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 40 }).map((xs) => xs.sort((a, b) => a - b));
    fc.assert(
      fc.property(fc.array(postings, { maxLength: 5 }), (lists) => {
        const naive = lists.length === 0 ? [] : lists[0]!.filter((n) => lists.every((l) => l.includes(n)));
        expect(inEvery(lists)).toEqual(naive);
      }),
      { seed: 7, numRuns: 500 },
    );
  });
});
