// All 126 NICE pages shipped, the layouts new in that batch, and what a coder sees of the coverage.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tidy } from '../src/assistant/draft.js';
import { findPageCodes } from '../src/knowledge/codes.js';
import { pagesTable, PAGES_BEGIN, PAGES_END, readChapters } from '../src/knowledge/catalogue.js';
import { KnowledgeError } from '../src/knowledge/load.js';
import { assistant, knowledgeCopy, ROOT, runCli } from './helpers.js';
import { plainText } from '../src/render/plain-text.js';

const a = assistant();
const ask = (q: string) => a.answer(q).reply;

describe('every shipped guidance answers for its own title', () => {
  it('has all 126 pages loaded, 29 of them marked incomplete', () => {
    expect(a.kb.entries).toHaveLength(126);
    expect(a.kb.entries.filter((le) => !le.entry.complete)).toHaveLength(29);
  });

  it.each(a.kb.entries.map((le) => [le.entry.id, tidy(le.entry.title.text)] as const))('%s: "how do I code %s"', (id, title) => {
    const reply = ask(`how do I code ${title}`);
    expect(reply.intent).toBe('how_to_code');
    expect(reply.answered).toBe(true);
    expect(reply.guidance[0]).toBe(id);
    expect(reply.clarify).toBeNull();
  });
});

describe('layouts new in the second batch', () => {
  it('gives SNOMED CT concepts as a third system, quoted and never mixed with OPCS-4 or ICD-10', () => {
    const reply = ask('how do I code radiofrequency ablation of varicose veins');
    expect(reply.guidance[0]).toBe('IPG8');
    const bySystem = (s: string) => reply.codes.filter((c) => c.system === s).map((c) => c.code);
    expect(bySystem('OPCS-4')).toEqual(['L88.2']);
    expect(bySystem('SNOMED CT')).toEqual(['448606008', '72866009']);
    expect(reply.codes.find((c) => c.code === '448606008')).toMatchObject({ title: 'Endovenous radiofrequency obliteration of varicose vein of lower limb', role: 'SNOMED CT: procedure', guidance: 'IPG8' });
    expect(reply.codes.find((c) => c.code === '72866009')?.role).toBe('SNOMED CT: diagnosis');
    expect(reply.citations.some((c) => c.quote === 'Varicose veins of lower extremity (72866009)')).toBe(true);
    // No concept id is ever read as a code, and no SNOMED line as a coding rule.
    for (const le of a.kb.entries) {
      for (const c of le.entry.snomed) expect(findPageCodes(c.text)).toEqual([]);
      for (const r of le.entry.rules) expect(r.text).not.toMatch(/SNOMED CT preferred term|\(\d{6,18}\)\s*$/);
    }
  });

  it('reads a site code from a category as a rule about the site, with no code invented', () => {
    const reply = ask('how do I code artificial metacarpophalangeal joint replacement');
    expect(reply.guidance[0]).toBe('IPG110');
    const codes = reply.codes.map((c) => c.code);
    expect(codes).toEqual(expect.arrayContaining(['W43.-', 'W44.-', 'W45.-', 'Z83.-']));
    expect(codes.filter((c) => /^Z83\.\d/.test(c))).toEqual([]);
    expect(reply.codes.find((c) => c.code === 'Z83.-')).toMatchObject({ title: 'Joint of finger', role: 'secondary: site' });
    expect(plainText(reply)).toContain('Site code from category Z83.- Joint of finger depending on the joint replaced.');
  });

  it('keeps a code whose line the capture cut before its title, with no title', () => {
    const e = a.kb.get('IPG147')!.entry;
    const last = e.groups.flatMap((g) => g.items).filter((i) => i.type === 'code').at(-1)!;
    expect(last).toMatchObject({ code: 'Y76.3', title: null });
    expect(e.complete).toBe(false);
  });
});

describe('what is covered', () => {
  it('lists every loaded guidance by OPCS-4 chapter with codebot list, plain and JSON', async () => {
    const json = JSON.parse((await runCli(['list', '--json'])).stdout) as {
      total: number;
      chapters: Array<{ chapter: string | null; title: string; items: Array<{ id: string; complete: boolean; mainCode: string | null; url: string }> }>;
    };
    expect(json.total).toBe(126);
    const items = json.chapters.flatMap((c) => c.items);
    expect(items).toHaveLength(126);
    expect(items.filter((i) => !i.complete)).toHaveLength(29);
    const heart = json.chapters.find((c) => c.chapter === 'K')!;
    expect(heart.title).toBe('Heart');
    expect(heart.items.map((i) => i.id)).toContain('IPG421');
    expect(heart.items.every((i) => i.mainCode?.startsWith('K'))).toBe(true);
    expect(json.chapters.find((c) => c.chapter === 'J')!.items.find((i) => i.id === 'IPG327')).toMatchObject({ mainCode: 'J12.4', url: 'https://www.nice.org.uk/guidance/ipg327' });
    const plain = (await runCli(['list'])).stdout;
    expect(plain).toMatch(/^126 NICE interventional procedures guidance pages loaded \(29 captured incomplete, marked \*\)/);
    expect(plain).toMatch(/\nK {2}Heart \(\d+\)\n/);
  });

  it('answers "how many IPGs are loaded" with the count, not as a topic called "many"', () => {
    const reply = ask('how many IPGs are loaded');
    expect(reply).toMatchObject({ intent: 'guidance_summary', title: 'Guidance loaded', answered: true });
    expect(plainText(reply)).toMatch(/I have 126 NICE interventional procedures guidance pages loaded/);
  });

  it('answers "which guidance do you know?" with the chapters and how to see the titles', () => {
    const reply = ask('which guidance do you know?');
    expect(reply.title).toBe('Guidance loaded');
    expect(plainText(reply)).toContain('I have 126 NICE interventional procedures guidance pages loaded');
    expect(plainText(reply)).toMatch(/K Heart: \d+ \(/);
    expect(plainText(reply)).toContain('codebot list');
    expect(reply.codes).toEqual([]);
  });

  it('answers "what do you have on heart procedures?" with that chapter only, titles cited', () => {
    const reply = ask('what do you have on heart procedures?');
    expect(reply.title).toBe('Guidance loaded on Heart (OPCS-4 chapter K)');
    expect(reply.guidance).toContain('IPG421');
    expect(reply.guidance).not.toContain('IPG327');
    expect(reply.citations.every((c) => c.section === 'Title')).toBe(true);
    expect(reply.notices).toEqual([]);
    expect(plainText(reply)).toContain('(captured page incomplete)');
  });

  it('lists by topic when the question names something narrower than a chapter, and says when there is nothing', () => {
    expect(ask('what do you have on liver ablation').guidance).toEqual(expect.arrayContaining(['IPG327', 'IPG214']));
    const none = ask('what do you have on hair transplants?');
    expect(none.answered).toBe(false);
    expect(none.codes).toEqual([]);
  });

  it('says in the help reply how many pages are loaded and how to see them', () => {
    const reply = ask('help');
    expect(plainText(reply)).toContain('from 126 NICE interventional procedures guidance pages');
    expect(plainText(reply)).toContain('which guidance do you know?');
  });

  it('lists every loaded page in README.md with its link, as the knowledge has it (npm run knowledge:readme)', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf(PAGES_BEGIN) + PAGES_BEGIN.length, readme.indexOf(PAGES_END)).trim();
    expect(table).toBe(pagesTable(a.kb.catalogue()));
    expect(table.split('\n')).toHaveLength(126 + 2);
  });

  it('refuses a broken chapters file with the file, line and field', () => {
    const dir = knowledgeCopy();
    const file = path.join(dir, 'chapters.json');
    writeFileSync(file, '{\n  "source": "OPCS-4 chapter titles, NHS England",\n  "chapters": [\n    { "letter": "k", "title": "Heart", "words": [] }\n  ]\n}\n');
    expect(() => readChapters(file)).toThrow(KnowledgeError);
    expect(() => readChapters(file)).toThrow(/chapters\.json:4 \(chapters\.0\.letter\)/);
  });
});
