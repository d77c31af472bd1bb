// Which guidance a question is about. Terms from the question are weighed by how rare they are
// across the guidance (idf) and by where a guidance has them: its title counts most, its code
// titles and headings next, its description least. A guidance that lacks an organ, condition
// or procedure the question names is not a match at all: a wrong code is worse than none.

import { analyse, type Term } from '../text/analyse.js';
import { operationTerm } from '../text/operations.js';
import type { Entry } from './schema.js';

const TITLE = 3;
const CODES = 1.5;
const RULES = 1;
const DESCRIPTION = 0.5;
const EXTRA_TITLE = 0.3;
/** A guidance lacking something the question names must still cover this share of it. */
const PARTIAL_COVERAGE = 0.6;
/**
 * A question that says everything a guidance's title says is about that guidance above all, and
 * the more the title says, the more so ("single-port laparoscopic nephrectomy" over "laparoscopic
 * nephrectomy" when both are said).
 */
const WHOLE_TITLE = 0.5;
/** How far a guidance naming no condition covers the condition a question names. */
const INDICATION_FREE = 0.75;
/** The weight, against a match, of a word no guidance is about. */
const UNKNOWN = 0.5;

/**
 * Words that rule each other out: a guidance whose title says one side does not answer a question
 * that says the other ("deceased donor" is not "living donor liver transplantation", a partial wrist
 * replacement is not a total one, a neonate is not an adult, a patient's own cells are not a
 * donor's). A pair of sides, each a few words.
 */
const OPPOSITES: ReadonlyArray<readonly [readonly string[], readonly string[]]> = [
  [['living', 'live'], ['deceased', 'cadaveric', 'cadaver', 'dead', 'DBD', 'DCD']],
  [['adult', 'adults'], ['child', 'children', 'paediatric', 'pediatric', 'neonate', 'neonates', 'neonatal', 'newborn', 'infant', 'infants', 'baby', 'babies']],
  [['women', 'woman', 'female', 'females'], ['men', 'man', 'male', 'males']],
  [['total'], ['partial', 'hemiarthroplasty']],
  [['malignant'], ['benign', 'non-malignant']],
  [['allogeneic', 'allogenic', 'allograft'], ['autologous', 'autograft', 'autotransplant', 'autotransplantation', 'autotransplanted']],
  [['emergency', 'urgent', 'emergent'], ['elective', 'planned', 'scheduled']],
];
/** Each side's words and keys ("s:live", or a concept: "malignant" is c:cancer), with "pair:side" names. */
const SIDES: ReadonlyArray<{ name: string; words: ReadonlySet<string>; keys: ReadonlySet<string> }> = OPPOSITES.flatMap((pair, i) =>
  pair.map((words, j) => ({
    name: `${i}:${j}`,
    words: new Set(words.map((w) => w.toLowerCase())),
    keys: new Set(words.flatMap((w) => analyse(w).filter((t) => !t.implied).map((t) => t.key))),
  })),
);
/** The "pair:side" names a question's keys say: "0:1" for a deceased donor. */
export function sidesOf(keys: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const k of keys) for (const s of SIDES) if (s.keys.has(k)) out.add(s.name);
  return out;
}
/** The sides a title says in its own words (a concept can swallow one: "living donor", "total wrist replacement"). */
function titleSides(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of text.toLowerCase().match(/[a-z]+/g) ?? []) for (const s of SIDES) if (s.words.has(w)) out.add(s.name);
  return out;
}
/**
 * The words of a pair's two sides that a question and a title say, when the title says one side and
 * the question only the other ("elective" against "emergency caesarean section"), in the words as
 * written, stop words and all. Null when they do not.
 */
export function otherSide(question: string, title: string): { asked: string; titled: string } | null {
  const q = opposedSide(titleSides(question), titleSides(title));
  if (q === null) return null;
  const [pair, side] = q.split(':');
  const of = (name: string) => SIDES.find((x) => x.name === name)!.words;
  const said = (text: string, name: string) => (text.toLowerCase().match(/[a-z]+/g) ?? []).find((w) => of(name).has(w))!;
  return { asked: said(question, q), titled: said(title, `${pair}:${1 - Number(side)}`) };
}

/** The side the question says, of a pair whose other side the title says and the question does not ("0:1"), or null. */
function opposedSide(question: ReadonlySet<string>, title: ReadonlySet<string>): string | null {
  for (const q of question) {
    const [pair, side] = q.split(':');
    const other = `${pair}:${1 - Number(side)}`;
    if (title.has(other) && !title.has(q) && !question.has(other)) return q;
  }
  return null;
}

/** The title says one side of a pair and the question only the other. */
function opposed(question: ReadonlySet<string>, title: ReadonlySet<string>): boolean {
  return opposedSide(question, title) !== null;
}

/** Words after "for" in a title that say why or for whom, not what condition ("for the treatment of"). */
const FOR_WHOM = new Set(['treat', 'treatment', 'prevent', 'prevention', 'manag', 'manage', 'management', 'patient', 'peopl', 'adult', 'women', 'men', 'children', 'child', 'use', 'relief', 'symptom', 'sever', 'select', 'diagnosi', 'correct', 'palliat', 'control', 'reduct', 'improv', 'assess', 'augment', 'secondari', 'primari', 'induct', 'remov', 'repair', 'with', 'without', 'other', 'than', 'non']);

/** Where a title says what a guidance is done during, before or with ("during thyroid surgery"). */
export const SETTING = /\s+(?:prior to|before|during|after|in association with)\s+/i;

/** Categories a guidance must share with the question to be about the same thing. */
const REQUIRED = new Set(['organ', 'condition', 'procedure']);
/** Categories that pick a group within a guidance more than the guidance itself. */
const OPTIONAL = new Set(['approach', 'imaging']);

export interface SearchHit {
  id: string;
  score: number;
  /** Share (0..1) of the question's weight that this guidance covers. */
  coverage: number;
  /** Keys the question names that this guidance is not about (it may mention them in passing). */
  missing: string[];
  /**
   * The question names something this guidance is not about, and the guidance's title names a
   * condition or organ the question does not: about something else (Barrett's vs reflux disease).
   */
  contradicts: boolean;
  /** Conditions the title names that the question does not (it is more specific): "for primary cholangiocarcinoma". */
  extraConditions: string[];
}

interface Doc {
  id: string;
  weights: Map<string, number>;
  /** Terms the title is written with (not implied ones). */
  title: string[];
  /** Imaging methods the title names: "computed tomographic colonoscopy" is not any colonoscopy. */
  imaging: string[];
  /** Conditions and organs the title names, written or implied. */
  subjects: string[];
  conditions: string[];
  /** What the title rules out: "(excluding headache)". */
  excluded: string[];
  /** The procedure part of the title, before "for", "prior to", "during"...: what it is about. */
  head: string[];
  /** Plain words (no concept) of the title before "for": the procedure's own name, not what it is for. */
  named: string[];
  /** Approaches the title names (written or implied): "Laparoscopic laser myomectomy". */
  approaches: string[];
  /** Sides of OPPOSITES the title says ("living" donor). */
  sides: Set<string>;
  /** Procedure concepts the title writes ("radiofrequency", "ablation"): its kind of the procedure. */
  kinds: string[];
  /** Words of the title's procedure part that name an operation and that we have no concept for. */
  operations: string[];
  /** For each organ the title writes, another organ just before it ("uterine" nerve): which one it is. */
  sites: Map<string, Set<string>>;
  /** Organs the title writes, with the organs each is a part of ("mitral valve": a heart valve). */
  organs: Array<{ key: string; within: string[] }>;
}

/** Organ keys of these terms, each with the key of the word written just before it when `which` takes it. */
function sitesOf(terms: readonly Term[], which: (before: Term) => boolean): Map<string, Set<string>> {
  const written = terms.filter((t) => !t.implied);
  const out = new Map<string, Set<string>>();
  written.forEach((t, i) => {
    const before = written[i - 1];
    if (t.category !== 'organ' || !before || t.start - before.end > 2 || !which(before)) return;
    (out.get(t.key) ?? out.set(t.key, new Set()).get(t.key)!).add(before.key);
  });
  return out;
}

/**
 * What the page's own text says a word means, in brackets either way round: "Surgical removal of the
 * septum (metroplasty)", "metroplasty (surgical removal of the septum)". The clause only, at most
 * eight words.
 */
export function gloss(text: string | undefined, word: string): string | undefined {
  if (!text) return undefined;
  const w = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const before = new RegExp(`([^.;:()]{3,120}?)\\s*\\(\\s*${w}\\s*\\)`, 'i').exec(text);
  const after = new RegExp(`\\b${w}\\s*\\(([^()]{3,120})\\)`, 'i').exec(text);
  const clause = before?.[1]?.split(/,|\b(?:and|which|that|where)\b/i).pop() ?? after?.[1];
  if (!clause) return undefined;
  const words = clause.trim().split(/\s+/);
  return words.length > 8 || words.length === 0 ? undefined : clause.trim();
}

/** The keys of what an organ is a part of ("mitral valve": a heart valve). */
function wholesOf(t: Term): string[] {
  return (t.concept?.implies ?? []).map((i) => `c:${i}`);
}

function weigh(doc: Map<string, number>, text: string | undefined, w: number): void {
  if (!text) return;
  const set = (k: string, weight = w) => doc.set(k, Math.max(doc.get(k) ?? 0, weight));
  for (const t of analyse(text)) {
    set(t.key);
    // A phrase read as one concept ("wedge excision") still has its words: a question that says
    // "wedge resection" finds "wedge" here.
    if (t.concept && !t.implied && /\s/.test(text.slice(t.start, t.end).trim())) {
      // (As a mention, not what the guidance is named for: "implant" alone does not make TAVI.)
      for (const part of text.slice(t.start, t.end).split(/\s+/)) for (const word of analyse(part)) if (!word.concept) set(word.key, Math.min(w, RULES));
    }
  }
}

export interface QueryTerms {
  required: string[];
  optional: string[];
  /** Concepts in an aside about the patient's story: they count towards a guidance that has them
   *  as much as what is asked, but a guidance without them is not the worse a match for it. */
  context: string[];
  /** Written concepts the guidance must have (the organ, the condition...): one of the
   *  alternatives, each a set of keys that must all be there. */
  mustHave: Array<{ key: string; anyOf: string[][]; category: string }>;
}

/** Split a question's terms into what a matching guidance must have and what merely helps. */
export function queryTerms(terms: Term[]): QueryTerms {
  const required = new Set<string>();
  const optional = new Set<string>();
  const context = new Set<string>();
  const mustHave: QueryTerms['mustHave'] = [];
  // "Liver mets from a rectal primary": with metastases named, "primary" is where they came from,
  // not primary cancer of the organ.
  const metastatic = terms.some((t) => t.key === 'c:metastasis' && !t.implied);
  // ... and the organ written straight after it ("primary colorectal", "primary: sigmoid") is where.
  const primaries = metastatic ? terms.filter((t) => t.key === 'c:primary' && !t.implied) : [];
  const ofPrimary = (t: Term) => (t.category === 'organ' || t.category === 'condition') && primaries.some((p) => t.start > p.end && t.start - p.end <= 3);
  for (const t of terms) {
    const cat = t.category;
    if (cat === 'coding') continue;
    if (cat && OPTIONAL.has(cat)) {
      optional.add(t.key);
      continue;
    }
    if (t.aside || cat === 'qualifier' || (metastatic && t.key === 'c:primary' && !t.implied) || ofPrimary(t)) {
      context.add(t.key);
      continue;
    }
    // An abbreviation that stands for other concepts (RFA, CRLM) is matched through them.
    if (t.concept?.expands && t.concept.implies?.length) {
      optional.add(t.key);
      if (!t.implied && cat && REQUIRED.has(cat)) {
        mustHave.push({ key: t.key, anyOf: [[t.key], t.concept.implies.map((i) => `c:${i}`)], category: cat });
      }
      continue;
    }
    required.add(t.key);
    // The words of a phrase-concept, in any order, also count ("replacement of the ... joint").
    if (!t.implied && cat && REQUIRED.has(cat)) mustHave.push({ key: t.key, anyOf: t.parts ? [[t.key], t.parts] : [[t.key]], category: cat });
  }
  for (const k of required) {
    optional.delete(k);
    context.delete(k);
  }
  for (const k of context) optional.delete(k);
  return { required: [...required], optional: [...optional], context: [...context], mustHave };
}

/**
 * The numbers in every one of the lists (none for no lists), ascending. Each list is ascending
 * without repeats (postings are): the shortest is walked and the others searched, so "liver" in
 * thousands of guidance costs a few lookups per "resection", not a set of thousands.
 */
export function inEvery(lists: readonly (readonly number[])[]): number[] {
  if (lists.length === 0) return [];
  const [shortest, ...others] = [...lists].sort((a, b) => a.length - b.length);
  const from = others.map(() => 0);
  const out: number[] = [];
  outer: for (const n of shortest!) {
    for (let o = 0; o < others.length; o++) {
      const list = others[o]!;
      let lo = from[o]!;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (list[mid]! < n) lo = mid + 1;
        else hi = mid;
      }
      from[o] = lo;
      if (list[lo] !== n) continue outer;
    }
    out.push(n);
  }
  return out;
}

const NONE: never[] = [];

export class GuidanceIndex {
  private readonly docs: Doc[];
  private readonly df = new Map<string, number>();
  /** Key -> the docs that are about it (weight at least RULES): only they can match a question naming it. */
  private readonly postings = new Map<string, number[]>();
  /**
   * Key -> every doc that has it and with what weight, in doc order: a question's weights are read
   * from these contiguous lists, not from thousands of per-doc maps (cache misses at 100x knowledge).
   */
  private readonly weighted = new Map<string, { docs: Int32Array; weights: Float64Array }>();
  private readonly byId = new Map<string, number>();
  /** Doc -> its row among the question's candidates (-1: not one); reset after every question. */
  private readonly slot: Int32Array;

  /**
   * Plain words (stems, no lexicon concept) of the procedure part of guidance titles, before "for"
   * ("balloon dilatation of the Eustachian tube", not "severe depression"): what a coder names. Each
   * with the number of titles that have it.
   */
  procedureStems(): Map<string, number> {
    const titles = new Map<string, number>();
    for (const d of this.docs) for (const k of d.named) titles.set(k, (titles.get(k) ?? 0) + 1);
    return titles;
  }

  constructor(entries: Entry[]) {
    this.docs = entries.map((e) => {
      const w = new Map<string, number>();
      weigh(w, e.description?.text, DESCRIPTION);
      for (const r of e.rules) for (const c of r.codes) weigh(w, c.title ?? undefined, RULES);
      for (const g of e.groups) {
        weigh(w, g.heading?.text, CODES);
        for (const i of g.items) {
          if (i.type === 'text') weigh(w, i.text, CODES);
          else {
            weigh(w, i.title ?? undefined, CODES);
            for (const inc of i.includes) weigh(w, inc.text, CODES);
          }
        }
      }
      weigh(w, e.title.text, TITLE);
      const titleTerms = analyse(e.title.text);
      const written = titleTerms.filter((t) => !t.implied);
      // A title's operation word we have no concept for, as the page itself explains it ("Surgical
      // removal of the septum (metroplasty)"): the explanation is what the guidance is about too.
      for (const t of written) if (operationTerm(e.title.text, t)) weigh(w, gloss(e.description?.text, e.title.text.slice(t.start, t.end)), CODES);
      const title = [...new Set(written.map((t) => t.key))];
      const imaging = [...new Set(written.filter((t) => t.category === 'imaging').map((t) => t.key))];
      // Alternatives ("for primary or metastatic liver cancer"): a question naming one of them is
      // not contradicted by the other.
      const alternatives = new Set<string>();
      // A qualifier beside "or" stands for the word it qualifies: "radical prostatectomy or radical
      // cystectomy" has the prostate and the bladder as alternatives.
      for (const m of e.title.text.matchAll(/(?:([\w-]+)\s+)?([\w-]+)\s+or\s+([\w-]+)(?:\s+([\w-]+))?/gi)) {
        const side = (near: string, far: string | undefined) => {
          const terms = analyse(near);
          const qualifier = terms.length > 0 && terms.every((t) => t.category === 'qualifier' || t.category === 'approach');
          return qualifier && far ? [...terms, ...analyse(far)] : terms;
        };
        for (const t of [...side(m[2]!, m[1]), ...side(m[3]!, m[4])]) alternatives.add(t.key);
      }
      // What the guidance is for is said after "for" when it says so; the organs before it are
      // the route ("via percutaneous hepatic artery perfusion"), not the subject.
      const forAt = e.title.text.search(/\sfor\s/i);
      const subjectTerms = forAt >= 0 ? titleTerms.filter((t) => t.start > forAt) : titleTerms;
      // After "for", plain words name the condition as well when no concept does ("for atrial
      // fibrillation"), except words that say nothing of it ("for the treatment of ...").
      const subjects = [
        ...new Set(
          subjectTerms
            .filter((t) => !alternatives.has(t.key) && (t.category === 'condition' || t.category === 'organ' || (forAt >= 0 && !t.concept && !t.implied && !FOR_WHOM.has(t.key.slice(2)))))
            .map((t) => t.key),
        ),
      ];
      const conditions = [...new Set(titleTerms.filter((t) => t.category === 'condition').map((t) => t.key))];
      const exclusion = /\b(?:excluding|except|other than|not including)\b([^)]*)/i.exec(e.title.text);
      const excluded = exclusion ? [...new Set(analyse(exclusion[1]!).filter((t) => !t.implied).map((t) => t.key))] : [];
      // Only where the title says what the procedure is an adjunct to ("... prior to emergency caesarean section").
      const parts = e.title.text.split(SETTING);
      const head = parts.length > 1 ? [...new Set(analyse(parts[0]!).filter((t) => !t.implied && t.category !== 'approach' && t.category !== 'imaging').map((t) => t.key))] : [];
      const approaches = [...new Set(titleTerms.filter((t) => t.category === 'approach' && t.concept?.id !== 'image guided').map((t) => t.key))];
      // The procedure's own name in brackets after what it is for ("... for pectus excavatum (Nuss procedure)") names it too.
      const alias = /\(([^)]*\b(?:procedure|operation|technique)\b[^)]*)\)/i.exec(e.title.text);
      const inAlias = (t: Term) => alias !== null && t.start > alias.index && t.end <= alias.index + alias[0].length;
      const named = [...new Set(titleTerms.filter((t) => !t.implied && !t.concept && (forAt < 0 || t.start < forAt || inAlias(t))).map((t) => t.key.slice(2)))];
      return {
        id: e.id,
        weights: w,
        title,
        imaging,
        subjects,
        conditions,
        excluded,
        head,
        approaches,
        named,
        sides: titleSides(e.title.text),
        kinds: [...new Set(written.filter((t) => t.category === 'procedure').map((t) => t.key))],
        // Operation words of the title's procedure part we have no concept for ("chondroplasty").
        operations: [...new Set(written.filter((t) => (forAt < 0 || t.start < forAt) && operationTerm(e.title.text, t)).map((t) => t.key))],
        // (Another organ before it says which: "uterine" nerve. "superficial" bladder does not.)
        sites: sitesOf(titleTerms, (b) => b.category === 'organ'),
        organs: written.filter((t) => t.category === 'organ').map((t) => ({ key: t.key, within: wholesOf(t) })),
      };
    });
    const all = new Map<string, { docs: number[]; weights: number[] }>();
    this.docs.forEach((d, i) => {
      this.byId.set(d.id, i);
      for (const [k, w] of d.weights) {
        let any = all.get(k);
        if (!any) all.set(k, (any = { docs: [], weights: [] }));
        any.docs.push(i);
        any.weights.push(w);
        if (w < RULES) continue;
        let list = this.postings.get(k);
        if (!list) this.postings.set(k, (list = []));
        list.push(i);
      }
    });
    for (const [k, { docs, weights }] of all) this.weighted.set(k, { docs: Int32Array.from(docs), weights: Float64Array.from(weights) });
    this.slot = new Int32Array(this.docs.length).fill(-1);
    // Rarity counts only where a guidance is about a term (title, codes), not where it mentions it.
    for (const d of this.docs) {
      for (const [k, w] of d.weights) if (w >= CODES) this.df.set(k, (this.df.get(k) ?? 0) + 1);
    }
  }

  /** Is the key in this guidance's title (its own words or what they imply)? */
  inTitle(id: string, key: string): boolean {
    const i = this.byId.get(id);
    return i !== undefined && this.docs[i]!.title.includes(key);
  }

  /** Is this guidance about the key (title, codes, headings or rules, not only its description)? */
  isAbout(id: string, key: string): boolean {
    const i = this.byId.get(id);
    const d = i === undefined ? undefined : this.docs[i];
    return d !== undefined && (d.weights.get(key) ?? 0) >= RULES;
  }

  private readonly idfs = new Map<string, number>();

  idf(key: string): number {
    let v = this.idfs.get(key);
    if (v === undefined) {
      const n = this.docs.length;
      v = Math.log(1 + (n + 1) / ((this.df.get(key) ?? 0) + 0.5));
      // Question words are unbounded; knowledge keys are not.
      if (this.idfs.size < 100_000) this.idfs.set(key, v);
    }
    return v;
  }

  /** The same terms asked again (several handlers ask per answer) get the same hits, once computed. */
  private readonly cache = new WeakMap<Term[], SearchHit[]>();

  /** Ranked guidance for a question's terms; only real matches, best first. */
  search(terms: Term[]): SearchHit[] {
    let hits = this.cache.get(terms);
    if (!hits) {
      hits = this.compute(terms);
      this.cache.set(terms, hits);
    }
    return hits;
  }

  private compute(terms: Term[]): SearchHit[] {
    const q = queryTerms(terms);
    if (q.required.length === 0 && q.optional.length === 0 && q.context.length === 0) return [];
    // Each written term and what it implies is one thing asked: a guidance that has the term
    // itself ("hepatocellular carcinoma" for HCC) covers all of it; one that has some of what it
    // implies (liver, cancer) covers that share.
    const units = new Map<string, string[]>();
    for (const k of q.required) {
      const t = terms.find((x) => x.key === k)!;
      const span = `${t.start}:${t.end}`;
      units.set(span, [...(units.get(span) ?? []), k]);
    }
    // A word no guidance is about ("cirrhotic", "inc", "table") tells no guidance from another:
    // it still counts against a match, at half weight.
    const weightOf = (k: string) => (this.postings.has(k) ? 1 : UNKNOWN) * this.idf(k);
    const unitWeight = [...units.values()].map((keys) => keys.reduce((s, k) => s + weightOf(k), 0));
    // Units that name what the procedure is for (a condition, written or as an abbreviation).
    const indication = [...units.keys()].map((span) => terms.some((t) => `${t.start}:${t.end}` === span && !t.implied && (t.category === 'condition' || t.purpose)));
    const total = unitWeight.reduce((s, w) => s + w, 0);
    const categories = new Map<string, Term['category']>();
    const writtenCategories = new Map<string, Term['category']>();
    for (const t of terms) {
      if (!categories.has(t.key)) categories.set(t.key, t.category);
      if (!t.implied && !writtenCategories.has(t.key)) writtenCategories.set(t.key, t.category);
    }
    const categoryOf = (k: string) => categories.get(k);
    const unitList = [...units.values()];
    const unitIdfs = unitList.map((keys) => keys.map((k) => this.idf(k)));
    const unitIdfSum = unitIdfs.map((xs) => xs.reduce((s, x) => s + x, 0));
    const requiredSet = new Set(q.required);
    const optionalSet = new Set(q.optional);
    const procedureKeys = [...q.required, ...q.mustHave.map((m) => m.key)].filter((k) => categoryOf(k) === 'procedure');
    const unknownKeys = q.required.filter((k) => !categoryOf(k));
    const asked = new Set([...q.required, ...q.optional, ...q.context]);
    const askedAll = new Set([...asked, ...terms.map((t) => t.key)]);
    const partsOf = new Map(terms.filter((t) => t.parts).map((t) => [t.key, t.parts!] as const));
    const askedApproaches = [...new Set(terms.filter((t) => t.category === 'approach' && t.concept?.id !== 'image guided').map((t) => t.key))];
    const questionHasSubject = terms.some((t) => t.category === 'organ' || t.category === 'condition');
    const writtenSubject = terms.some((t) => !t.implied && (t.category === 'organ' || t.category === 'condition'));
    const forUnknown = terms.some((t) => t.indication && !t.aside);
    const indicationKeys = terms.filter((t) => t.indication && !t.aside).map((t) => t.key);
    const procedures = q.mustHave.filter((m) => m.category === 'procedure');
    const subjects = q.mustHave.filter((m) => m.category === 'organ' || m.category === 'condition');
    const writtenProcedures = [...new Set(terms.filter((t) => !t.implied && t.category === 'procedure').map((t) => t.key))];
    const operationWords = [...new Set(terms.filter((t) => t.operation && !t.aside).map((t) => t.key))];
    // Words we have no concept for written just before an organ ("genicular nerve"): which one it is.
    const questionSites = [...sitesOf(terms, (b) => !b.category && b.key.startsWith('s:'))].flatMap(([organ, before]) => [...before].map((k) => ({ organ, k })));
    // Words we have no concept for written just before a procedure ("mechanochemical ablation"): its kind.
    const kindWords = terms
      .filter((t) => !t.implied && !t.concept && t.key.startsWith('s:') && terms.some((p) => p.category === 'procedure' && !p.implied && p.start > t.end && p.start - t.end <= 2))
      .map((t) => t.key);
    // What the question says of the patient's story ("hx of ...") does not rule a guidance out.
    const questionSides = sidesOf(terms.filter((t) => !t.implied && !t.aside).map((t) => t.key));
    const questionOrgans = terms.filter((t) => !t.implied && !t.aside && t.category === 'organ' && wholesOf(t).length > 0).map((t) => ({ key: t.key, within: wholesOf(t) }));
    const hits: SearchHit[] = [];
    // A match must be about at least one required key: only those docs are looked at (an index,
    // not a scan of every guidance).
    const slot = this.slot;
    const marked: number[] = [];
    for (const k of q.required) {
      for (const i of this.postings.get(k) ?? []) {
        if (slot[i] === -1) marked.push(i);
        slot[i] = 0;
      }
    }
    let candidates: number[];
    // A guidance about none of the procedures the question names is never a match (below): only
    // those about every word of some reading of one of them are looked at.
    if (procedures.length > 0) {
      candidates = [];
      for (const m of procedures) {
        for (const all of m.anyOf) {
          for (const i of inEvery(all.map((k) => this.postings.get(k) ?? []))) {
            // 0: about a required key and not yet taken; 1: taken.
            if (slot[i] !== 0) continue;
            candidates.push(i);
            slot[i] = 1;
          }
        }
      }
    } else candidates = marked;
    candidates.sort((a, b) => a - b);
    for (const i of marked) slot[i] = -1;
    // Each candidate's weight for each of the question's keys, read key at a time from the postings.
    const keyIndex = new Map<string, number>();
    for (const k of [...q.required, ...q.optional, ...q.context, ...q.mustHave.flatMap((m) => m.anyOf.flat()), ...[...partsOf.values()].flat()]) {
      if (!keyIndex.has(k)) keyIndex.set(k, keyIndex.size);
    }
    const K = keyIndex.size;
    const table = new Float64Array(candidates.length * K);
    candidates.forEach((ci, row) => (slot[ci] = row));
    for (const [k, j] of keyIndex) {
      const list = this.weighted.get(k);
      if (!list) continue;
      for (let p = 0; p < list.docs.length; p++) {
        const row = slot[list.docs[p]!]!;
        if (row >= 0) table[row * K + j] = list.weights[p]!;
      }
    }
    for (const ci of candidates) slot[ci] = -1;
    /** The weight candidate `row` has for key `k` (0: it does not have it; every weight is above 0). */
    const weight = (row: number, k: string): number => {
      const j = keyIndex.get(k);
      return j === undefined ? (this.docs[candidates[row]!]!.weights.get(k) ?? 0) : table[row * K + j]!;
    };
    // How many guidance are about every procedure the question names.
    // (Counted only when a question needs it.)
    let sameProcedureCount: number | undefined;
    const sameProcedure = () =>
      (sameProcedureCount ??=
        procedures.length === 0 ? 0 : candidates.filter((_, row) => procedures.every((m) => m.anyOf.some((all) => all.every((k) => weight(row, k) >= RULES)))).length);
    // Per candidate, how well it has each required key (by position in q.required): 0 not at all.
    const level = new Float64Array(q.required.length);
    const unitAt = unitList.map((keys) => keys.map((k) => q.required.indexOf(k)));
    let row = -1;
    // What a guidance's description merely mentions (other treatments, other organs) does not count.
    const about = (k: string) => weight(row, k) >= RULES;
    const has = (k: string) => weight(row, k) || undefined;
    const met = (m: (typeof q.mustHave)[number]) => m.anyOf.some((all) => all.every(about));
    for (const ci of candidates) {
      row++;
      const d = this.docs[ci]!;
      // What the question names that the guidance is not about. The procedure and at least one
      // organ or condition must be there; a qualifier missing ("colorectal" liver metastases for
      // liver metastases in general) makes a partial match, said as such.
      // (Most candidates meet everything: nothing is allocated for them.)
      const unmet = q.mustHave.every(met) ? NONE : q.mustHave.filter((m) => !met(m));
      let adjunctOnly = false;
      const unmetKeys: string[] = [];
      if (unmet.length > 0) {
        // Met at least half way: "colorectal liver metastases" against liver metastases.
        const partly = (m: (typeof q.mustHave)[number]) => !unmet.includes(m) || m.anyOf.some((all) => all.length > 1 && all.filter(about).length * 2 >= all.length);
        // A guidance on what is done during another operation ("intraoperative nerve monitoring during
        // thyroid surgery"), asked about by its own name, with the operation named in other words on
        // the same organ ("total thyroidectomy with intraop nerve monitoring"): the operation is
        // only its setting.
        adjunctOnly =
          d.head.some((k) => askedAll.has(k)) &&
          unmet.every((m) => m.category === 'procedure') &&
          d.subjects.length > 0 &&
          d.subjects.every((k) => askedAll.has(k));
        // A procedure the question names must be there whole: microwave ablation is not cryoablation.
        if (procedures.length > 0 && procedures.every((m) => unmet.includes(m))) continue;
        // Coders name the procedure done first ("PRK following corneal graft", "PCI with stent"):
        // a guidance that lacks it is not a partial answer, whatever else it shares.
        if (procedures[0] && !partly(procedures[0]) && !adjunctOnly) continue;
        if (subjects.length > 0 && !subjects.some(partly)) continue;
        for (const m of unmet) {
          // The closest reading: the alternative with most of its keys present.
          const best = [...m.anyOf].sort((a, b) => b.filter(about).length / b.length - a.filter(about).length / a.length)[0]!;
          for (const k of best) if (!about(k) && !unmetKeys.includes(k)) unmetKeys.push(k);
        }
      }
      if (d.imaging.some((k) => !optionalSet.has(k) && !requiredSet.has(k))) continue;
      // A question that names its procedure only in words we have no concept for ("TVT for SUI")
      // matches a guidance about one of those words, not one that shares only the condition.
      if (procedureKeys.length === 0 && unknownKeys.length > 0 && !unknownKeys.some(about)) continue;
      // Likewise a question that names what was treated only in such words ("laser for TTTS"),
      // when several guidance share its procedure: one that shares just that may be about anything else.
      // (Or when the guidance is for a condition the question does not name: "DBS for Parkinson's"
      // is not deep brain stimulation for chronic pain.)
      if (unknownKeys.length > 0 && !unknownKeys.some(about) && ((!questionHasSubject && sameProcedure() > 1) || (forUnknown && !writtenSubject && d.conditions.some((k) => !askedAll.has(k))))) continue;
      // What the procedure was for, in a word we have no concept for ("mechanical thrombectomy for
      // DVT"), that a guidance for a condition the question does not name lacks (acute ischaemic
      // stroke): another use of the procedure, however much of the procedure's name it shares.
      if (indicationKeys.length > 0 && !indicationKeys.some(about) && !writtenSubject && d.subjects.some((k) => !askedAll.has(k))) continue;
      // A question that names only what a guidance is an adjunct to ("caesarean section"), nothing
      // of what it does ("insertion of a balloon device ... prior to emergency caesarean section"), is not about it.
      if (d.head.length > 0 && !d.head.some((k) => askedAll.has(k))) continue;
      // A question that names no organ or condition ("MRI guided biopsy") is only about a guidance
      // whose title names what it asks for, not one that lists it among its codes.
      if (!questionHasSubject && !q.required.some((k) => weight(row, k) >= TITLE)) continue;
      // A guidance about one approach does not answer a question about another: an open radical
      // prostatectomy is not coded from the laparoscopic guidance.
      if (d.approaches.length > 0 && askedApproaches.length > 0 && !askedApproaches.some((k) => d.approaches.includes(k))) continue;
      // A title that rules out what the question is about ("excluding headache") is no match.
      // (A question that repeats the whole title, exclusion and all, is about it.)
      if (d.excluded.some((k) => requiredSet.has(k)) && !d.title.every((k) => asked.has(k))) continue;
      if (questionSides.size > 0 && opposed(questionSides, d.sides)) continue;
      // An organ the question names that the guidance lacks, where its title names another part of
      // the same whole ("tricuspid" regurgitation against mitral valve leaflet repair: both heart
      // valves) is another site, not a partial match.
      if (questionOrgans.some((q) => !about(q.key) && d.organs.some((o) => o.key !== q.key && !askedAll.has(o.key) && o.within.some((w) => q.within.includes(w))))) continue;
      let score = 0;
      let strong = false;
      const missing: string[] = [];
      level.fill(0);
      for (let r = 0; r < q.required.length; r++) {
        const k = q.required[r]!;
        // A phrase-concept the guidance writes in other words counts as its weakest word.
        const parts = partsOf.get(k);
        const w = has(k) ?? (parts && parts.every((p) => has(p) !== undefined) ? Math.min(...parts.map((p) => weight(row, p))) : undefined);
        if (w === undefined || w < RULES) missing.push(k);
        if (w === undefined) continue;
        score += this.idf(k) * w;
        level[r] = w >= CODES ? 1 : w >= RULES ? 0.75 : 0.5;
        if (w >= RULES) strong = true;
      }
      let covered = 0;
      for (let i = 0; i < unitList.length; i++) {
        const at = unitAt[i]!;
        // The written term itself entails the rest; else the share of its implications present.
        const written = level[at[0]!]!;
        const idfs = unitIdfs[i]!;
        let present = 0;
        for (let j = 0; j < at.length; j++) present += idfs[j]! * level[at[j]!]!;
        const implied = present / unitIdfSum[i]!;
        // A guidance whose title names no condition is about the procedure whatever it is done for:
        // the indication a question adds ("... for CRLM") does not count against it (it is still
        // said as not mentioned).
        const forAnything = indication[i] && d.conditions.length === 0 ? INDICATION_FREE : 0;
        // The operation an adjunct guidance is done during counts as its setting, as far as that.
        const setting = adjunctOnly && unmet.some((m) => m.key === q.required[at[0]!]) ? INDICATION_FREE : 0;
        covered += unitWeight[i]! * Math.max(written, implied, forAnything, setting);
      }
      for (const k of q.context) {
        const w = has(k);
        if (w !== undefined) score += this.idf(k) * w;
      }
      for (const k of q.optional) {
        const w = has(k);
        if (w !== undefined) score += 0.3 * this.idf(k) * w;
      }
      // A title that says more than the question (single-port, early-stage) loses a little to a
      // general one, so the general guidance answers the general question.
      let whole = d.title.length > 0;
      let titleWeight = 0;
      for (const k of d.title) {
        const idf = this.idf(k);
        titleWeight += idf;
        if (asked.has(k)) continue;
        score -= EXTRA_TITLE * idf;
        whole = false;
      }
      if (whole) score += WHOLE_TITLE * titleWeight;
      const coverage = total > 0 ? covered / total : 0;
      if (!strong || score <= 0) continue;
      // An operation named in a word we have no concept for ("balloon sinuplasty") that the guidance
      // lacks, when it shares no procedure concept with the question nor a word only it is about
      // ("eustachian" in "eustachian tuboplasty with a balloon"), is another operation: no partial answer.
      if (
        operationWords.some((k) => missing.includes(k)) &&
        !writtenProcedures.some(about) &&
        !q.required.some((k) => !categoryOf(k) && !operationWords.includes(k) && about(k) && this.df.get(k) === 1)
      )
        continue;
      if (unmetKeys.length > 0) {
        if (coverage < PARTIAL_COVERAGE && !adjunctOnly) continue;
        // Words we have no concept for that other guidance is about, on top of a missing subject,
        // may name another procedure altogether: no partial answer.
        if (!adjunctOnly && missing.some((k) => !categoryOf(k) && (this.df.get(k) ?? 0) > 0)) continue;
        for (const k of unmetKeys) if (!missing.includes(k)) missing.push(k);
      }
      // The question's procedure with a kind of its own in words we have no concept for
      // ("mechanochemical ablation of veins"), against a title with that procedure and another kind
      // of it ("radiofrequency ablation of varicose veins"): another procedure, no partial answer.
      // So is the same organ at another site, or one the title does not name: "genicular nerve
      // ablation" is neither uterine nerve ablation nor thoracic sympathectomy.
      if (
        questionSites.some(({ organ, k }) => {
          if (!missing.includes(k)) return false;
          const others = d.sites.get(organ);
          return others ? [...others].some((m) => m !== k && !askedAll.has(m)) : !d.title.includes(organ);
        })
      )
        continue;
      // So is a guidance for a condition the question does not name ("sleeve gastrectomy" against
      // laparoscopic gastrectomy for cancer), or whose title gives the procedure a kind of its own
      // in words we have no concept for ("PRP injection" against autologous blood injection).
      if (
        kindWords.length > 0 &&
        kindWords.some((k) => missing.includes(k)) &&
        writtenProcedures.every((k) => d.title.includes(k)) &&
        (d.kinds.some((k) => !askedAll.has(k)) ||
          (!writtenSubject && d.subjects.some((k) => !askedAll.has(k))) ||
          d.operations.some((k) => !askedAll.has(k)) ||
          d.named.some((k) => !askedAll.has(`s:${k}`)))
      )
        continue;
      // Matched on one word we have no concept for ("artificial"), while a missing one is what other
      // guidance is about ("implant"): likely another procedure altogether, no partial answer.
      const matched = q.required.filter((k) => !missing.includes(k));
      if (matched.length === 1 && !categoryOf(matched[0]!) && missing.some((k) => !categoryOf(k) && (this.df.get(k) ?? 0) > 0)) continue;
      // Only a missing known condition or organ can make it about something else: a missing
      // procedure word makes a partial match at most, and an unknown word may be jargon we lack.
      const subjectMissing = missing.some((k) => {
        const cat = writtenCategories.get(k);
        return cat === 'condition' || cat === 'organ';
      });
      const contradicts = subjectMissing && d.subjects.some((k) => !askedAll.has(k));
      const extraConditions = d.conditions.filter((k) => !askedAll.has(k));
      hits.push({ id: d.id, score, coverage, missing, contradicts, extraConditions });
    }
    return hits.sort((a, b) => b.score - a.score || Number(a.id.slice(3)) - Number(b.id.slice(3)));
  }
}
