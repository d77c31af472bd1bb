// The shape of OPCS-4 and ICD-10 codes as NICE pages and coders write them.
// One module so the page parser and the question extractor agree on what a code is.

export type CodeKind = 'code' | 'category' | 'range';

export interface CodeRef {
  /** Canonical spelling: `J12.4`, `Y53.-`, `Y53`, `C61.X`, `X70-X71`. */
  code: string;
  kind: CodeKind;
  /** The three-character stem (`J12`); for a range, its first stem. */
  stem: string;
  /** Last stem of a range (`X71` in `X70-X71`). */
  last?: string;
}

export interface CodeMatch extends CodeRef {
  /** The text as written, e.g. `S07. 9` or `orY75.4` without the `or`. */
  raw: string;
  start: number;
  end: number;
}

/**
 * Codes inside published NICE text. Case-sensitive: NICE writes codes in capitals, and this keeps
 * words out. Handles `Y53.-`, `C15. -`, `S07. 9`, `Y97.` (category with a stray dot), `X70-X71`,
 * bare stems (`X72`, `L76`) and codes glued to the next word (`J66.1Percutaneous`).
 */
const PAGE_CODE =
  /(?:(?<![A-Za-z0-9])|(?<=\sor))([A-Z]\d\d)(?:\s?[-–]\s?([A-Z]\d\d)(?!\.?[0-9])|\.\s?(-|X|\d{1,2})(?![0-9])|(\.)(?![0-9A-Za-z-])|(?![0-9A-Za-z]))/g;

/**
 * Codes inside a question. Case-insensitive and forgiving: `j124`, `C20X`, `c18.-`, `Y53 .9`,
 * `j 12 . 4`. A letter standing apart from its digits only counts when a dot follows the digits,
 * so "a 12 year old" is not A12.
 */
const QUERY_CODE =
  /(?<![\p{L}\p{N}@#_])([A-Za-z])(?:(\d\d)(?:\s?[-–]\s?([A-Za-z]\d\d)(?![\p{L}\p{N}.])|\s?\.\s?(-|[Xx]|\d{1,2})(?![\p{L}\p{N}])|\.(?![\p{L}\p{N}-])|([\dXx])(?![\p{L}\p{N}])|(?![\p{L}\p{N}]))|\s+(\d)\s?(\d)\s?\.\s?(-|[Xx]|\d)(?![\p{L}\p{N}]))/gu;

function ref(stem: string, fourth: string | undefined, last?: string): CodeRef {
  const s = stem.toUpperCase();
  if (last !== undefined) {
    const l = last.toUpperCase();
    return { code: `${s}-${l}`, kind: 'range', stem: s, last: l };
  }
  if (fourth === undefined) return { code: s, kind: 'category', stem: s };
  const f = fourth.toUpperCase();
  // "Y97." is the category Y97.- with its dash lost in print.
  if (f === '-' || f === '.') return { code: `${s}.-`, kind: 'category', stem: s };
  return { code: `${s}.${f}`, kind: 'code', stem: s };
}

export function findPageCodes(text: string, from = 0, to = text.length): CodeMatch[] {
  const out: CodeMatch[] = [];
  // One compiled pattern, reset per call: compiling a fresh one per call showed up in answer latency.
  const re = PAGE_CODE;
  re.lastIndex = from;
  for (let m = re.exec(text); m !== null && m.index < to; m = re.exec(text)) {
    const raw = m[0];
    const r = ref(m[1]!, m[3] ?? m[4], m[2]);
    out.push({ ...r, raw, start: m.index, end: m.index + raw.length });
  }
  return out;
}

export function findQueryCodes(text: string): CodeMatch[] {
  const out: CodeMatch[] = [];
  const re = QUERY_CODE;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const raw = m[0];
    let r: CodeRef;
    if (m[6] !== undefined) r = ref(`${m[1]}${m[6]}${m[7]}`, m[8]);
    else r = ref(`${m[1]}${m[2]}`, m[4] ?? m[5], m[3]);
    out.push({ ...r, raw, start: m.index, end: m.index + raw.length });
  }
  return out;
}

/** Parse one code written on its own (`J12.4`, `y53`, `C18.-`); undefined when it is not one. */
export function parseCode(text: string): CodeRef | undefined {
  const t = text.trim();
  const found = findQueryCodes(t);
  if (found.length !== 1 || found[0]!.start !== 0 || found[0]!.end !== t.length) return undefined;
  const { raw: _raw, start: _s, end: _e, ...r } = found[0]!;
  return r;
}

function stemNumber(stem: string): number {
  return Number(stem.slice(1));
}

/** True when `inner` is `outer` or falls inside it (a code in its category or range). */
export function covers(outer: CodeRef, inner: CodeRef): boolean {
  if (outer.code === inner.code) return true;
  if (outer.kind === 'code') return false;
  if (outer.kind === 'category') {
    if (inner.kind === 'range') return false;
    return inner.stem === outer.stem;
  }
  const letter = outer.stem[0];
  const lo = stemNumber(outer.stem);
  const hi = stemNumber(outer.last ?? outer.stem);
  const inLetter = inner.stem[0] === letter;
  const n = stemNumber(inner.stem);
  if (inner.kind === 'range') {
    const m = stemNumber(inner.last ?? inner.stem);
    return inLetter && n >= lo && m <= hi;
  }
  return inLetter && n >= lo && n <= hi;
}

/** Codes that name the same thing for a coder: `Y53`, `Y53.-` (and `Y97.`) are one category. */
export function sameCode(a: CodeRef, b: CodeRef): boolean {
  if (a.kind === 'category' && b.kind === 'category') return a.stem === b.stem;
  return a.code === b.code;
}

// A chapter letter then "code(s)" ("do I need a Y code?", "any Z codes", "Y-code", a page's "'Z'
// code"), or "chapter" then the letter ("Chapter Z site code"). Not A, I or O, which read as words
// ("a code", "I code"), and not after an apostrophe ("it's code").
const CHAPTER = /\bchapter\s*['‘’"]?([b-hj-np-z])\b|(?<![\w'’.-])['‘’"]?([b-hj-np-z])['‘’"]?(?:-|\s)?codes?\b/gi;

/** The chapter letters a text names in so many words, upper case, in order. */
export function chaptersAsked(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(CHAPTER)) {
    const letter = (m[1] ?? m[2])!.toUpperCase();
    if (!out.includes(letter)) out.push(letter);
  }
  return out;
}
