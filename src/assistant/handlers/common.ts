// Pieces several handlers use to put guidance into a reply.

import type { CodeRef } from '../../knowledge/codes.js';
import type { LoadedEntry } from '../../knowledge/load.js';
import type { CodeItem, Group, Rule } from '../../knowledge/schema.js';
import { keysOf, type Term } from '../../text/analyse.js';
import { guidanceTitle, tidy, type ReplyDraft } from '../draft.js';
import type { ReplyCode } from '../reply.js';
import { otherSide, type SearchHit } from '../../knowledge/search.js';
import type { Resolution, Turn } from '../turn.js';

export const NOT_COVERED =
  'For anything the loaded NICE guidance does not cover, check the NHS Classifications Service (NHS England) and its OPCS-4 and ICD-10 browsers and coding standards, or ask your coding lead.';

export function heading(g: Group): string | null {
  return g.heading ? tidy(g.heading.text).replace(/:$/, '') : null;
}

export function entryName(le: LoadedEntry): string {
  return `${guidanceTitle(le)} (${le.entry.id})`;
}

/** Quote a group of codes and add its codes. */
export function showGroup(draft: ReplyDraft, le: LoadedEntry, g: Group, label: string): void {
  const first = g.items[0]!;
  const last = g.items[g.items.length - 1]!;
  const start = g.instruction && g.instruction.start < first.start ? g.instruction.start : first.start;
  draft.cite(le, start, last.end);
  if (g.instruction) draft.text(tidy(g.instruction.text));
  const codes: ReplyCode[] = [];
  for (const item of g.items) {
    if (item.type === 'code') {
      const rc = draft.code(le, item);
      if (item.alternativeTo !== null) {
        const alt = g.items[item.alternativeTo];
        if (alt?.type === 'code') rc.role = `${rc.role}; or instead of ${alt.code}`;
      }
      codes.push(rc);
      for (const inc of item.includes) draft.text(`  ${item.code} includes: ${tidy(inc.text)}`);
    }
  }
  draft.codesBlock(label, codes);
  for (const item of g.items) if (item.type === 'text') draft.text(`Plus: ${tidy(item.text)}`);
}

/** The SNOMED CT terms a guidance gives, for the record, kept apart from the classification codes. */
export function snomedBlocks(draft: ReplyDraft, le: LoadedEntry): void {
  for (const use of ['procedure', 'diagnosis'] as const) {
    const concepts = le.entry.snomed.filter((c) => c.use === use);
    if (concepts.length > 0) draft.codesBlock(`SNOMED CT preferred terms (${use === 'procedure' ? 'procedure' : 'diagnosis or health condition'}), for the patient record, not a classification code`, concepts.map((c) => draft.snomed(le, c)));
  }
}

/** "how is that different from HDR cervix brachy coding", "compared with ...", "X vs Y". */
export const DIFFERS = /\b(?:differ(?:s|ent|ence|ences|ently)?|compared?|comparison|versus|vs\.?)\b/i;

/**
 * A question that compares the conversation's guidance with another it names: both pages' codes,
 * quoted, then which codes only one of them gives.
 */
export function compare(turn: Turn, other: LoadedEntry, context: LoadedEntry): void {
  const d = turn.draft;
  d.answered = true;
  d.title = `How ${other.entry.id} and ${context.entry.id} are coded`;
  d.text(`${other.entry.id} (${tidy(other.entry.title.text)}) and ${context.entry.id} (${tidy(context.entry.title.text)}) give these codes:`);
  const listed = (le: LoadedEntry) => new Set(le.entry.groups.flatMap((g) => g.items).flatMap((i) => (i.type === 'code' ? [i.code] : [])));
  for (const le of [other, context]) {
    for (const g of le.entry.groups) showGroup(d, le, g, `${le.entry.id}${heading(g) ? `, ${heading(g)}` : ''} (${le.entry.version ?? 'OPCS-4'})`);
    if (le.entry.groups.length === 0) d.text(`${le.entry.id} gives no OPCS-4 codes.`);
  }
  const mine = listed(other);
  const theirs = listed(context);
  const onlyMine = [...mine].filter((c) => !theirs.has(c));
  const onlyTheirs = [...theirs].filter((c) => !mine.has(c));
  const both = [...mine].filter((c) => theirs.has(c));
  if (onlyMine.length > 0) d.text(`Only ${other.entry.id} gives ${onlyMine.join(', ')}.`);
  if (onlyTheirs.length > 0) d.text(`Only ${context.entry.id} gives ${onlyTheirs.join(', ')}.`);
  if (both.length > 0) d.text(`Both give ${both.join(', ')}.`);
  d.state = { guidance: other.entry.id, codes: d.codes.map((c) => c.code) };
  d.suggest(`How do I code ${tidy(other.entry.title.text)}?`);
}

/** Words that only say the question compares ("compare", "differ"): not what it is about. */
const COMPARING = new Set(['s:compar', 's:comparison', 's:differ', 's:versu', 's:vs']);

/** The question compares the conversation's guidance with another, found for all it names. */
export function comparesWith(turn: Turn, hit: SearchHit | undefined): boolean {
  const { u, state } = turn;
  return DIFFERS.test(u.text) && state.guidance !== null && hit !== undefined && hit.id !== state.guidance && u.codes.length === 0 && hit.missing.every((k) => COMPARING.has(k)) && !hit.contradicts;
}

const SHOWN_RULES = new Set(['note', 'additional', 'diagnosis', 'limitation', 'instruction']);

/** The rules a coder should read with the codes, in page order. */
export function rulesToShow(le: LoadedEntry, shownGroups: Group[]): Rule[] {
  const used = new Set(shownGroups.map((g) => g.instruction?.start));
  return le.entry.rules.filter((r) => SHOWN_RULES.has(r.kind) && !used.has(r.start));
}

/** OPCS-4 codes the notes name beyond the listed ones (Y53.9 when the method is unspecified...). */
export function noteCodes(draft: ReplyDraft, le: LoadedEntry, rules: Rule[], listed: CodeItem[]): void {
  const codes: ReplyCode[] = [];
  for (const r of rules) {
    for (const c of r.codes) {
      if (c.system !== 'OPCS-4' || listed.some((l) => l.code === c.code) || codes.some((x) => x.code === c.code)) continue;
      codes.push(draft.code(le, c));
    }
  }
  draft.codesBlock('Also named in the notes', codes);
}

export function diagnosisCodes(draft: ReplyDraft, le: LoadedEntry, rules: Rule[]): void {
  const codes: ReplyCode[] = [];
  for (const r of rules) for (const c of r.codes) if (c.system === 'ICD-10') codes.push(draft.code(le, c));
  draft.codesBlock('ICD-10 diagnosis codes', codes);
}

/** Where the knowledge titles a specific code inside a category the answer gives, for the
 *  imaging method the question names ("CT guided" -> the Y53 code titled "computed tomography"). */
export function imagingHint(turn: Turn, le: LoadedEntry, codes: ReadonlyArray<CodeRef>): void {
  const imaging = turn.u.terms.filter((t) => t.category === 'imaging' && !t.implied);
  if (imaging.length === 0) return;
  for (const cat of codes.filter((c) => c.kind === 'category')) {
    const inside = turn.kb.lookup(cat).inside;
    for (const t of imaging) {
      const hit = inside.find((o) => o.code.title && keysOf(o.code.title).has(t.key));
      if (!hit) continue;
      const src = turn.kb.get(hit.id)!;
      turn.draft.cite(src, hit.code.start, hit.code.end);
      const rc = turn.draft.code(src, hit.code, `${hit.code.role.replace(/ \(.*\)$/, '')} (the ${cat.code} code for this imaging)`);
      turn.draft.text(
        `For ${t.concept?.id === 'ct' ? 'CT' : t.concept?.id ?? 'this'} control, the code within ${cat.code} that the loaded guidance titles is ${rc.code} ${rc.title ?? ''} (stated in ${hit.id}). ${le.entry.id} itself gives only ${cat.code}.`,
      );
      return;
    }
  }
}

export function notFound(turn: Turn, r: Extract<Resolution, { kind: 'none' }>, what: string): void {
  const d = turn.draft;
  d.answered = false;
  if (r.reason === 'unknown-id') {
    d.title = `${r.topic} is not in the loaded guidance`;
    d.text(`I don't have ${r.topic} loaded, so I can't tell you ${what}. ${NOT_COVERED}`);
  } else if (r.reason === 'not-found') {
    d.title = 'Not covered by the loaded NICE guidance';
    d.text(`The loaded NICE interventional procedures guidance does not cover "${r.topic}", so I can't give ${what} for it. I won't guess a code. ${NOT_COVERED}`);
  } else if (r.reason === 'contradiction') {
    d.title = 'Not covered by the loaded NICE guidance';
    d.text(`The loaded NICE interventional procedures guidance does not cover "${r.topic}", so I can't give ${what} for it. I won't guess a code. ${NOT_COVERED}`);
    const near = r.nearest ?? [];
    if (near.length > 0) {
      d.text(`The nearest loaded guidance is about something else: ${near.map((le) => entryName(le)).join('; ')}. ${near.length > 1 ? 'Their' : 'Its'} codes are not for this procedure.`);
      for (const le of near.slice(0, 2)) d.suggest(`How do I code ${tidy(le.entry.title.text)}?`);
    }
  } else {
    d.title = 'Which procedure?';
    d.text(`Tell me the procedure (and approach, if you know it), for example "how do I code percutaneous RFA of liver mets?".`);
  }
  // "what is MIVAT": what a title's abbreviation could mean, offered, not answered from.
  for (const { abbreviation, words } of turn.u.unread) {
    d.text(`If ${abbreviation} means ${words}, ask about it in those words.`);
    d.suggest(`How do I code ${words}?`);
  }
}

export function askWhich(turn: Turn, entries: LoadedEntry[], makeQuestion: (le: LoadedEntry) => string): void {
  const d = turn.draft;
  d.answered = false;
  d.title = 'Which guidance do you mean?';
  d.clarify = {
    question: `More than one NICE guidance matches "${turn.u.text}". Which one?`,
    options: entries.map((le) => ({ label: entryName(le), value: makeQuestion(le) })),
  };
}

export function termList(terms: Term[]): string {
  return terms.map((t) => t.concept?.id ?? t.key.slice(2)).join(', ');
}

/** The question says one side ("one side only", "unilateral", "left-sided"); or both. */
const ONE_SIDE = /\b(?:unilateral|one[- ]sided|one side|single side|(?:left|right)[- ](?:sided|side)|(?:left|right) only)\b/i;
const BOTH_SIDES = /\b(?:bilateral|both sides)\b/i;

/**
 * A code the reply gives whose title says the other side from the question ("F34.7 Bilateral
 * coblation tonsillectomy" for "one side only"): said, never silently given as the answer.
 */
export function sideNotice(d: ReplyDraft, question: string): void {
  const one = ONE_SIDE.test(question);
  const both = BOTH_SIDES.test(question);
  if (one === both) return;
  for (const c of d.codes) {
    const title = c.title ?? '';
    const other = one ? /\bbilateral\b/i.test(title) : /\bunilateral\b/i.test(title);
    if (!other) continue;
    d.notice(`${c.code} is titled "${c.title}", but the question says ${one ? 'one side' : 'both sides'}: check which code fits with the NHS Classifications Service.`);
  }
}

/**
 * The reply's guidance is for one side of a pair and the question says the other ("emergency"
 * caesarean section, "elective" section), which the search could not weigh: said, not silent.
 */
export function otherSideNotice(d: ReplyDraft, kb: { get(id: string): LoadedEntry | undefined }, question: string): void {
  const le = d.guidance[0] ? kb.get(d.guidance[0]) : undefined;
  if (!le || d.codes.length === 0) return;
  const other = otherSide(question, le.entry.title.text);
  if (other) d.notice(`${le.entry.id} is for "${other.titled}", and the question says "${other.asked}": check that its codes fit before using them.`);
}
