import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEntry } from '../src/knowledge/entry.js';
import { checkSpans, readOverrides } from '../src/knowledge/load.js';
import { parsePage, PageError } from '../src/knowledge/parse.js';
import type { CodeItem, Entry } from '../src/knowledge/schema.js';
import { deriveEntry, entryJson } from '../src/knowledge/store.js';
import { KNOWLEDGE } from './helpers.js';

const pages = readdirSync(path.join(KNOWLEDGE, 'pages')).filter((n) => n.endsWith('.txt')).sort();
const page = (name: string) => readFileSync(path.join(KNOWLEDGE, 'pages', name), 'utf8');
const entry = (name: string): Entry => buildEntry(page(name), name, { overrides: readOverrides(KNOWLEDGE) });
const codesOf = (e: Entry) => e.groups.flatMap((g) => g.items.filter((i): i is CodeItem => i.type === 'code'));
const listed = (e: Entry) => codesOf(e).map((c) => c.code);
const ruleCodes = (e: Entry) => e.rules.flatMap((r) => r.codes.map((c) => c.code));

describe('every shipped page', () => {
  it('ships all 126 NICE pages', () => {
    expect(pages.length).toBe(126);
  });

  it.each(pages)('%s parses, with every offset pointing at its text', (name) => {
    const text = page(name);
    const e = entry(name);
    expect(e.id).toBe(name.replace('.txt', '').toUpperCase());
    checkSpans(e, text, (field, detail) => {
      throw new Error(`${field}: ${detail}`);
    });
    for (const c of [...codesOf(e), ...e.rules.flatMap((r) => r.codes)]) {
      expect(text.slice(c.start, c.end)).toContain(c.raw);
      if (c.title) expect(text.slice(c.start, c.end)).toContain(c.title);
    }
  });

  it.each(pages)('%s: the committed entry is what the parser derives', (name) => {
    const committed = readFileSync(path.join(KNOWLEDGE, 'entries', name.replace('.txt', '.json')), 'utf8');
    expect(entryJson(deriveEntry(KNOWLEDGE, name, readOverrides(KNOWLEDGE)))).toBe(committed);
  });

  it('keeps each page exactly as published', () => {
    const shared = path.join(KNOWLEDGE, '..', '..', 'shared', 'nice');
    let compared = 0;
    for (const name of pages) {
      try {
        expect(page(name)).toBe(readFileSync(path.join(shared, name), 'utf8'));
        compared++;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    // shared/ sits beside the repo here and in CI; a lone clone has nothing to compare with.
    expect(compared === 0 || compared === pages.length).toBe(true);
  });
});

describe('IPG327, the founding document', () => {
  const e = entry('ipg327.txt');
  it('has its id, title, url, version and what it replaces', () => {
    expect(e.id).toBe('IPG327');
    expect(e.title.text).toBe('Radiofrequency ablation for the treatment of colorectal liver metastases');
    expect(e.url).toBe('https://www.nice.org.uk/guidance/ipg327');
    expect(e.version).toBe('OPCS-4.6');
    expect(e.complete).toBe(true);
    expect(e.replaces).toMatchObject({ id: 'IPG92', date: 'September 2004' });
    expect(e.description?.text).toMatch(/^Colorectal cancer is a type of cancer/);
  });
  it('lists J12.4 with Y53.- as its image control code', () => {
    expect(codesOf(e).map((c) => [c.code, c.title, c.role])).toEqual([
      ['J12.4', 'Percutaneous radiofrequency ablation of lesion of liver', 'primary procedure'],
      ['Y53.-', 'Approach to organ under image control', 'secondary: image control'],
    ]);
  });
  it('reads the note and the ICD-10 sentence as rules', () => {
    const [note, diagnosis] = e.rules;
    expect(note!.kind).toBe('note');
    expect(note!.codes.find((c) => c.code === 'Y53.9')).toMatchObject({ title: 'Unspecified approach to organ under image control' });
    expect(diagnosis!.kind).toBe('diagnosis');
    expect(diagnosis!.codes.map((c) => [c.code, c.system, c.title])).toEqual([
      ['C78.7', 'ICD-10', 'Secondary malignant neoplasm of liver and intrahepatic bile duct'],
      ['C18.-', 'ICD-10', 'Malignant neoplasm of colon'],
    ]);
  });
});

describe('irregular layouts', () => {
  it('takes no title for a code named mid-sentence ("following Y53.4 if fluoroscopic control is used", "M61.1 and")', () => {
    const y534 = entry('ipg168.txt').rules.flatMap((r) => r.codes).find((c) => c.code === 'Y53.4')!;
    expect(y534.title).toBeNull();
    // Y53 is image control whether or not the sentence titles it.
    expect(y534.role).toMatch(/^secondary: image control/);
    for (const name of ['ipg193.txt', 'ipg246.txt']) {
      for (const c of entry(name).rules.flatMap((r) => r.codes)) expect(c.title, `${name} ${c.code}`).not.toBe('and');
    }
  });

  it('groups codes under approach headings (IPG214)', () => {
    const e = entry('ipg214.txt');
    expect(e.groups.map((g) => [g.heading?.text, g.items.map((i) => (i.type === 'code' ? i.code : i.text))])).toEqual([
      ['Open procedure:', ['J03.2', 'Y13.7']],
      ['Percutaneous procedure:', ['J12.7']],
      ['Laparoscopic procedure:', ['J08.3']],
    ]);
    expect(e.version).toBeNull();
  });
  it('splits donor and recipient, and reads "or" alternatives (IPG194)', () => {
    const e = entry('ipg194.txt');
    expect(e.groups.map((g) => g.heading?.text)).toEqual(['For the donor:', 'For the recipient:']);
    const recipient = e.groups[1]!.items as CodeItem[];
    expect(recipient.map((i) => [i.code, i.alternativeTo])).toEqual([
      ['J01.1', null],
      ['Y99.2', null],
      ['Y99.3', 1],
      ['Y99.5', 1],
      ['Y99.6', 1],
    ]);
  });
  it('separates alternatives run together ("NEC orY75.4") and keeps Includes lines (IPG135)', () => {
    const e = entry('ipg135.txt');
    const first = e.groups[0]!.items as CodeItem[];
    expect(first.map((i) => i.code)).toEqual(['J02.3', 'Y75.2', 'Y75.4']);
    expect(first[1]!.title).toBe('Laparoscopic approach to abdominal cavity NEC');
    expect(first[2]!.title).toBe('Hand assisted minimal access approach to abdominal cavity');
    expect(first[0]!.includes.map((s) => s.text)).toEqual(['Resection of segments of liver', 'Resection of section of liver']);
  });
  it('does not take a line cut off by the capture for a title (IPG135)', () => {
    const e = entry('ipg135.txt');
    expect(e.complete).toBe(false);
    const last = e.groups.at(-1)!.items.at(-1) as CodeItem;
    expect(last.code).toBe('Y75.2');
    expect(last.title).toBeNull();
  });
  it('understands ranges, bare stems and qualifiers (IPG235)', () => {
    const e = entry('ipg235.txt');
    const items = codesOf(e);
    expect(items.map((i) => i.code)).toEqual(['M49.4', 'X70-X71', 'X72', 'Y53.2']);
    expect(items[1]!).toMatchObject({ kind: 'range', stem: 'X70', last: 'X71', qualifier: '(depending on the cytotoxic drug used)' });
    expect(items[3]!.qualifier).toBe('(if used)');
  });
  it('normalises odd spacing without losing the raw text (IPG155, IPG200, IPG452)', () => {
    expect(listed(entry('ipg155.txt'))).toContain('S07.9');
    expect(ruleCodes(entry('ipg200.txt'))).toContain('C15.-');
    const z = codesOf(entry('ipg452.txt')).find((c) => c.raw === 'Z92. 1')!;
    expect(z.code).toBe('Z92.1');
  });
  it('reads "one of the following" lists as choices (IPG335, IPG269)', () => {
    const e = entry('ipg335.txt');
    expect(e.groups).toHaveLength(1);
    expect(e.groups[0]!.choice).toBe('one-of');
    expect(listed(e)).toEqual(['H20.5', 'H23.5', 'H26.6']);
    expect(entry('ipg269.txt').groups[0]!.items.map((i) => (i.type === 'code' ? i.code : ''))).toEqual(['G27.-', 'G28.-', 'Y75.2']);
  });
  it('tells ICD-10 diagnosis codes from OPCS-4 codes in sentences (IPG301, IPG382)', () => {
    expect(entry('ipg301.txt').rules.flatMap((r) => r.codes).find((c) => c.code === 'I20.-')?.system).toBe('ICD-10');
    expect(entry('ipg301.txt').rules.flatMap((r) => r.codes).find((c) => c.code === 'U20.2')?.system).toBe('OPCS-4');
    expect(entry('ipg382.txt').rules.flatMap((r) => r.codes).find((c) => c.code === 'R52.2')?.system).toBe('ICD-10');
  });
  it('reads the colon heading variant and stops before the page footer (IPG293)', () => {
    const e = entry('ipg293.txt');
    expect(e.coding.heading.text).toBe('OPCS4.6 Code(s):');
    expect(listed(e)).toEqual(['C75.1']);
    expect(e.rules.some((r) => /Royal College|Contact details/.test(r.text))).toBe(false);
  });
  it('keeps a coding section that says what cannot be coded (IPG255)', () => {
    const e = entry('ipg255.txt');
    expect(e.groups).toHaveLength(0);
    expect(e.rules[0]!.kind).toBe('limitation');
  });
  it('finds stage headings (IPG452) and replaces with a NICE number (IPG461)', () => {
    expect(entry('ipg452.txt').groups.map((g) => g.heading?.text)).toEqual(['Stage 1', 'Stage 2']);
    expect(entry('ipg461.txt').replaces).toMatchObject({ id: 'IPG292', date: 'March 2009' });
  });
});

describe('pages that are not guidance', () => {
  it('refuses a page with no coding section, naming the file', () => {
    expect(() => parsePage('url: x\nipg: IPG1\ntitle: t\ncomplete: yes\n---\nJust a description.', 'x.txt')).toThrow(PageError);
    expect(() => parsePage('Just a description.', 'x.txt')).toThrow(/x\.txt: no coding section/);
  });
  it('infers the id from the page when there is no header, or asks for --id', () => {
    const body = page('ipg188.txt').replace(/^[\s\S]*?---\n/, '');
    expect(buildEntry(body, 'dbs.txt').id).toBe('IPG188');
    const anonymous = page('ipg327.txt').replace(/^[\s\S]*?---\n/, '');
    expect(() => buildEntry(anonymous, 'rfa.txt')).toThrow(/--id/);
    expect(buildEntry(anonymous, 'rfa.txt', { id: 'IPG327' }).title.text).toBe('Radiofrequency ablation for the treatment of colorectal liver metastases');
  });
});
