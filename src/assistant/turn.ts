// Everything one turn needs, in one object handlers receive (after grammY's Context), and the
// lookups several handlers share: which guidance a question is about, which group of codes.

import type { CodeMatch } from '../knowledge/codes.js';
import type { Knowledge } from '../knowledge/kb.js';
import type { LoadedEntry } from '../knowledge/load.js';
import type { Group } from '../knowledge/schema.js';
import { queryTerms, SETTING, sidesOf, type SearchHit } from '../knowledge/search.js';
import { spelledByRun } from '../knowledge/abbreviations.js';
import type { Understanding } from '../nlu/understand.js';
import { analyse, keysOf, type Term } from '../text/analyse.js';
import { midSentence, tidy, type ReplyDraft } from './draft.js';
import type { ConversationState } from '../shared/conversation.js';

export interface Turn {
  kb: Knowledge;
  u: Understanding;
  state: ConversationState;
  draft: ReplyDraft;
}

/** Near-ties within this share of the best score are asked about, not guessed. */
const AMBIGUOUS = 0.9;
/** With no procedure named, guidance down to this share of the best score are alike. */
const SUBJECT_ONLY = 0.5;
/** Guidance more specific than the question (a condition it does not name) are alike down to this share. */
const SPECIFIC = 0.6;
/** A guidance must cover at least this share of what the question names. */
const MIN_COVERAGE = 0.5;

export type Resolution =
  | { kind: 'entry'; entry: LoadedEntry; via: 'id' | 'search' | 'context' | 'codes'; hit?: SearchHit; alsoFor?: LoadedEntry[] }
  | { kind: 'ambiguous'; entries: LoadedEntry[] }
  | { kind: 'none'; reason: 'no-topic' | 'not-found' | 'unknown-id' | 'contradiction'; topic: string; nearest?: LoadedEntry[] };

/** "that guidance", "this one", "the same page": a follow-up about what the conversation is on. */
const ANAPHORA = /\b(?:th(?:at|is|e same|e) (?:guidance|page|one|ipg|procedure|nice page)|(?:that|this) one|the same one|it\b(?! (?:was|is) (?:the|a|an) ))/i;

/** The words of the question behind search keys, for saying what a guidance does not cover. */
export function wordsFor(u: Understanding, keys: string[]): string[] {
  const out: string[] = [];
  for (const k of keys) {
    const t = u.terms.find((x) => x.key === k && !x.implied);
    // A concept the question implies ("colorectal" in "CRLM") is named by the concept.
    const w = t ? u.text.slice(t.start, t.end) : (u.terms.find((x) => x.key === k)?.concept?.id ?? null);
    if (w && !out.includes(w)) out.push(w);
  }
  return out;
}

/** The words of the question that name its topic, for "I can't find ..." replies. */
export function topicOf(u: Understanding): string {
  const content = u.terms.filter((t) => !t.implied && t.category !== 'coding');
  if (content.length === 0) return u.text;
  return u.text.slice(content[0]!.start, content[content.length - 1]!.end);
}

/** The best guidance that covers enough of these terms and is not about something else, if any. */
export function bestMatch(kb: Knowledge, terms: Term[]): SearchHit | undefined {
  return kb.index.search(terms).find((h) => h.coverage >= MIN_COVERAGE && !h.contradicts);
}

/** Does the question name a procedure, organ or condition, beyond approach and coding words? */
export function hasTopic(terms: Term[]): boolean {
  const q = queryTerms(terms);
  return q.required.length > 0 || q.mustHave.length > 0;
}

/** Does the question name a topic the conversation's guidance is not about? */
function hasTopicBeyondContext(turn: Turn): boolean {
  const { kb, u, state } = turn;
  if (!state.guidance || !hasTopic(u.terms)) return false;
  const hit = kb.index.search(u.terms).find((h) => h.id === state.guidance);
  // Only a concept the conversation's guidance lacks moves away from it ("and for a hip?"); a word
  // we have no concept for does not ("is there a code for the implant in the guidance?").
  const known = (k: string) => u.terms.some((t) => t.key === k && t.category !== undefined && t.category !== null);
  // Nor does an operation named in such a word that the guidance is not about ("what if it failed and
  // they had a hysterectomy" after microwave endometrial ablation): another operation.
  const otherOperation = u.terms.some((t) => t.operation && !t.aside && !kb.index.isAbout(state.guidance!, t.key));
  if (!hit) return otherOperation || u.terms.some((t) => !t.implied && !t.aside && (t.category === 'procedure' || t.category === 'organ' || t.category === 'condition'));
  return otherOperation || hit.missing.some(known);
}

/**
 * The conversation's guidance as a match for a follow-up's own words: what it names (beyond approach,
 * imaging and coding words, which have notices of their own) that the page is not about is missing.
 */
function contextHit(kb: Knowledge, id: string, u: Understanding): SearchHit {
  const about = (k: string) => kb.index.isAbout(id, k) || kb.index.inTitle(id, k);
  const written = u.terms.filter((t) => !t.implied && !t.aside && t.category !== 'coding' && t.category !== 'approach' && t.category !== 'imaging' && t.category !== 'qualifier');
  const missing = [...new Set(written.filter((t) => !about(t.key)).map((t) => t.key))];
  const coverage = written.length === 0 ? 1 : 1 - missing.length / written.length;
  return { id, score: 0, coverage, missing, contradicts: false, extraConditions: [] };
}

/**
 * The organ the conversation is on, as its guidance's title says or implies ("prostate"), when a
 * follow-up that does not name it ("and what about for the lymph node dissection?") has found a page
 * whose title is on an organ the follow-up does not name either, and not on the conversation's.
 * Null when that is not so.
 */
function awayFromConversation(turn: Turn, id: string): string | null {
  const { kb, u, state } = turn;
  if (!state.guidance || state.guidance === id || !SAME_FOR.test(u.text)) return null;
  const conversation = kb.get(state.guidance);
  const page = kb.get(id);
  if (!conversation || !page) return null;
  const asked = new Set(u.terms.map((t) => t.key));
  // What the conversation is on: its title's organs and conditions, said or implied, else its own
  // words for the operation ("prostatectomy").
  const title = analyse(conversation.entry.title.text);
  const subjects = title.filter((t) => t.category === 'organ' || t.category === 'condition');
  const own = subjects.length > 0 ? subjects : title.filter((t) => !t.implied && !t.category);
  // Where the page found is, beyond what the follow-up says or implies ("axillary": the breast).
  const elsewhere = analyse(page.entry.title.text).filter((t) => !t.implied && t.category === 'organ' && !asked.has(t.key));
  if (own.length === 0 || elsewhere.length === 0 || own.some((t) => asked.has(t.key) || kb.index.isAbout(id, t.key))) return null;
  return midSentence(conversation.entry.title.text);
}

/** The item with the highest score above zero, when no other has it. */
export function uniqueBest<T>(items: readonly T[], score: (item: T) => number): T | undefined {
  const scores = items.map(score);
  const most = Math.max(0, ...scores);
  return most > 0 && scores.filter((n) => n === most).length === 1 ? items[scores.indexOf(most)] : undefined;
}

/** A follow-up that says how the procedure was done: "with a stent retriever", "using clips". */
const DETAIL = /^\s*(?:and\s+)?(?:with|using|via|through)\b/i;

/** A follow-up that asks the same for something else: "and for ...", "what about ...", "... instead?". */
const SAME_FOR = /^\s*(?:(?:thanks|thank you|ta|ok|okay|cheers|great|right|cool)\b[,.!]*\s*)?(?:and|but|what about|how about|what if|same(?: thing| again)?|if)\b|\b(?:instead|same thing|same again|as well)\b/i;

/**
 * A follow-up that names an organ or condition but no procedure, in a conversation about a
 * guidance: its terms with the procedure of that guidance's title added (as implied, so the
 * follow-up's own words are what a match is judged on). Null when it does not apply.
 */
function carryProcedure(turn: Turn): Term[] | null {
  const { kb, u, state } = turn;
  const le = state.guidance ? kb.get(state.guidance) : undefined;
  if (!le) return carryFromQuestion(turn);
  const title = analyse(le.entry.title.text);
  const primary = primaryOf(le, u);
  if (!SAME_FOR.test(u.text) && !u.terms.some(primary)) return null;
  if (u.terms.some((t) => t.category === 'procedure' && !t.aside)) return null;
  // An operation named in words we have no concept for ("what about mitral valve replacement?") is a
  // procedure of the follow-up's own, not the conversation's.
  if (u.terms.some((t) => !t.aside && !t.implied && t.operation)) return null;
  // A follow-up that names only another kind of patient or operation ("and for a neonate?" after
  // ECMO in adults) asks about the conversation's procedure for them.
  const side = SAME_FOR.test(u.text) && sidesOf(u.terms.filter((t) => !t.implied && !t.aside).map((t) => t.key)).size > 0;
  if (!side && !u.terms.some((t) => !t.implied && !t.aside && (t.category === 'organ' || t.category === 'condition'))) return null;
  // So is the organ said of it ("primary was rectal"): where they came from, not what was treated.
  const primaries = u.terms.filter(primary);
  const ofPrimary = (t: Term) => (t.category === 'organ' || t.category === 'condition') && primaries.some((p) => Math.abs(t.start - p.end) <= 12 || Math.abs(p.start - t.end) <= 2);
  const own = u.terms.map((t) => (primary(t) || ofPrimary(t) ? { ...t, aside: true } : t));
  // With only the story left, what was treated is the conversation's too (the liver metastases).
  const story = !own.some((t) => !t.implied && !t.aside && (t.category === 'organ' || t.category === 'condition'));
  const carried = title.filter((t) => t.category === 'procedure' || (story && !t.implied && (t.category === 'organ' || t.category === 'condition'))).map(carry);
  if (carried.some((t) => t.category === 'procedure')) return [...own, ...carried];
  // A procedure we have no concept for is its title's words before "for" ("extracorporeal membrane
  // oxygenation"), carried whole when the follow-up names only a side.
  const forAt = le.entry.title.text.search(/\sfor\s/i);
  const named = side ? title.filter((t) => !t.implied && !t.category && (forAt < 0 || t.start < forAt)).map(carry) : [];
  return named.length > 0 ? [...own, ...carried, ...named] : null;
}

/**
 * "and for essential tremor?" after "how to code DBS for parkinsons", which no page covered: the
 * procedure the last question named, for what the follow-up names.
 */
function carryFromQuestion(turn: Turn): Term[] | null {
  const { u, state } = turn;
  if (state.guidance || state.intent !== 'how_to_code' || !state.question || !SAME_FOR.test(u.text)) return null;
  if (u.terms.some((t) => !t.aside && (t.category === 'procedure' || t.operation))) return null;
  if (!u.terms.some((t) => !t.implied && !t.aside && (t.category === 'organ' || t.category === 'condition'))) return null;
  // Its procedure concepts, or else the words before "for" we have no concept for ("TACE").
  const asked = analyse(state.question);
  const forAt = state.question.search(/\sfor\s/i);
  const concepts = asked.filter((t) => t.category === 'procedure');
  const procedure = concepts.length > 0 ? concepts : asked.filter((t) => !t.implied && !t.category && (forAt < 0 || t.end <= forAt));
  return procedure.length > 0 ? [...u.terms, ...procedure.map(carry)] : null;
}

/** How far below zero a carried term's offsets are moved. */
const CARRIED = 100_000;

/** A title's term carried into a follow-up: implied, its offsets below zero to keep it apart from the question's own words. */
function carry(t: Term): Term {
  return { ...t, implied: true, parts: undefined, start: t.start - CARRIED, end: t.end - CARRIED };
}

/**
 * "what about single port?" after laparoscopic nephrectomy: the guidance on the same procedure done
 * the way the follow-up names, when one is loaded (single-port laparoscopic nephrectomy), rather
 * than the conversation's, which gives no code for that approach.
 */
function otherApproach(turn: Turn, le: LoadedEntry): Resolution | null {
  const { kb, u } = turn;
  const named = u.terms.filter((t) => !t.implied && t.category === 'approach' && t.concept?.id !== 'image guided');
  if (named.length === 0 || named.every((t) => kb.index.isAbout(le.entry.id, t.key))) return null;
  const carried = analyse(le.entry.title.text)
    .filter((t) => !t.implied && t.category !== 'approach')
    .map(carry);
  const hit = kb.index
    .search([...named, ...carried])
    .find((h) => h.id !== le.entry.id && h.missing.length === 0 && !h.contradicts && named.every((t) => kb.index.isAbout(h.id, t.key)));
  return hit ? { kind: 'entry', entry: kb.get(hit.id)!, via: 'search', hit } : null;
}

/**
 * About metastases, "the primary" is where they came from ("what if the primary was rectal",
 * "primary was rectal"), not primary cancer: part of the story, as in a question that names the
 * metastases itself. (Only "the primary" as a noun: "a primary liver tumour" is primary cancer.)
 */
function primaryOf(le: LoadedEntry, u: Understanding): (t: Term) => boolean {
  const metastatic = keysOf(le.entry.title.text).has('c:metastasis');
  const asNoun = (t: Term) => /^\s*(?:was|is|were|being|site|in|from|[,.?!]|$)/i.test(u.text.slice(t.end));
  return (t) => metastatic && t.key === 'c:primary' && asNoun(t);
}

/** A follow-up that tells where the conversation's metastases came from ("the primary is sigmoid"): more of the same question. */
export function tellsThePrimary(turn: Pick<Turn, 'kb' | 'u' | 'state'>): boolean {
  const le = turn.state.guidance ? turn.kb.get(turn.state.guidance) : undefined;
  return le !== undefined && turn.u.codes.length === 0 && turn.u.terms.some(primaryOf(le, turn.u));
}

export function resolveGuidance(turn: Turn, opts: { codes?: CodeMatch[] } = {}): Resolution {
  const { kb, u, state } = turn;
  if (u.guidanceIds.length > 0) {
    const entry = kb.get(u.guidanceIds[0]!);
    return entry ? { kind: 'entry', entry, via: 'id' } : { kind: 'none', reason: 'unknown-id', topic: u.guidanceIds[0]! };
  }
  const operation = aboutTheOperation(turn);
  if (operation) return operation;
  const setting = aboutItsSetting(turn);
  if (setting) return setting;
  if (state.guidance && ANAPHORA.test(u.text) && !hasTopicBeyondContext(turn)) {
    const entry = kb.get(state.guidance);
    // What the follow-up adds that the page does not have ("what if it's done with a thermal
    // balloon instead" after microwave endometrial ablation) makes it a partial answer, said as such.
    const hit = contextHit(kb, state.guidance, u);
    if (entry) return { kind: 'entry', entry, via: 'context', ...(hit.missing.length > 0 ? { hit } : {}) };
  }
  if (hasTopic(u.terms)) {
    // "and the same for a caecal lesion?": the conversation's procedure, for what the follow-up names.
    const carried = carryProcedure(turn);
    if (carried) {
      // (Carried from a question no page covered, a partial match is said as one, "essential", but
      // never one without that question's procedure.)
      const carriedKeys = new Set(carried.filter((t) => t.start < 0).map((t) => t.key));
      const hit = kb.index
        .search(carried)
        .find((h) => h.coverage >= MIN_COVERAGE && !h.contradicts && (h.missing.length === 0 || (!state.guidance && h.missing.every((k) => !carriedKeys.has(k)))));
      if (hit) return { kind: 'entry', entry: kb.get(hit.id)!, via: hit.id === state.guidance ? 'context' : 'search', hit };
      // No guidance has the conversation's procedure for that: not another procedure on the same
      // organ ("and for prostate?" after IRE is not a prostatectomy).
      if (!state.guidance) {
        const asked = state.question ?? '';
        const named = carried.filter((t) => t.start < 0).map((t) => asked.slice(t.start + CARRIED, t.end + CARRIED));
        return { kind: 'none', reason: 'not-found', topic: [...new Set(named), topicOf(u)].join(', '), nearest: [] };
      }
      // Without what the title does it to ("of gastric lesions"), which the follow-up replaces.
      const part = procedurePart(kb.get(state.guidance)!);
      const head = part.split(/\s+of\s+/i)[0]!;
      const procedure = midSentence(head.trim().split(/\s+/).length >= 2 ? head : part);
      return { kind: 'none', reason: 'not-found', topic: `${procedure}, ${topicOf(u)}`, nearest: [] };
    }
    // (Only when the question names its procedure by no concept: "LIMA" and "SVG" in a CABG question are vessels.)
    const namesProcedure = u.terms.some((t) => !t.implied && t.category === 'procedure');
    const found = kb.index.search(u.terms).filter((h) => h.coverage >= MIN_COVERAGE && (namesProcedure || !otherAcronym(kb, u.text, h)));
    // About something else (Barrett's oesophagus is not reflux disease): never an answer, at most a suggestion.
    const hits = found.filter((h) => !h.contradicts);
    // Words we have no concept for that find nothing ("still", "the notes") leave the conversation where it was.
    // (Only words we have concepts for: an unknown word may be a procedure we lack.)
    const onlyFiller = found.length === 0 && u.terms.every((t) => t.implied || t.category === 'coding' || t.category === 'approach' || t.category === 'imaging' || t.category === 'qualifier');
    // Nor do words we have no concept for that the conversation's guidance is about ("they clipped
    // the defect" after ESD, whose codes include clipping), when they find nothing better.
    const conceptless = u.terms.every((t) => t.implied || !t.category || t.category === 'coding' || t.category === 'approach' || t.category === 'imaging' || t.category === 'qualifier');
    // So do an approach or stage the conversation's guidance has ("and stage 2 when the generator
    // goes in?" after the stage 1 codes of occipital nerve stimulation).
    const ownWords =
      found.length === 0 &&
      conceptless &&
      state.guidance !== null &&
      u.terms.some((t) => !t.implied && (!t.category || t.category === 'approach' || t.category === 'imaging') && kb.index.isAbout(state.guidance!, t.key));
    const context = (onlyFiller || ownWords) && state.guidance ? kb.get(state.guidance) : undefined;
    if (hits.length === 0 && context) return { kind: 'entry', entry: context, via: 'context' };
    // Codes say more than words we have no concept for ("O11.1 - thought O codes were obstetric").
    const fromCodes = hits.length === 0 && found.length === 0 && conceptless ? byCodes(kb, opts.codes ?? u.codes) : null;
    // Unless the words name the procedure by an abbreviation that guidance could not be shortened to
    // ("coded L88.2 for EVLA of GSV": L88.2 is radiofrequency ablation's code, EVLA is laser).
    if (fromCodes && !(fromCodes.kind === 'entry' && otherProcedureNamed(u.text, fromCodes.entry))) return fromCodes;
    // "with a stent retriever under GA" after mechanical clot retrieval: how the conversation's
    // procedure was done, in words its page has in part. Answered from it as a partial match that
    // names what the page does not mention.
    if (hits.length === 0 && state.guidance && DETAIL.test(u.text)) {
      const le = kb.get(state.guidance);
      const hit = contextHit(kb, state.guidance, u);
      if (le && hit.coverage > 0) return { kind: 'entry', entry: le, via: 'context', hit };
    }
    if (hits.length === 0) {
      // Nothing matches: the guidance on the same procedure, if any, is offered, never answered from.
      const procedureOnly = u.terms.filter((t) => t.category === 'procedure' || t.category === 'approach');
      const near = found.length > 0 ? found : procedureOnly.length > 0 && procedureOnly.length < u.terms.length ? kb.index.search(procedureOnly) : [];
      // A follow-up with a word of the conversation's guidance ("and removal of the bar later?" after
      // the Nuss bar) is nearest to that one, not to pages that share only its procedure word.
      const own = state.guidance && !found.some((h) => h.id === state.guidance) && u.terms.some((t) => !t.implied && !t.aside && t.category !== 'coding' && kb.index.isAbout(state.guidance!, t.key));
      const nearest = own ? [kb.get(state.guidance!)!] : near.slice(0, 3).map((h) => kb.get(h.id)!);
      return { kind: 'none', reason: nearest.length > 0 ? 'contradiction' : 'not-found', topic: topicOf(u), nearest };
    }
    const top = hits[0]!;
    // A question that names no procedure ("codes for the colon") does not pick between guidance on
    // different procedures for it unless one stands far above the rest.
    const noProcedure = !u.terms.some((t) => (t.category === 'procedure' || !t.category) && !t.aside);
    // (A page that fits the whole question beats ones that fit only part of it, however close in score.)
    const close = hits.filter((h) => h.score >= (noProcedure ? SUBJECT_ONLY : AMBIGUOUS) * top.score && (top.missing.length > 0 || h.missing.length === 0)).slice(0, 5);
    // "SIRT?" with SIRT for HCC and SIRT for cholangiocarcinoma loaded: answered from the best,
    // naming the others, since the question does not say which condition.
    let alsoFor: LoadedEntry[] = [];
    if (close.length === 1 && top.missing.length === 0 && top.extraConditions.length > 0) {
      alsoFor = hits
        .filter((h) => h !== top && h.missing.length === 0 && h.extraConditions.length > 0 && h.score >= SPECIFIC * top.score)
        .slice(0, 4)
        .map((h) => kb.get(h.id)!);
    }
    // In a conversation about one of the close matches, the follow-up is about that one.
    // So is one that names no organ or condition of its own, when that page has all of it, however
    // far below another page it scores ("what if they also did a debridement" after knee washout,
    // with or without debridement: not pancreatic necrosectomy).
    const namesSubject = u.terms.some((t) => !t.implied && !t.aside && (t.category === 'organ' || t.category === 'condition'));
    const fromContext = close.find((h) => h.id === state.guidance) ?? (namesSubject ? undefined : hits.find((h) => h.id === state.guidance && h.missing.length === 0));
    if (fromContext) return { kind: 'entry', entry: kb.get(fromContext.id)!, via: 'context', hit: fromContext };
    // In a conversation, a follow-up that names only the procedure ("how does that compare with
    // RFA?" after SIRT for liver metastases) means the one on the conversation's organ or condition.
    if (close.length > 1 && state.guidance && !u.terms.some((t) => !t.implied && (t.category === 'organ' || t.category === 'condition'))) {
      const title = analyse(kb.get(state.guidance)?.entry.title.text ?? '');
      const subjects = [...new Set(title.filter((t) => t.category === 'organ' || t.category === 'condition').map((t) => t.key))];
      // The one that shares most of them, in its title most of all ("microwave" after RFA of liver
      // metastases: microwave ablation of liver metastases, not of hepatocellular carcinoma).
      const sharing = uniqueBest(close, (h) => subjects.filter((k) => kb.index.isAbout(h.id, k)).length + subjects.filter((k) => kb.index.inTitle(h.id, k)).length);
      if (sharing) return { kind: 'entry', entry: kb.get(sharing.id)!, via: 'search', hit: sharing };
    }
    // After a choice of pages ("DBS": tremor or chronic pain), a follow-up that fits one of them ("for chronic pain").
    const offered = new Set((state.options ?? []).flatMap((o) => /\((IPG\d+)\)\??$/.exec(o.value)?.[1] ?? []));
    const chosen = close.filter((h) => offered.has(h.id));
    if (close.length > 1 && chosen.length === 1) return { kind: 'entry', entry: kb.get(chosen[0]!.id)!, via: 'search', hit: chosen[0]! };
    // The one of them that lists most of the codes asked about ("is R07.1 right for TTTS": the laser
    // page, not septostomy), when one does.
    const asked = opts.codes ?? u.codes;
    const listing = close.length > 1 ? uniqueBest(close, (h) => asked.filter((c) => kb.lookup(c).exact.some((o) => o.id === h.id)).length) : undefined;
    if (listing) return { kind: 'entry', entry: kb.get(listing.id)!, via: 'search', hit: listing };
    if (close.length > 1) return { kind: 'ambiguous', entries: close.map((h) => kb.get(h.id)!) };
    // "and what about for the lymph node dissection?" after a prostatectomy: the follow-up names no
    // organ, so it is on the conversation's; a page on the procedure at another organ (axillary
    // nodes for breast cancer) is not it. Offered, not answered from.
    const away = awayFromConversation(turn, top.id);
    if (away) return { kind: 'none', reason: 'contradiction', topic: `${topicOf(u)}, ${away}`, nearest: [kb.get(top.id)!] };
    return { kind: 'entry', entry: kb.get(top.id)!, via: 'search', hit: top, ...(alsoFor.length > 0 ? { alsoFor } : {}) };
  }
  if (state.guidance) {
    const entry = kb.get(state.guidance);
    const other = entry ? otherApproach(turn, entry) : null;
    if (other) return other;
    if (entry) return { kind: 'entry', entry, via: 'context' };
  }
  return byCodes(kb, opts.codes ?? u.codes) ?? { kind: 'none', reason: 'no-topic', topic: topicOf(u) };
}

/**
 * After a guidance on what is done during an operation (nerve monitoring during thyroid surgery), a
 * follow-up that only says how the operation was done ("it was video assisted, minimally invasive")
 * is about the operation: the guidance on it done that way, when one covers all the follow-up says.
 */
function aboutTheOperation(turn: Turn): Resolution | null {
  const { kb, u, state } = turn;
  if (!state.guidance) return null;
  const le = kb.get(state.guidance);
  const parts = le?.entry.title.text.split(SETTING);
  if (!parts || parts.length < 2) return null;
  const own = u.terms.filter((t) => !t.implied && !t.aside);
  if (own.some((t) => t.category === 'procedure' || t.category === 'organ' || t.category === 'condition')) return null;
  if (!own.some((t) => (t.category === 'approach' || t.category === 'qualifier') && !kb.index.isAbout(state.guidance!, t.key))) return null;
  // Offsets below zero keep the carried terms apart from the question's own words.
  const setting = analyse(parts.slice(1).join(' ')).map(carry);
  const hit = kb.index.search([...u.terms, ...setting]).find((h) => h.id !== state.guidance && h.missing.length === 0 && !h.contradicts && h.coverage >= MIN_COVERAGE);
  return hit ? { kind: 'entry', entry: kb.get(hit.id)!, via: 'search', hit } : null;
}

/**
 * "and for cystectomy?" after cell salvage during radical prostatectomy or radical cystectomy: the
 * follow-up names only another operation the conversation's guidance is done during, so it is the
 * same guidance, not one on that operation (laparoscopic cystectomy).
 */
function aboutItsSetting(turn: Turn): Resolution | null {
  const { kb, u, state } = turn;
  if (!state.guidance || !SAME_FOR.test(u.text)) return null;
  const le = kb.get(state.guidance);
  const parts = le?.entry.title.text.split(SETTING);
  if (!le || !parts || parts.length < 2) return null;
  const own = u.terms.filter((t) => !t.implied && !t.aside && t.category !== 'coding' && t.category !== 'qualifier');
  if (own.length === 0) return null;
  const setting = new Set(analyse(parts.slice(1).join(' ')).map((t) => t.key));
  return own.every((t) => setting.has(t.key)) ? { kind: 'entry', entry: le, via: 'context' } : null;
}

/** Can `acronym` ("TMS", "ECP", "rTMS") be read from these words, from a word's first letter on? */
export function spells(acronym: string, words: string[]): boolean {
  const letters = acronym.replace(/^[a-z](?=[A-Z])/, '').toLowerCase();
  for (let w = 0; w < words.length; w++) {
    if (words[w]![0] !== letters[0]) continue;
    const rest = words.slice(w).join('');
    let at = 1;
    for (let i = 1; i < rest.length && at < letters.length; i++) if (rest[i] === letters[at]) at++;
    if (at === letters.length) return true;
  }
  return false;
}

/** A title's procedure part, before what it is for: "Deep brain stimulation" of "... for chronic pain". */
function procedurePart(le: LoadedEntry): string {
  return le.entry.title.text.split(/\s+for\s+/i)[0]!;
}

/** Abbreviations written in capitals ("ESWT", "rTMS"), not joined to other words ("X-STOP"). */
const ABBREVIATION = /(?<![\w-])[a-z]?[A-Z]{2,6}(?![\w-])/g;

/** An abbreviation in `text` that `which` picks and that `le`'s procedure could not be shortened to. */
function abbreviatesOther(text: string, le: LoadedEntry, which: (abbr: string) => boolean): boolean {
  const words = procedurePart(le).toLowerCase().match(/[a-z]+/g) ?? [];
  for (const m of text.matchAll(ABBREVIATION)) if (which(m[0]) && !spells(m[0], words)) return true;
  return false;
}

/**
 * A partial match missing an abbreviation the question names ("ESWT plantar fasciitis" against
 * autologous blood injection for plantar fasciitis) when the guidance's procedure could not be
 * abbreviated so: the abbreviation names another procedure. ("TMS for depression" against
 * transcranial magnetic stimulation is a partial match, said so.)
 */
function otherAcronym(kb: Knowledge, text: string, hit: SearchHit): boolean {
  const le = kb.get(hit.id);
  if (hit.missing.length === 0 || le === undefined) return false;
  // What the procedure is for may be the abbreviation ("knee washout for OA": osteoarthritis).
  const forWhat = le.entry.title.text.split(/\s+for\s+/i).slice(1).join(' ').toLowerCase().match(/[a-z]+/g) ?? [];
  return abbreviatesOther(text, le, (abbr) => hit.missing.includes(`s:${abbr.toLowerCase()}`) && !spelledByRun(abbr, forWhat));
}

/** Each page's words as keys, worked out once: a page is long. */
const pageKeys = new WeakMap<LoadedEntry, Set<string>>();

/** The question names its procedure by an abbreviation (not a code, not a word of the page) this guidance's title cannot give. */
function otherProcedureNamed(text: string, le: LoadedEntry): boolean {
  let own = pageKeys.get(le);
  if (!own) pageKeys.set(le, (own = keysOf(le.page)));
  return abbreviatesOther(text, le, (abbr) => !/\d/.test(abbr) && !own.has(`s:${abbr.toLowerCase()}`));
}

/** The guidance that states most of the codes given, or null when none states any. */
function byCodes(kb: Knowledge, codes: CodeMatch[]): Resolution | null {
  if (codes.length === 0) return null;
  const counts = new Map<string, number>();
  for (const c of codes) {
    const l = kb.lookup(c);
    for (const id of new Set([...l.exact, ...l.coveredBy].map((o) => o.id))) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || Number(a[0].slice(3)) - Number(b[0].slice(3)));
  if (ranked.length === 0) return null;
  const best = ranked[0]![1];
  const tied = ranked.filter(([, n]) => n === best);
  if (tied.length === 1 || best >= 2) return { kind: 'entry', entry: kb.get(tied[0]![0])!, via: 'codes' };
  return { kind: 'ambiguous', entries: tied.slice(0, 5).map(([id]) => kb.get(id)!) };
}

interface GroupKeys {
  heading: Set<string>;
  items: Set<string>;
}

function groupKeys(g: Group, titles: Map<string, string>): GroupKeys {
  const parts: string[] = [];
  // A code the capture cut before its title reads as the same code titled elsewhere on the page.
  // What a code includes ("Falloposcopy NEC") says what its group is for, as its title does.
  for (const i of g.items) parts.push(i.type === 'text' ? i.text : [i.title ?? titles.get(i.code) ?? '', ...i.includes.map((inc) => inc.text)].join('\n'));
  return { heading: g.heading ? keysOf(g.heading.text) : new Set(), items: keysOf(parts.join('\n')) };
}

const APPROACH_WEIGHT = 3;

export interface GroupChoice {
  /** The group the question singles out, or null for all of them. */
  index: number | null;
  /** Approaches the question names that no group of the guidance has. */
  unmatched: Term[];
}

export function chooseGroup(entry: LoadedEntry, terms: Term[], fallback: number | null = null): GroupChoice {
  const groups = entry.entry.groups;
  const asked = terms.filter((t) => t.category !== 'coding');
  const titles = new Map<string, string>();
  for (const g of groups) for (const i of g.items) if (i.type === 'code' && i.title && !titles.has(i.code)) titles.set(i.code, i.title);
  const keys = groups.map((g) => groupKeys(g, titles));
  const all = new Set(keys.flatMap((k) => [...k.heading, ...k.items]));
  for (const k of keysOf(entry.entry.title.text)) all.add(k);
  const unmatched = asked.filter((t) => t.category === 'approach' && !t.implied && t.concept?.id !== 'image guided' && !all.has(t.key));
  if (groups.length <= 1) return { index: groups.length === 1 ? 0 : null, unmatched };
  // A heading ("For the donor:") says what its group is for; code titles only hint at it.
  // What a written term implies (the anus, for haemorrhoidal artery ligation) does not pick a group
  // of the guidance on that very procedure: the written words do.
  // A word every group has picks none ("falloposcopy": one group's heading, another's "Falloposcopy
  // NEC"), nor does a word of the guidance's title that only code titles repeat ("live" in "Live
  // related donor NEC", on the living donor guidance): the whole page is about it.
  const titleKeys = keysOf(entry.entry.title.text);
  const telling = (key: string) =>
    !keys.every((k) => k.heading.has(key) || k.items.has(key)) && (!titleKeys.has(key) || keys.some((k) => k.heading.has(key)));
  const scores = keys.map((k) =>
    asked.filter((t) => !t.implied && telling(t.key)).reduce((s, t) => {
      const w = t.category === 'approach' || t.category === 'imaging' ? APPROACH_WEIGHT : 1;
      return s + (k.heading.has(t.key) ? 2 * w : k.items.has(t.key) ? w : 0);
    }, 0),
  );
  // The question names what only one group has, for more than one group ("wedge excision plus
  // segment resection"): all of them, not the first.
  const own = keys.map((k, gi) => new Set([...k.heading, ...k.items].filter((key) => keys.every((o, oi) => oi === gi || (!o.heading.has(key) && !o.items.has(key))))));
  const named = own.filter((set) => asked.some((t) => t.category !== 'approach' && t.category !== 'imaging' && set.has(t.key))).length;
  if (named > 1) return { index: null, unmatched };
  // Only what tells the groups apart counts: words every group shares pick none of them.
  const max = Math.max(...scores);
  const min = Math.min(...scores);
  if (max > min && scores.filter((s) => s === max).length === 1) return { index: scores.indexOf(max), unmatched };
  return { index: fallback !== null && fallback < groups.length ? fallback : null, unmatched };
}
