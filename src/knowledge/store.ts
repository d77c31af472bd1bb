// Writing knowledge: deriving entries from pages (rebuild) and adding new pages (import).
// Writes go to a temporary file and are renamed into place, so no half-written file is ever left.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildEntry } from './entry.js';
import { checkSpans, entriesDir, KnowledgeError, pagesDir, readOverrides } from './load.js';
import { PageError, parseHeader } from './parse.js';
import type { Entry, Override } from './schema.js';

export function entryJson(entry: Entry): string {
  return `${JSON.stringify(entry, null, 2)}\n`;
}

function verify(entry: Entry, page: string, file: string): void {
  checkSpans(entry, page, (field, detail) => {
    throw new PageError(file, null, `derived entry is inconsistent at ${field}: ${detail}`);
  });
}

/** Derive the entry for one committed page. */
export function deriveEntry(dir: string, pageName: string, overrides: Override[]): Entry {
  const page = readFileSync(path.join(pagesDir(dir), pageName), 'utf8');
  const entry = buildEntry(page, pageName, { overrides });
  verify(entry, page, pageName);
  return entry;
}

function atomicWrite(file: string, content: string): string {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(tmp, content, { flag: 'wx' });
  return tmp;
}

/** Re-derive every entry from the pages. Returns the entry files written. */
export function rebuild(dir: string): string[] {
  const overrides = readOverrides(dir);
  const names = readdirSync(pagesDir(dir))
    .filter((n) => n.endsWith('.txt'))
    .sort();
  const entries = names.map((n) => deriveEntry(dir, n, overrides));
  mkdirSync(entriesDir(dir), { recursive: true });
  const written: string[] = [];
  for (const e of entries) {
    const file = path.join(entriesDir(dir), e.source.replace(/\.txt$/, '.json'));
    renameSync(atomicWrite(file, entryJson(e)), file);
    written.push(file);
  }
  return written;
}

export interface ImportOptions {
  /** For a page whose text does not say which guidance it is. */
  id?: string;
  /** For a page without a header whose text does not give its title. */
  title?: string;
}

export interface ImportResult {
  id: string;
  title: string;
  page: string;
  entry: string;
  replaced: boolean;
  codes: number;
  complete: boolean;
}

/** The page's first line, when it reads as a title (short, not a sentence, not the coding heading). */
function firstLineTitle(text: string): string | undefined {
  const first = text.split('\n').map((l) => l.trim()).find((l) => l.length > 0);
  if (!first || first.length > 150 || /[.:;]$/.test(first) || /^(?:coding recommendations|opcs)/i.test(first)) return undefined;
  return first;
}

function headerFor(id: string, url: string, title: string): string {
  // A page without a header has not been checked as whole, so it is not claimed to be.
  return `url: ${url}\nipg: ${id}\ntitle: ${title}\ncomplete: unknown\n---\n`;
}

/**
 * Add NICE pages to the knowledge. All files are parsed and checked before anything is written;
 * a page with no coding section, or whose guidance cannot be identified, is refused.
 */
export function importPages(dir: string, files: string[], opts: ImportOptions = {}): ImportResult[] {
  if (files.length === 0) throw new KnowledgeError(dir, null, null, 'no files to import');
  if (opts.id && files.length > 1) throw new KnowledgeError(dir, null, null, '--id names one guidance, so import one file with it');
  const overrides = readOverrides(dir);
  const prepared: Array<{ entry: Entry; page: string; pageFile: string; entryFile: string }> = [];
  for (const file of files) {
    let raw: string;
    try {
      raw = readFileSync(file, 'utf8');
    } catch (err) {
      throw new PageError(file, null, `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    if (raw.includes('\u0000') || raw.includes('\ufffd')) throw new PageError(file, null, 'is not UTF-8 text');
    const text = raw.replace(/\r\n?/g, '\n');
    let page = text;
    // A page without a header, given its id (and a title, or a first line that reads as one): the
    // header is written first, so the title the entry quotes is in the page.
    const title = !parseHeader(text) && opts.id ? (opts.title ?? firstLineTitle(text)) : undefined;
    if (title && opts.id) {
      const id = opts.id.toUpperCase();
      page = headerFor(id, `https://www.nice.org.uk/guidance/${id.toLowerCase()}`, title.replace(/\s+/g, ' ').trim()) + text;
    }
    let entry = buildEntry(page, path.basename(file), opts.id ? { id: opts.id, overrides } : { overrides });
    if (!parseHeader(page)) {
      page = headerFor(entry.id, entry.url, entry.title.text) + text;
      entry = buildEntry(page, path.basename(file), { overrides });
    }
    const source = `${entry.id.toLowerCase()}.txt`;
    entry = { ...entry, source };
    verify(entry, page, file);
    if (prepared.some((p) => p.entry.id === entry.id)) throw new PageError(file, null, `${entry.id} is imported twice`);
    prepared.push({
      entry,
      page,
      pageFile: path.join(pagesDir(dir), source),
      entryFile: path.join(entriesDir(dir), source.replace(/\.txt$/, '.json')),
    });
  }
  mkdirSync(pagesDir(dir), { recursive: true });
  mkdirSync(entriesDir(dir), { recursive: true });
  const temps: Array<[string, string]> = [];
  try {
    for (const p of prepared) {
      temps.push([atomicWrite(p.pageFile, p.page), p.pageFile]);
      temps.push([atomicWrite(p.entryFile, entryJson(p.entry)), p.entryFile]);
    }
  } catch (err) {
    for (const [tmp] of temps) rmSync(tmp, { force: true });
    throw err;
  }
  const results: ImportResult[] = prepared.map((p) => ({
    id: p.entry.id,
    title: p.entry.title.text,
    page: p.pageFile,
    entry: p.entryFile,
    replaced: existsSync(p.entryFile),
    codes:
      p.entry.groups.reduce((n, g) => n + g.items.filter((i) => i.type === 'code').length, 0) +
      p.entry.rules.reduce((n, r) => n + r.codes.length, 0),
    complete: p.entry.complete,
  }));
  // Page before entry: an entry is only ever visible with its page already in place.
  for (const [tmp, target] of temps) renameSync(tmp, target);
  return results;
}
