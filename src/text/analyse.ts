// Words to terms: lexicon concepts where the words name one (RFA, "liver mets"), stems otherwise.
// The same analysis runs over questions and over NICE text, so both meet on the same keys.

import { CONCEPTS, type Concept, type TermCategory } from './lexicon.js';
import { stem } from './natural.js';

export interface Word {
  /** Lower case, apostrophes dropped. */
  lower: string;
  stem: string;
  upper: boolean;
  start: number;
  end: number;
}

export interface Term {
  /** `c:liver` for a concept, `s:arthroscopi` for a plain stem. */
  key: string;
  concept?: Concept;
  category?: TermCategory;
  /** Entailed by another concept rather than written. */
  implied: boolean;
  start: number;
  end: number;
  /** For a concept written in several words ("joint replacement"): their stems as keys, so a text
   *  that has the words in another order ("replacement of the joint") can still be found. */
  parts?: string[];
  /** Written in an aside about the patient's story ("primary was sigmoid ca"): helps, never decides a match. */
  aside?: boolean;
  /** A word with no concept written right after "for": what the procedure was for ("DBS for Parkinson's"). */
  indication?: boolean;
  /** An organ named in what the procedure was for, after "for", when the question names the
   *  procedure's own organ before it ("liver resection ... for CRC mets": colorectal). */
  purpose?: boolean;
  /** A word we have no concept for that names an operation by its form ("sinuplasty", "gastroplasty"). */
  operation?: boolean;
}

const WORD = /[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu;

/** Turns a lower-case word into the word meant (typo repair); identity by default. */
export type Corrector = (lower: string) => string;

export function words(text: string, correct?: Corrector): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(WORD)) {
    const raw = m[0];
    const typed = raw.toLowerCase().replace(/'/g, '');
    const lower = correct && !STOP.has(typed) ? correct(typed) : typed;
    out.push({
      lower,
      stem: stem(lower),
      upper: raw.length > 1 && raw === raw.toUpperCase() && /\p{L}/u.test(raw),
      start: m.index,
      end: m.index + raw.length,
    });
  }
  return out;
}

/** Every word the lexicon knows, for the speller's vocabulary. */
export function lexiconWords(): string[] {
  return CONCEPTS.flatMap((c) => [c.id, ...c.forms, ...(c.upper ?? [])]).flatMap((f) => f.toLowerCase().split(/[^a-z]+/)).filter(Boolean);
}

/** English function words, and words every coding question has, which say nothing about the procedure. */
const STOP = new Set(
  `a about above after again all also am an and any are as at be because been before being below between both but by can
could did do does doing done during each either else etc few for from further had has have having he her here hers him his
how i if in into is it its itself just let me might more most much must my myself no nor not now of off on once only or
other our ours out over own please same shall she should so some such than that the their them then there these they this
those through to too under until up upon us very via was we well were what whats when where which while who whom why will
with within without would you your yours hi hello thanks thank cheers ok okay yes yeah hey pls plz re wot wat wut
code codes coding coded coder coders opcs opcs4 opcs-4 classification classifications classify nice guidance guideline
ipg procedure procedures treatment treatments treat treated treating therapy operation operations need needs use used
using record recorded assign assigned correct right wrong patient patients tell know mean meaning means title titles
look lookup list give show find get want question ask answer check does say says said sure way one two done
including include includes excluding exclude excludes
summarise summarize summary summaries overview describe description explain explanation details detail information info
link url read full loaded replace replaced replaces supersede superseded supersedes previous older earlier
rule rules note notes order sequence sequencing sequenced mandatory compulsory necessary required require requires
valid validate verify confirm audit query advice stand stands category categories subcode subcodes search show
exist exists available mention mentions mentioned contain contains containing apply applies go goes put add added
cover covers covered covering regarding concerning relating related compare compared compares comparing comparison versus vs differ differs difference differences
still doesn doesnt dont didnt isnt wasnt arent werent cant couldnt shouldnt wouldnt haven hasn hadn won op ops
anything something everything nothing thing things stuff bit lot actually also instead rather then though just really quite matter matters uses meant misspoke oops typo correction converted converting conversion given provided extra many much times often separate separately additionally whether specific specifically correctly properly appropriate appropriately relevant anyway concern concerns concerned published publish publication issued released year gave sides bilaterally unilaterally im ive youre new ta possible possibly applicable
what whatever which whichever happen happens happened change changes changed difference different same other another
ok okay fine happy else maybe perhaps probably think thought surgery surgical
device devices system systems kit technique techniques method methods type types kind plus
day case daycase inpatient inpatients outpatient outpatients admission admitted elective iv intravenous ga la
anaesthetic anaesthesia sedation session sessions today yesterday tomorrow left right bilateral unilateral
x1 x2 x3 x4 route en bloc performed carried underwent undergone segment segments seg side sided size sized yet session sessions daily weekly week weeks day days gbq mbq gy cgy mg mcg ml mm cm kg needed got gotten undergoing undergo causing caused morning afternoon evening hiya quick sorry bother help helping lesion lesions see seen page pages website ipgs guidances guidelines turns turned apparently histology histopathology histo pathology path report results result`.split(/\s+/),
);

interface Phrase {
  concept: Concept;
  length: number;
  upperOnly: boolean;
}

const phrases = new Map<string, Phrase[]>();
/** First stem of a phrase -> the longest phrase starting with it: most words start none. */
const longestFrom = new Map<string, number>();

function addForm(concept: Concept, form: string, upperOnly: boolean): void {
  const stems = words(form).map((w) => w.stem);
  if (stems.length === 0) return;
  const key = stems.join(' ');
  const list = phrases.get(key) ?? [];
  list.push({ concept, length: stems.length, upperOnly });
  phrases.set(key, list);
  longestFrom.set(stems[0]!, Math.max(longestFrom.get(stems[0]!) ?? 0, stems.length));
}

const byId = new Map<string, Concept>();
for (const c of CONCEPTS) {
  byId.set(c.id, c);
  addForm(c, c.id, false);
  for (const f of c.forms) addForm(c, f, false);
  for (const f of c.upper ?? []) addForm(c, f, true);
}

function conceptTerms(concept: Concept, start: number, end: number, out: Term[], implied: boolean, seen: Set<string>): void {
  const key = `c:${concept.id}`;
  if (seen.has(key) && implied) return;
  seen.add(key);
  out.push({ key, concept, category: concept.category, implied, start, end });
  for (const id of concept.implies ?? []) {
    const c = byId.get(id);
    if (c) conceptTerms(c, start, end, out, true, seen);
  }
}

export interface AnalyseOptions {
  /** Keep function words and generic coding words (as `s:` terms). */
  keepStop?: boolean;
  correct?: Corrector;
}

/** Terms in reading order; a concept written several times appears each time. */
export function analyse(text: string, opts: AnalyseOptions = {}): Term[] {
  const ws = words(text, opts.correct);
  const out: Term[] = [];
  const seen = new Set<string>();
  let i = 0;
  while (i < ws.length) {
    let matched: Phrase | undefined;
    for (let n = Math.min(longestFrom.get(ws[i]!.stem) ?? 0, ws.length - i); n >= 1 && !matched; n--) {
      const key = ws
        .slice(i, i + n)
        .map((w) => w.stem)
        .join(' ');
      const candidates = phrases.get(key);
      if (!candidates) continue;
      const allUpper = ws.slice(i, i + n).every((w) => w.upper);
      matched = candidates.find((p) => !p.upperOnly || allUpper);
    }
    if (matched) {
      const at = out.length;
      conceptTerms(matched.concept, ws[i]!.start, ws[i + matched.length - 1]!.end, out, false, seen);
      if (matched.length > 1 && out[at]) {
        const parts = ws.slice(i, i + matched.length).filter((w) => !STOP.has(w.lower)).map((w) => `s:${w.stem}`);
        if (parts.length > 1) out[at]!.parts = parts;
      }
      i += matched.length;
      continue;
    }
    const w = ws[i]!;
    // A spinal level (L4, C5/6, S1) says where, never which procedure.
    // A size or count ("3cm", "20mm", "2nd") says nothing of what was done.
    const stopword = STOP.has(w.lower) || /^\d/.test(w.lower) || /^[a-z]\d$/.test(w.lower) || w.lower.length < 2;
    if (!stopword || opts.keepStop) out.push({ key: `s:${w.stem}`, implied: false, start: w.start, end: w.end });
    i++;
  }
  return out;
}

/** Distinct keys, for set arithmetic. */
export function termKeys(terms: Term[]): Set<string> {
  return new Set(terms.map((t) => t.key));
}

const keyCache = new Map<string, Set<string>>();

/** Term keys of a knowledge text, memoised: the same titles and rules are read on every answer. */
export function keysOf(text: string): Set<string> {
  let keys = keyCache.get(text);
  if (!keys) {
    keys = termKeys(analyse(text));
    // Knowledge texts are finite; the cap only guards against a caller passing user text.
    if (keyCache.size < 50_000) keyCache.set(text, keys);
  }
  return keys;
}
