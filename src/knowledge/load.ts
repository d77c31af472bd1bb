// Reads knowledge/ and refuses anything broken, naming the file, the line and the field.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { DataFileError } from '../shared/file-error.js';
import { lineOfPath, syntaxErrorLine } from '../text/jsonpos.js';
import { buildEntry } from './entry.js';
import { PageError } from './parse.js';
import { EntrySchema, OverridesFileSchema, type Entry, type Override } from './schema.js';

export class KnowledgeError extends DataFileError {
  override name = 'KnowledgeError';
}

export interface LoadedEntry {
  entry: Entry;
  /** The page text the entry's offsets point into. */
  page: string;
  /** Path of the entry file, for messages. */
  file: string;
}

export interface KnowledgeFiles {
  dir: string;
  entries: LoadedEntry[];
  overrides: Override[];
  /** Hash of every entry and page: which knowledge gave an answer. */
  hash: string;
}

export function pagesDir(dir: string): string {
  return path.join(dir, 'pages');
}
export function entriesDir(dir: string): string {
  return path.join(dir, 'entries');
}
export function overridesFile(dir: string): string {
  return path.join(dir, 'overrides.json');
}

export function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new KnowledgeError(file, syntaxErrorLine(text), null, `not valid JSON (${(err as Error).message})`);
  }
}

/** A knowledge JSON file checked against its schema; the first problem names file, line and field. */
export function validatedJson<T>(file: string, text: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(parseJson(file, text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new KnowledgeError(file, lineOfPath(text, issue.path), issue.path.join('.') || null, issue.message);
  }
  return parsed.data;
}

export function readOverrides(dir: string): Override[] {
  const file = overridesFile(dir);
  if (!existsSync(file)) return [];
  return validatedJson(file, readFileSync(file, 'utf8'), OverridesFileSchema).overrides;
}

type Spanned = { start: number; end: number };

/** Every offset must point at the text it claims, or the entry no longer matches its page. */
export function checkSpans(entry: Entry, page: string, fail: (field: string, detail: string) => never): void {
  const exact = (field: string, s: Spanned & { text: string }) => {
    if (s.end > page.length || page.slice(s.start, s.end) !== s.text) fail(field, 'text does not match the page at these offsets');
  };
  const within = (field: string, s: Spanned, sub: string | null) => {
    if (s.end > page.length || s.start >= s.end) fail(field, 'offsets fall outside the page');
    if (sub !== null && !page.slice(s.start, s.end).includes(sub)) fail(field, `"${sub}" is not in the page text at these offsets`);
  };
  exact('title', entry.title);
  if (entry.classification) exact('classification', entry.classification);
  if (entry.replaces) exact('replaces', entry.replaces);
  if (entry.description) exact('description', entry.description);
  exact('coding.heading', entry.coding.heading);
  within('coding', entry.coding, null);
  entry.groups.forEach((g, gi) => {
    if (g.heading) exact(`groups.${gi}.heading`, g.heading);
    if (g.instruction) exact(`groups.${gi}.instruction`, g.instruction);
    g.items.forEach((item, ii) => {
      const f = `groups.${gi}.items.${ii}`;
      if (item.type === 'text') return exact(f, item);
      within(f, item, item.raw);
      if (item.title) within(`${f}.title`, item, item.title);
      item.includes.forEach((inc, k) => exact(`${f}.includes.${k}`, inc));
    });
  });
  entry.snomed.forEach((c, ci) => {
    exact(`snomed.${ci}`, c);
    if (!c.text.includes(c.term) || !c.text.includes(`(${c.conceptId})`)) fail(`snomed.${ci}`, 'term and concept id must be in the quoted line');
  });
  entry.rules.forEach((r, ri) => {
    exact(`rules.${ri}`, r);
    r.codes.forEach((c, ci) => {
      within(`rules.${ri}.codes.${ci}`, c, c.raw);
      if (c.title) within(`rules.${ri}.codes.${ci}.title`, c, c.title);
    });
  });
}

export function readEntryFile(dir: string, name: string): LoadedEntry {
  const file = path.join(entriesDir(dir), name);
  const text = readFileSync(file, 'utf8');
  const entry = validatedJson(file, text, EntrySchema);
  const fail = (field: string, detail: string): never => {
    throw new KnowledgeError(file, lineOfPath(text, field.split('.')), field, detail);
  };
  const pageFile = path.join(pagesDir(dir), entry.source);
  if (!existsSync(pageFile)) fail('source', `page file ${entry.source} is missing from ${pagesDir(dir)}`);
  const page = readFileSync(pageFile, 'utf8');
  const sha = createHash('sha256').update(page).digest('hex');
  if (sha !== entry.sha256) {
    fail('sha256', `${entry.source} has changed since this entry was derived from it; run "npm run knowledge:rebuild"`);
  }
  checkSpans(entry, page, fail);
  return { entry, page, file };
}

function idNumber(id: string): number {
  return Number(id.slice(3));
}

/**
 * Load and check every entry; throws KnowledgeError on the first problem. A page with no entry
 * file (or a folder of NICE pages with no entries/ at all) is parsed at load, with the same checks.
 */
export function loadKnowledgeFiles(dir: string): KnowledgeFiles {
  const eDir = entriesDir(dir);
  const pDir = existsSync(pagesDir(dir)) ? pagesDir(dir) : dir;
  const pageNames = existsSync(pDir) ? readdirSync(pDir).filter((n) => n.endsWith('.txt')).sort() : [];
  if (!existsSync(eDir) && pageNames.length === 0) {
    throw new KnowledgeError(dir, null, null, 'knowledge folder has no entries/ folder and no NICE page files (*.txt)');
  }
  const overrides = readOverrides(dir);
  const names = existsSync(eDir)
    ? readdirSync(eDir)
        .filter((n) => n.endsWith('.json'))
        .sort()
    : [];
  const entries: LoadedEntry[] = [];
  const seen = new Map<string, string>();
  const hash = createHash('sha256');
  const add = (loaded: LoadedEntry, line: () => number | null) => {
    const other = seen.get(loaded.entry.id);
    if (other) throw new KnowledgeError(loaded.file, line(), 'id', `${loaded.entry.id} is already defined by ${other}`);
    seen.set(loaded.entry.id, loaded.file);
    entries.push(loaded);
  };
  for (const name of names) {
    const loaded = readEntryFile(dir, name);
    add(loaded, () => lineOfPath(readFileSync(loaded.file, 'utf8'), ['id']));
  }
  const derived = new Set(entries.map((e) => e.entry.source));
  for (const name of pageNames) {
    if (derived.has(name)) continue;
    const file = path.join(pDir, name);
    const page = readFileSync(file, 'utf8');
    let entry: Entry;
    try {
      entry = buildEntry(page, name, { overrides });
    } catch (err) {
      if (err instanceof PageError) throw new KnowledgeError(file, err.line, null, err.message.replace(/^[^:]*?(?::\d+)?: /, ''));
      throw err;
    }
    checkSpans(entry, page, (field, detail) => {
      throw new KnowledgeError(file, null, field, detail);
    });
    add({ entry, page, file }, () => null);
  }
  entries.sort((a, b) => idNumber(a.entry.id) - idNumber(b.entry.id));
  for (const e of entries) hash.update(e.entry.id).update(e.entry.sha256).update(JSON.stringify(e.entry));
  return { dir, entries, overrides, hash: hash.digest('hex').slice(0, 16) };
}
