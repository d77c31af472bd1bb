// What is loaded, for coders who want to know what codebot covers: every guidance with its id,
// title, link, whether the captured page is complete, and the OPCS-4 chapter of its main
// procedure code, grouped by chapter. Chapter names are data (knowledge/chapters.json).

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { lineOfPath } from '../text/jsonpos.js';
import { KnowledgeError, validatedJson } from './load.js';
import type { LoadedEntry } from './load.js';

export const ChaptersFileSchema = z.object({
  source: z.string().min(20),
  chapters: z
    .array(
      z.object({
        letter: z.string().regex(/^[A-Z]$/, 'a single capital letter'),
        title: z.string().min(1),
        /** Words that name the chapter in a question ("heart", "cardiac"): codebot's own, never codes. */
        words: z.array(z.string().min(1)),
      }),
    )
    .min(1),
});
export type Chapters = z.infer<typeof ChaptersFileSchema>;
export type Chapter = Chapters['chapters'][number];

/** Read and check chapters.json; names the file, line and field when it is broken. */
export function readChapters(file: string): Chapters {
  const text = readFileSync(file, 'utf8');
  const chapters = validatedJson(file, text, ChaptersFileSchema);
  const seen = new Set<string>();
  chapters.chapters.forEach((c, i) => {
    if (seen.has(c.letter)) throw new KnowledgeError(file, lineOfPath(text, ['chapters', i, 'letter']), `chapters.${i}.letter`, `chapter ${c.letter} is listed twice`);
    seen.add(c.letter);
  });
  return chapters;
}

/** The knowledge folder's chapters.json, or the one shipped with codebot for a folder without one. */
export function chaptersFor(dir: string, fallbackDir: string): Chapters {
  const own = path.join(dir, 'chapters.json');
  return readChapters(existsSync(own) ? own : path.join(fallbackDir, 'chapters.json'));
}

export interface CatalogueItem {
  id: string;
  title: string;
  url: string;
  complete: boolean;
  /** The main procedure code's chapter letter, or null when the page gives no OPCS-4 procedure code. */
  chapter: string | null;
  /** The code the chapter was taken from. */
  mainCode: string | null;
}

export interface CatalogueGroup {
  chapter: string | null;
  title: string;
  items: CatalogueItem[];
}

/** The first OPCS-4 procedure code the page lists (not a method or site code), else one its notes name. */
export function mainProcedureCode(le: LoadedEntry): string | null {
  const e = le.entry;
  const procedure = (system: string, code: string) => system === 'OPCS-4' && !/^[YZ]/.test(code);
  for (const g of e.groups) for (const i of g.items) if (i.type === 'code' && procedure(i.system, i.code)) return i.code;
  for (const r of e.rules) for (const c of r.codes) if (procedure(c.system, c.code)) return c.code;
  return null;
}

export function catalogue(entries: readonly LoadedEntry[], chapters: Chapters): CatalogueGroup[] {
  const items: CatalogueItem[] = entries.map((le) => {
    const main = mainProcedureCode(le);
    return {
      id: le.entry.id,
      title: le.entry.title.text.replace(/\s+/g, ' ').trim(),
      url: le.entry.url,
      complete: le.entry.complete,
      chapter: main ? main[0]! : null,
      mainCode: main,
    };
  });
  const byNumber = (a: CatalogueItem, b: CatalogueItem) => Number(a.id.slice(3)) - Number(b.id.slice(3));
  const groups: CatalogueGroup[] = [];
  for (const c of chapters.chapters) {
    const inChapter = items.filter((i) => i.chapter === c.letter).sort(byNumber);
    if (inChapter.length > 0) groups.push({ chapter: c.letter, title: c.title, items: inChapter });
  }
  const known = new Set(chapters.chapters.map((c) => c.letter));
  const rest = items.filter((i) => i.chapter === null || !known.has(i.chapter)).sort(byNumber);
  if (rest.length > 0) groups.push({ chapter: null, title: 'No OPCS-4 procedure code on the page', items: rest });
  return groups;
}

/** Chapters a question names by their words ("heart procedures" -> K), in chapter order. */
export function chaptersNamed(text: string, chapters: Chapters): Chapter[] {
  const t = ` ${text.toLowerCase().replace(/[^a-z0-9]+/g, ' ')} `;
  return chapters.chapters.filter((c) => c.words.some((w) => t.includes(` ${w.toLowerCase()} `)) || t.includes(` chapter ${c.letter.toLowerCase()} `));
}

/** Plain text for `codebot list`: one line per guidance under its chapter. */
export function formatCatalogue(groups: CatalogueGroup[]): string {
  const total = groups.reduce((n, g) => n + g.items.length, 0);
  const incomplete = groups.reduce((n, g) => n + g.items.filter((i) => !i.complete).length, 0);
  const out = [`${total} NICE interventional procedures guidance pages loaded (${incomplete} captured incomplete, marked *), by OPCS-4 chapter of the main procedure code:`];
  for (const g of groups) {
    out.push('', `${g.chapter ? `${g.chapter}  ` : ''}${g.title} (${g.items.length})`);
    for (const i of g.items) out.push(`  ${i.id.padEnd(7)} ${i.complete ? ' ' : '*'} ${(i.mainCode ?? '').padEnd(6)} ${i.title}`);
  }
  return out.join('\n');
}

export const PAGES_BEGIN = '<!-- pages:begin (npm run knowledge:readme) -->';
export const PAGES_END = '<!-- pages:end -->';

/** The Markdown table of every loaded page for README.md: id and link, title, chapter, complete. */
export function pagesTable(groups: CatalogueGroup[]): string {
  const rows = ['| guidance | title | OPCS-4 chapter (main code) | captured |', '|---|---|---|---|'];
  for (const g of groups) {
    for (const i of g.items) {
      rows.push(`| [${i.id}](${i.url}) | ${i.title.replace(/\|/g, '\\|')} | ${g.chapter ? `${g.chapter} ${g.title}` : g.title}${i.mainCode ? ` (${i.mainCode})` : ''} | ${i.complete ? 'complete' : 'incomplete'} |`);
    }
  }
  return rows.join('\n');
}
