// The loaded knowledge and its lookups: codes to where NICE states them, and guidance search.
// Deterministic throughout: every list is ordered by guidance number, then page position.

import { covers, sameCode, type CodeRef } from './codes.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pageAbbreviations, titleAcronyms } from './abbreviations.js';
import { readErrata, type Erratum } from './errata.js';
import { catalogue, chaptersFor, type CatalogueGroup, type Chapters } from './catalogue.js';
import { loadKnowledgeFiles, type LoadedEntry } from './load.js';
import type { CodeItem, Entry, Rule, RuleCode } from './schema.js';
import { keysOf, type Term } from '../text/analyse.js';
import { GuidanceIndex, inEvery, queryTerms } from './search.js';

export type Where = { type: 'group'; group: number; item: number } | { type: 'rule'; rule: number };

export interface Occurrence {
  id: string;
  code: CodeItem | RuleCode;
  where: Where;
}

export interface CodeLookup {
  /** Places that state this very code (for a category: the category itself). */
  exact: Occurrence[];
  /** Categories or ranges that contain it, when the code itself is not stated. */
  coveredBy: Occurrence[];
  /** For a category or range: the codes inside it that the knowledge states. */
  inside: Occurrence[];
}

/** The knowledge folder shipped with codebot (from src/knowledge or dist/knowledge alike). */
const SHIPPED_KNOWLEDGE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'knowledge');

export class Knowledge {
  readonly entries: readonly LoadedEntry[];
  readonly hash: string;
  readonly dir: string;
  readonly index: GuidanceIndex;
  /** OPCS-4 chapter names, for saying what is covered. */
  readonly chapters: Chapters;
  /** Abbreviations the pages define, lower case -> the words. */
  readonly abbreviations: ReadonlyMap<string, string>;
  /** Abbreviations no page defines, spelled by a run of a title's words ("TTTS"), lower case -> the words and what their pages are about. */
  readonly titleAcronyms: ReadonlyMap<string, { words: string; about: string[]; codes: string[] }>;
  /** Known errors in the published text, by guidance id. */
  readonly errata: ReadonlyMap<string, Erratum[]>;
  private readonly byId = new Map<string, LoadedEntry>();
  private readonly byStem = new Map<string, Occurrence[]>();

  constructor(files: { dir: string; entries: LoadedEntry[]; hash: string }, chapters: Chapters) {
    this.chapters = chapters;
    this.dir = files.dir;
    this.entries = files.entries;
    this.hash = files.hash;
    for (const le of this.entries) {
      this.byId.set(le.entry.id, le);
      le.entry.groups.forEach((g, gi) =>
        g.items.forEach((item, ii) => {
          if (item.type === 'code') this.add({ id: le.entry.id, code: item, where: { type: 'group', group: gi, item: ii } });
        }),
      );
      le.entry.rules.forEach((r, ri) =>
        r.codes.forEach((c) => this.add({ id: le.entry.id, code: c, where: { type: 'rule', rule: ri } })),
      );
    }
    this.index = new GuidanceIndex(this.entries.map((e) => e.entry));
    const errata = new Map<string, Erratum[]>();
    for (const e of readErrata(files.dir, (id) => this.byId.get(id)?.page)) errata.set(e.id, [...(errata.get(e.id) ?? []), e]);
    this.errata = errata;
    this.abbreviations = pageAbbreviations(this.entries.map((le) => ({ id: le.entry.id, title: le.entry.title.text, text: le.page })));
    // Words written in small letters: "FMT" on its own page is still an abbreviation.
    const pageWords = new Set(this.entries.flatMap((le) => le.page.match(/\b[a-z]+\b/g) ?? []));
    const pages = this.entries.map((le) => ({
      title: le.entry.title.text,
      about: `${le.entry.title.text}\n${le.entry.description?.text ?? ''}`,
      codes: [...new Set([...le.entry.groups.flatMap((g) => g.items.flatMap((i) => (i.type === 'code' ? [i.stem] : []))), ...le.entry.rules.flatMap((r) => r.codes.map((c) => c.stem))])],
    }));
    this.titleAcronyms = new Map([...titleAcronyms(pages, pageWords)].filter(([a]) => !this.abbreviations.has(a)));
  }

  /** Every word the guidance uses where it names things: titles, headings, codes, rules. */
  vocabulary(): string[] {
    this.words ??= this.collectWords();
    return this.words;
  }

  private words: string[] | undefined;

  private collectWords(): string[] {
    const texts: string[] = [];
    for (const { entry: e } of this.entries) {
      texts.push(e.title.text, e.description?.text ?? '');
      for (const g of e.groups) {
        texts.push(g.heading?.text ?? '');
        for (const i of g.items) texts.push(i.type === 'text' ? i.text : `${i.title ?? ''} ${i.includes.map((x) => x.text).join(' ')}`);
      }
      for (const r of e.rules) texts.push(r.text);
    }
    return texts.join(' ').toLowerCase().split(/[^a-z]+/).filter((w) => w.length > 0);
  }

  /** Everything loaded, grouped by the OPCS-4 chapter of each guidance's main procedure code. */
  catalogue(): CatalogueGroup[] {
    return (this.catalogued ??= catalogue(this.entries, this.chapters));
  }

  private catalogued: CatalogueGroup[] | undefined;

  /** `fallbackDir` holds the chapters.json used when `dir` has none (a plain folder of pages). */
  static load(dir: string, fallbackDir = SHIPPED_KNOWLEDGE): Knowledge {
    return new Knowledge(loadKnowledgeFiles(dir), chaptersFor(dir, fallbackDir));
  }

  private add(o: Occurrence): void {
    // Ranges are indexed under each stem they span, so a lookup by stem finds them.
    const stems: string[] = [];
    if (o.code.kind === 'range') {
      const letter = o.code.stem[0]!;
      const lo = Number(o.code.stem.slice(1));
      const hi = Number((o.code.last ?? o.code.stem).slice(1));
      for (let n = lo; n <= hi && n - lo < 100; n++) stems.push(`${letter}${String(n).padStart(2, '0')}`);
    } else stems.push(o.code.stem);
    for (const s of stems) {
      const list = this.byStem.get(s) ?? [];
      list.push(o);
      this.byStem.set(s, list);
    }
  }

  get(id: string): LoadedEntry | undefined {
    return this.byId.get(id.toUpperCase());
  }

  /** Lookups asked again (each answer asks several times per code) come from here. */
  private readonly lookups = new Map<string, CodeLookup>();

  lookup(ref: CodeRef): CodeLookup {
    return memoByCode(this.lookups, ref, () => this.computeLookup(ref));
  }

  private computeLookup(ref: CodeRef): CodeLookup {
    const candidates: Occurrence[] = [];
    const seen = new Set<Occurrence>();
    const stems = new Set<string>([ref.stem]);
    if (ref.kind === 'range') {
      const letter = ref.stem[0]!;
      const lo = Number(ref.stem.slice(1));
      const hi = Number((ref.last ?? ref.stem).slice(1));
      for (let n = lo; n <= hi && n - lo < 100; n++) stems.add(`${letter}${String(n).padStart(2, '0')}`);
    }
    for (const s of stems)
      for (const o of this.byStem.get(s) ?? []) {
        if (seen.has(o)) continue;
        seen.add(o);
        candidates.push(o);
      }
    const exact = candidates.filter((o) => sameCode(o.code, ref));
    const coveredBy = exact.length > 0 ? [] : candidates.filter((o) => !sameCode(o.code, ref) && covers(o.code, ref));
    const inside =
      ref.kind === 'code' ? [] : candidates.filter((o) => !sameCode(o.code, ref) && covers(ref, o.code) && o.code.kind === 'code');
    return { exact, coveredBy, inside };
  }

  /**
   * Codes whose titles (or Includes lines) carry the given terms, best first, one occurrence per
   * code. The title of the guidance using a code counts half, so "liver ablation" finds J12.4.
   */
  searchCodeTitles(terms: Term[]): Array<{ o: Occurrence; score: number }> {
    const q = queryTerms(terms);
    const wanted = [...q.required, ...q.optional];
    if (wanted.length === 0) return [];
    const best = new Map<string, { o: Occurrence; score: number }>();
    // Only guidance whose title or code titles have a word asked can score.
    const postings = this.codeTitlePostings();
    let look = new Set<number>();
    for (const k of wanted) for (const i of postings.get(k) ?? []) look.add(i);
    // A guidance that lacks every reading of something the question must have has no code that can.
    for (const m of q.mustHave) {
      const ok = new Set(m.anyOf.flatMap((all) => inEvery(all.map((k) => postings.get(k) ?? []))));
      look = new Set([...look].filter((i) => ok.has(i)));
    }
    for (const i of [...look].sort((a, b) => a - b)) {
      const le = this.entries[i]!;
      const titleKeys = keysOf(le.entry.title.text);
      le.entry.groups.forEach((g, gi) =>
        g.items.forEach((item, ii) => {
          if (item.type !== 'code' || !item.title) return;
          const keys = itemKeys(item);
          const has = (k: string) => keys.has(k) || titleKeys.has(k);
          if (q.mustHave.some((m) => !m.anyOf.some((all) => all.every(has)))) return;
          const score = wanted.reduce((sum, k) => sum + (keys.has(k) ? 1 : titleKeys.has(k) ? 0.5 : 0) * this.index.idf(k), 0);
          const prev = best.get(item.code);
          if (score > 0 && (!prev || score > prev.score)) {
            best.set(item.code, { o: { id: le.entry.id, code: item, where: { type: 'group', group: gi, item: ii } }, score });
          }
        }),
      );
    }
    const ranked = [...best.values()].sort((a, b) => b.score - a.score || (a.o.code.code < b.o.code.code ? -1 : 1));
    const top = ranked[0]?.score ?? 0;
    return ranked.filter((x) => x.score >= 0.6 * top);
  }

  private codeTitleIndex: Map<string, number[]> | null = null;

  /** Key -> the guidance whose title or code titles (or Includes lines) have it. */
  private codeTitlePostings(): Map<string, number[]> {
    if (!this.codeTitleIndex) {
      const index = new Map<string, number[]>();
      this.entries.forEach((le, i) => {
        const keys = new Set(keysOf(le.entry.title.text));
        for (const g of le.entry.groups) for (const item of g.items) if (item.type === 'code' && item.title) for (const k of itemKeys(item)) keys.add(k);
        for (const k of keys) {
          let list = index.get(k);
          if (!list) index.set(k, (list = []));
          list.push(i);
        }
      });
      this.codeTitleIndex = index;
    }
    return this.codeTitleIndex;
  }

  private readonly titleWords = new Map<string, Set<string>>();
  /** Every rule that names a code of `ref` or one inside it, in guidance order. */
  private readonly mentioning = new Map<string, Array<{ id: string; rule: Rule; index: number }>>();

  /** The words of every title guidance gives the code (or a code it is covered by). */
  codeTitleWords(ref: CodeRef): Set<string> {
    return memoByCode(this.titleWords, ref, () => {
      const { exact, coveredBy } = this.lookup(ref);
      // (Each title once: a code every guidance uses has thousands of occurrences at scale.)
      const titles = new Set<string>();
      for (const o of [...exact, ...coveredBy]) if (o.code.title) titles.add(o.code.title);
      return new Set([...titles].flatMap((title) => [...keysOf(title)]));
    });
  }

  rulesMentioning(ref: CodeRef): Array<{ id: string; rule: Rule; index: number }> {
    return memoByCode(this.mentioning, ref, () => this.computeMentioning(ref));
  }

  private computeMentioning(ref: CodeRef): Array<{ id: string; rule: Rule; index: number }> {
    const out: Array<{ id: string; rule: Rule; index: number }> = [];
    for (const le of this.entries) {
      le.entry.rules.forEach((rule, index) => {
        if (rule.codes.some((c) => sameCode(c, ref) || covers(ref, c) || covers(c, ref))) out.push({ id: le.entry.id, rule, index });
      });
    }
    return out;
  }
}

/** What was worked out for a code, kept: the knowledge does not change under it. */
function memoByCode<T>(cache: Map<string, T>, ref: CodeRef, compute: () => T): T {
  const key = `${ref.kind}|${ref.code}|${ref.stem}|${ref.last ?? ''}`;
  let found = cache.get(key);
  if (found === undefined) {
    found = compute();
    // Codes are finite; the cap only guards against a caller passing made-up ones forever.
    if (cache.size < 20_000) cache.set(key, found);
  }
  return found;
}

const itemKeyCache = new WeakMap<CodeItem, Set<string>>();
/** The terms of a code's title and its Includes lines, once per item. */
function itemKeys(item: CodeItem): Set<string> {
  let keys = itemKeyCache.get(item);
  if (!keys) {
    keys = new Set([...keysOf(item.title ?? ''), ...item.includes.flatMap((i) => [...keysOf(i.text)])]);
    itemKeyCache.set(item, keys);
  }
  return keys;
}

export type { Entry };
