// how_to_code: the codes for a procedure, grouped and labelled, with its rules and citations.

import type { LoadedEntry } from '../../knowledge/load.js';
import type { CodeItem, Group, Rule, RuleCode } from '../../knowledge/schema.js';
import { analyse, keysOf } from '../../text/analyse.js';
import { operationTerm } from '../../text/operations.js';
import { midSentence, tidy } from '../draft.js';
import type { Term } from '../../text/analyse.js';
import { chooseGroup, hasTopic, resolveGuidance, wordsFor, type Resolution, type Turn } from '../turn.js';
import { askWhich, compare, comparesWith, diagnosisCodes, snomedBlocks, entryName, heading, imagingHint, notFound, noteCodes, rulesToShow, showGroup, termList } from './common.js';

/** Where a question names two procedures: "RFA and MWA ...", "wedge excision plus segment resection". */
const JOIN = /\s*(?:\band\b|\bvs\b\.?|\bversus\b|\bplus\b|\+|&|\bthen\b|\bas well as\b|;|,(?=\s*(?:one|the other|another|the second)\b))\s*/gi;
/** An instruction that adds codes to the procedure's rather than offering others. */
const ADD_ON = /\b(?:in addition|additionally|also (?:be )?assigned|as well)\b/i;
/** "Two ESDs ...", "codes for both": one procedure done at two sites. */
const TWICE = /\b(?:both|two|2|each)\b/i;

/**
 * Two procedures in one question, each found on its own: the parts split at "and", "plus", "+",
 * each keeping the organs, conditions and approaches the whole question names. Null when the
 * question is about one procedure (or a part finds nothing, or both parts find the same answer).
 */
function twoProcedures(turn: Turn): Array<{ turn: Turn; r: Extract<Resolution, { kind: 'entry' }> }> | null {
  const { u } = turn;
  if (u.guidanceIds.length > 0) return null;
  const cuts = [...u.text.matchAll(JOIN)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  if (cuts.length === 0) return null;
  const procedureAt = (t: Term) => !t.implied && !t.aside && t.category === 'procedure';
  // A procedure, or a word we have no concept for ("segment"), belongs to its own side of the "and".
  const ownSide = (t: Term) => t.category === 'procedure' || t.category === undefined;
  for (const cut of cuts) {
    const left = u.terms.filter((t) => t.end <= cut.start);
    const right = u.terms.filter((t) => t.start >= cut.end);
    if (!left.some(procedureAt) || !right.some(procedureAt)) continue;
    const parts = [left, right].map((side) => {
      // The other side's procedures and words are not this part's; the organs, conditions and
      // approaches the whole question names are.
      const terms = u.terms.filter((t) => side.includes(t) || !ownSide(t));
      const sub: Turn = { ...turn, u: { ...u, terms } };
      return { turn: sub, r: resolveGuidance(sub) };
    });
    const found = parts.filter((p): p is { turn: Turn; r: Extract<Resolution, { kind: 'entry' }> } => p.r.kind === 'entry');
    if (found.length !== 2) continue;
    const [a, b] = found as [(typeof found)[number], (typeof found)[number]];
    const groupOf = (p: (typeof found)[number]) => chooseGroup(p.r.entry, p.turn.u.terms).index;
    if (a.r.entry === b.r.entry && groupOf(a) === groupOf(b)) continue;
    return found;
  }
  // One procedure at two sites ("two ESDs - one gastric, one in the transverse colon"): each side
  // keeps its own site, and the side that names none borrows the other's procedure.
  if (!TWICE.test(u.text)) return null;
  const site = (t: Term) => !t.implied && !t.aside && (t.category === 'organ' || t.category === 'condition');
  for (const cut of cuts) {
    const left = u.terms.filter((t) => t.end <= cut.start);
    const right = u.terms.filter((t) => t.start >= cut.end);
    if (!left.some(site) || !right.some(site)) continue;
    const [withProc, without] = left.some(procedureAt) && !right.some(procedureAt) ? [left, right] : right.some(procedureAt) && !left.some(procedureAt) ? [right, left] : [null, null];
    if (!withProc || !without) continue;
    const borrowed = withProc.filter((t) => t.category === 'procedure').map((t) => ({ ...t, start: t.start - 100_000, end: t.end - 100_000 }));
    const shared = u.terms.filter((t) => !left.includes(t) && !right.includes(t) && !ownSide(t));
    const parts = [left, right].map((side) => {
      const terms = [...(side === without ? borrowed : []), ...side, ...shared];
      const sub: Turn = { ...turn, u: { ...u, terms } };
      return { turn: sub, r: resolveGuidance(sub) };
    });
    const found = parts.filter((p): p is { turn: Turn; r: Extract<Resolution, { kind: 'entry' }> } => p.r.kind === 'entry');
    if (found.length === 2 && found[0]!.r.entry !== found[1]!.r.entry) return found;
  }
  return null;
}

/**
 * Two procedures in one question, one of which no loaded guidance covers ("mosaicplasty and ACL
 * reconstruction", "SIRT and TACE"): the one covered, answered, and the words of the other, to say
 * they are not. Null unless each side names a procedure (a concept, an operation word or an
 * abbreviation in capitals) and exactly one side finds its guidance.
 */
function oneOfTwo(turn: Turn): { part: { turn: Turn; r: Extract<Resolution, { kind: 'entry' | 'ambiguous' }> }; other: string } | null {
  const { u } = turn;
  if (u.guidanceIds.length > 0) return null;
  // An abbreviation names a procedure only on a side that names no organ: "SVG to RCA" in a CABG
  // question is a vessel grafted to another.
  const names = (side: Term[]) =>
    side.some((t) => !t.implied && !t.aside && (t.category === 'procedure' || operationTerm(u.text, t))) ||
    (!side.some((t) => t.category === 'organ' || t.category === 'condition') && side.some((t) => !t.implied && /^[A-Z][A-Z0-9]{1,5}$/.test(u.text.slice(t.start, t.end))));
  const ownSide = (t: Term) => t.category === 'procedure' || t.category === undefined;
  for (const m of u.text.matchAll(JOIN)) {
    const left = u.terms.filter((t) => t.end <= m.index);
    const right = u.terms.filter((t) => t.start >= m.index + m[0].length);
    if (!names(left) || !names(right)) continue;
    const parts = [left, right].map((side) => {
      const terms = u.terms.filter((t) => side.includes(t) || !ownSide(t));
      const sub: Turn = { ...turn, u: { ...u, terms } };
      return { side, turn: sub, r: resolveGuidance(sub) };
    });
    const found = parts.filter((p) => p.r.kind !== 'none');
    const lost = parts.filter((p) => p.r.kind === 'none');
    if (found.length !== 1 || lost.length !== 1) continue;
    const side = lost[0]!.side.filter((t) => !t.implied);
    const other = u.text.slice(Math.min(...side.map((t) => t.start)), Math.max(...side.map((t) => t.end))).trim();
    const part = found[0]!;
    if (part.r.kind === 'none' || !other) continue;
    // Not when the guidance found has a note or code on it ("coblation tonsillectomy and
    // adenoidectomy": IPG9's note gives a code for the adenoids).
    const entries = part.r.kind === 'entry' ? [part.r.entry] : part.r.entries;
    const notes = entries.flatMap((le) => [...le.entry.rules.map((r) => r.text), ...le.entry.groups.flatMap((g) => g.items.map((i) => (i.type === 'code' ? (i.title ?? '') : '')))]).join(' ').toLowerCase();
    if ((other.toLowerCase().match(/[a-z]{6,}/g) ?? []).some((w) => notes.includes(w.slice(0, 6)))) continue;
    return { part: { turn: part.turn, r: part.r }, other };
  }
  return null;
}

export function howToCode(turn: Turn): void {
  const both = twoProcedures(turn);
  const half = both ? null : oneOfTwo(turn);
  if (half) {
    answer(half.part.turn, half.part.r);
    turn.draft.notCovered(half.other);
    return;
  }
  if (both) {
    const d = turn.draft;
    for (const [i, part] of both.entries()) {
      if (i > 0) d.text('Second procedure:');
      codeOne(part.turn, part.r);
    }
    const names = both.map((p) => entryName(p.r.entry));
    d.title = names[1] !== names[0] ? `How to code both: ${names[0]} and ${names[1]}` : `How to code both, from ${names[0]}`;
    d.notice('The question names two procedures: each is answered from its own guidance below. Code each procedure performed, as the guidance for it says.');
    return;
  }
  const r = resolveGuidance(turn);
  if (r.kind === 'none') return notFound(turn, r, 'codes');
  // "how does that compare with ...": both pages' codes, side by side.
  if (r.kind === 'entry' && r.via === 'search' && turn.state.guidance && comparesWith(turn, r.hit)) {
    const context = turn.kb.get(turn.state.guidance);
    if (context) return compare(turn, r.entry, context);
  }
  answer(turn, r);
}

/** The codes of the guidance found, or, when several fit, what they share or which of them. */
function answer(turn: Turn, r: Extract<Resolution, { kind: 'entry' | 'ambiguous' }>): void {
  if (r.kind === 'entry') return codeOne(turn, r);
  const ask = (le: LoadedEntry) => `how do I code ${tidy(le.entry.title.text)} (${le.entry.id})?`;
  if (!sharedDiagnosis(turn, r.entries, ask) && !sharedPrimary(turn, r.entries, ask)) askWhich(turn, r.entries, ask);
}

/** The ICD-10 codes a guidance's notes give, with the note each is in. */
function diagnosisItems(le: LoadedEntry): Array<{ rule: Rule; code: RuleCode }> {
  return le.entry.rules.flatMap((rule) => rule.codes.filter((code) => code.system === 'ICD-10').map((code) => ({ rule, code })));
}

/**
 * A diagnosis code asked for with no procedure ("what ICD-10 code for liver mets"), where every
 * matching guidance gives the same one (C78.7): that code, quoted from each, with the codes only
 * some give named, and a choice of procedure for the rest.
 */
function sharedDiagnosis(turn: Turn, entries: LoadedEntry[], ask: (le: LoadedEntry) => string): boolean {
  const { u, draft: d } = turn;
  if (!u.terms.some((t) => t.concept?.id === 'diagnosis') || u.terms.some((t) => !t.implied && t.category === 'procedure')) return false;
  // (A page that gives no diagnosis code, its capture cut short or not, says nothing either way.)
  const giving = entries.filter((le) => diagnosisItems(le).length > 0);
  const [first, ...rest] = giving;
  if (!first || rest.length === 0) return false;
  const shared = [...new Set(diagnosisItems(first).map((x) => x.code.code))].filter((code) => rest.every((le) => diagnosisItems(le).some((x) => x.code.code === code)));
  if (shared.length === 0) return false;
  d.answered = true;
  d.title = `ICD-10 diagnosis code${shared.length > 1 ? 's' : ''}: ${shared.join(', ')} (${giving.map((le) => le.entry.id).join(', ')})`;
  d.text(`${entries.length} NICE guidance match "${u.text}"; the ${giving.length} that give a diagnosis code each give ${shared.join(', ')}:`);
  for (const le of giving) for (const x of diagnosisItems(le).filter((x) => shared.includes(x.code.code))) d.cite(le, x.rule.start, x.rule.end);
  d.codesBlock('ICD-10 diagnosis codes (the same in each)', shared.map((code) => d.code(first, diagnosisItems(first).find((x) => x.code.code === code)!.code)));
  const silent = entries.filter((le) => !giving.includes(le)).map((le) => le.entry.id);
  if (silent.length > 0) d.notice(`${silent.join(', ')} ${silent.length > 1 ? 'give' : 'gives'} no ICD-10 code in the loaded text.`);
  const others = new Map<string, string[]>();
  for (const le of giving) for (const x of diagnosisItems(le)) if (!shared.includes(x.code.code)) others.set(x.code.code, [...new Set([...(others.get(x.code.code) ?? []), le.entry.id])]);
  if (others.size > 0) d.notice(`Some of them also give ${[...others].map(([code, ids]) => `${code} (${ids.join(', ')})`).join(', ')}: say which procedure was done for its full set.`);
  d.clarify = {
    question: 'Which procedure was done?',
    options: entries.map((le) => ({ label: entryName(le), value: ask(le) })),
  };
  d.state = { guidance: first.entry.id, codes: shared };
  return true;
}

function primaryItems(le: LoadedEntry): CodeItem[] {
  return le.entry.groups.flatMap((g) => g.items).filter((i): i is CodeItem => i.type === 'code' && i.role.startsWith('primary'));
}

/**
 * Near-tied guidance that give the same primary procedure code (two approaches to pancreatic
 * necrosectomy, both J57.6): that code is the answer whichever was done, so it is given, quoted
 * from each, and the codes that differ are left to the coder's choice of procedure.
 */
function sharedPrimary(turn: Turn, entries: LoadedEntry[], ask: (le: LoadedEntry) => string): boolean {
  const d = turn.draft;
  const [first, ...rest] = entries;
  if (!first || rest.length === 0) return false;
  const shared = primaryItems(first).filter((c) => rest.every((le) => primaryItems(le).some((o) => o.code === c.code)));
  if (shared.length === 0) return false;
  d.answered = true;
  const codes = [...new Set(shared.map((c) => c.code))];
  d.title = `Primary procedure code${codes.length > 1 ? 's' : ''}: ${codes.join(', ')} (${entries.map((le) => le.entry.id).join(', ')})`;
  d.text(`${entries.length} NICE guidance match "${turn.u.text}", and they give the same primary procedure code${codes.length > 1 ? 's' : ''}:`);
  for (const le of entries) for (const item of primaryItems(le).filter((c) => shared.some((s) => s.code === c.code))) d.cite(le, item.start, item.end);
  // Which group a code heads ("Percutaneous approach") is part of its meaning.
  const headingOf = (c: CodeItem) => first.entry.groups.find((g) => g.items.includes(c))?.heading?.text;
  d.codesBlock(
    'Primary procedure (the same in each)',
    shared.map((c) => {
      const h = headingOf(c);
      return d.code(first, c, h && shared.length > 1 ? `${c.role}: ${tidy(h).replace(/:$/, '')}` : c.role);
    }),
  );
  d.notice('The approach, method and site codes differ between these guidance: say which procedure was done for the full set.');
  d.clarify = {
    question: 'Which procedure was done?',
    options: entries.map((le) => ({ label: entryName(le), value: ask(le) })),
  };
  // Follow-ups ("which dx?") go on from the best of them; a button or "the other one" can move.
  d.state = { guidance: first.entry.id, codes: d.codes.map((c) => c.code) };
  return true;
}

function codeOne(turn: Turn, r: Extract<Resolution, { kind: 'entry' }>): void {
  const { u, draft: d, state } = turn;
  const le = r.entry;
  const e = le.entry;
  const followUp = r.via === 'context' && !hasTopic(u.terms);
  const choice = chooseGroup(le, u.terms, followUp ? state.group : null);
  d.answered = true;
  d.title = `How to code: ${entryName(le)}`;
  d.state = { guidance: e.id, group: choice.index, codes: [] };
  if (r.hit && r.hit.missing.length > 0) d.partial(le, wordsFor(u, r.hit.missing));
  if (r.alsoFor && r.alsoFor.length > 0) {
    d.notice(
      `The question does not say the condition. This answer is from ${e.id} (${tidy(e.title.text)}); other loaded guidance for the same procedure: ${r.alsoFor.map((o) => `${o.entry.id} (${tidy(o.entry.title.text)})`).join('; ')}.`,
    );
    d.confidence = Math.min(d.confidence, 0.5);
    for (const o of r.alsoFor.slice(0, 2)) d.suggest(`How do I code ${tidy(o.entry.title.text)}?`);
  } else if (r.via === 'search' && r.hit && r.hit.missing.length === 0) {
    // The only guidance on the procedure, asked about in the words of its procedure alone ("balloon
    // valvuloplasty": a fetal one, for pulmonary atresia): what it is for is said, not assumed.
    const [procedure, ...rest] = e.title.text.split(/\s+for\s+/i);
    const forWhat = rest.join(' for ');
    const own = keysOf(procedure!);
    const written = u.terms.filter((t) => !t.implied && t.category !== 'coding' && t.category !== 'approach' && t.category !== 'imaging');
    if (forWhat && written.length > 0 && written.every((t) => own.has(t.key))) d.notice(`The question does not say the condition: ${e.id} is for ${midSentence(forWhat)}. Check that this is what the procedure was done for.`);
  }

  if (choice.unmatched.length > 0) {
    const approach = termList(choice.unmatched);
    d.notice(
      `${e.id} gives no codes for ${/^[aeiou]/i.test(approach) ? 'an' : 'a'} ${approach} approach. The codes below are the ones it does give; do not use them for a different approach without checking with the NHS Classifications Service.`,
    );
  }

  // A guidance about one approach ("Single-port laparoscopic ...") answers a question that did not say it.
  const askedKeys = new Set(u.terms.map((t) => t.key));
  const titleApproach = analyse(e.title.text).filter(
    (t) => t.category === 'approach' && t.concept?.id !== 'image guided' && !askedKeys.has(t.key),
  );
  // (Not when the group chosen is for the approach the question names: "it was transapical" gets
  // IPG421's transapical codes, though its title says transcatheter.)
  const chosenHeading = choice.index === null ? null : (e.groups[choice.index]?.heading?.text ?? null);
  const askedApproaches = u.terms.filter((t) => t.category === 'approach' && !t.implied);
  const groupForAsked = chosenHeading !== null && askedApproaches.length > 0 && askedApproaches.every((t) => keysOf(chosenHeading).has(t.key));
  // Nor a guidance on one kind of the procedure, found by the procedure alone ("pancreas
  // transplant": islet cells; "spinal fusion": transaxial interbody lumbosacral): its whole procedure is said.
  const kind = r.via === 'search' && r.hit && r.hit.missing.length === 0 ? kindOfProcedure(le, u.text, u.terms) : null;
  if (kind) {
    d.notice(`${e.id} is about ${kind}: check that this is the procedure that was performed.`);
  } else if (titleApproach.length > 0 && choice.unmatched.length === 0 && !groupForAsked) {
    const words = [...new Set(titleApproach.map((t) => (t.implied ? (t.concept?.id ?? '') : e.title.text.slice(t.start, t.end).toLowerCase())))].filter(Boolean);
    d.notice(`${e.id} is about the ${words.join(', ')} procedure: check that this is the procedure that was performed.`);
  }

  const asksDiagnosis = u.terms.some((t) => t.concept?.id === 'diagnosis');
  // Codes the page adds on ("if ... is carried out, the following codes are assigned in addition")
  // go with whichever group the question picks: they are not an alternative to it.
  const addOns = choice.index === null ? [] : e.groups.filter((g, i) => i !== choice.index && !g.alternative && g.instruction !== null && ADD_ON.test(g.instruction.text));
  // A group of secondary codes only (an approach: "Or one of the following codes to identify
  // extra-peritoneal approach") goes with the page's primary procedure codes, never instead of them.
  // (Nor, when every group is shown, is such a primary group one of the options.)
  const chosen = choice.index === null ? null : e.groups[choice.index]!;
  const secondaries = e.groups.filter((g) => onlyRole(g, 'secondary'));
  const primaries = (!chosen || secondaries.includes(chosen)) && secondaries.length > 0 ? e.groups.filter((g) => g !== chosen && !g.alternative && onlyRole(g, 'primary')) : [];
  const shown = chosen === null ? e.groups : [...primaries, chosen, ...addOns.filter((g) => !primaries.includes(g))];
  const withChosen = new Set([...primaries, ...addOns]);
  const options = shown.filter((g) => !withChosen.has(g));
  const rules = rulesToShow(le, shown);
  if (asksDiagnosis) diagnosisCodes(d, le, rules);
  // Asked for a diagnosis code the guidance does not give: say so, rather than only list procedures.
  if (asksDiagnosis && !e.rules.some((rule) => rule.codes.some((c) => c.system === 'ICD-10')) && e.snomed.every((c) => c.use !== 'diagnosis')) {
    d.notice(`${e.id} gives no ICD-10 diagnosis code: code the diagnosis from the case notes with ICD-10 and the national coding standards.`);
  }

  const shownCodes: CodeItem[] = [];
  shown.forEach((g) => {
    const option = options.indexOf(g);
    const name = heading(g) ?? (addOns.includes(g) ? 'In addition, where it applies' : option >= 0 && options.length > 1 ? `Option ${option + 1}${g.alternative ? ' (or)' : ''}` : 'Codes');
    showGroup(d, le, g, `${name} (${e.version ?? 'OPCS-4'})`);
    for (const item of g.items) if (item.type === 'code') shownCodes.push(item);
  });
  if (e.groups.length === 0) d.text(`${e.id} gives no OPCS-4 codes for this procedure. What it says:`);

  snomedBlocks(d, le);

  imagingHint(turn, le, shownCodes);
  noteCodes(d, le, rules, shownCodes);
  if (!asksDiagnosis) diagnosisCodes(d, le, rules);
  for (const rule of rules) d.rule(le, rule);

  if (choice.index !== null && e.groups.length > 1) {
    const others = e.groups.map((g) => (shown.includes(g) ? null : heading(g))).filter((h): h is string => h !== null);
    if (others.length > 0) {
      d.text(`${e.id} also gives codes for: ${others.join('; ')}.`);
      for (const o of others.slice(0, 2)) d.suggest(`And the ${o.charAt(0).toLowerCase()}${o.slice(1)}?`);
    }
  }
  // The secondary codes are what coders ask "why?" about: offer that for the first one given.
  const secondary = d.codes.find((c) => c.system === 'OPCS-4' && c.role.startsWith('secondary'));
  if (secondary) d.suggest(`Why do I need a ${secondary.code.slice(0, 3)} code?`);
  if (e.replaces) d.suggest(`What did ${e.id} replace?`);
  d.suggest(`Summarise ${e.id}`);
  d.state.codes = d.codes.map((c) => c.code);
}

/** Every code of the group has a role of this kind ("primary procedure (one of these)", "secondary: approach"). */
function onlyRole(g: Group, kind: 'primary' | 'secondary'): boolean {
  const codes = g.items.filter((i) => i.type === 'code');
  return codes.length > 0 && codes.every((c) => c.role.startsWith(kind));
}

/**
 * The title's own kind of the procedure the question names ("Allogeneic pancreatic islet cell
 * transplantation" for "pancreas transplant", "Coblation tonsillectomy" for "tonsillectomy"): words
 * we have no concept for, written before the question's procedure in the title's procedure part,
 * that the question does not have. Null when there are none, or when the question names the
 * procedure by an abbreviation (it stands for those words: "IRE", "ONS").
 */
function kindOfProcedure(le: LoadedEntry, text: string, terms: readonly Term[]): string | null {
  if (terms.some((t) => !t.implied && t.concept?.expands && /^[a-z]{2,5}$/i.test(text.slice(t.start, t.end)))) return null;
  const asked = new Set(terms.map((t) => t.key));
  const procedure = le.entry.title.text.split(/\s+for\s+/i)[0]!;
  // A method the title names ("Tonsillectomy using ultrasonic scalpel") that the question does not.
  const using = /\busing\s+(.+)$/i.exec(procedure)?.[1];
  if (using && [...keysOf(using)].some((k) => !asked.has(k))) return midSentence(procedure);
  const written = analyse(procedure).filter((t) => !t.implied);
  const named = written.find((t) => asked.has(t.key) && (t.category === 'procedure' || !t.category));
  if (!named) return null;
  // Only the words of its own phrase: "endoscopic mastectomy and endoscopic wide local excision"
  // names two operations, not a kind of the second.
  const from = Math.max(0, ...[...procedure.slice(0, named.start).matchAll(/\b(?:and|or|with|plus)\b|[,;(]/gi)].map((m) => m.index + m[0].length));
  const before = written.filter((t) => t.start >= from && t.end <= named.start);
  // A procedure of our vocabulary written as the kind ("ex vivo", "radiofrequency-assisted").
  if (before.some((t) => t.category === 'procedure' && !asked.has(t.key))) return midSentence(procedure);
  // Words we have no concept for: not the operation itself ("placement of" a pectus bar, "insertion
  // of" a prosthesis), nor a word the question shortens ("intraop" for intraoperative).
  const shortened = (k: string) => [...asked].some((a) => a.startsWith('s:') && a.length >= 6 && k.startsWith(a));
  const kinds = before.filter((t) => !t.category && !asked.has(t.key) && !shortened(t.key) && !operationTerm(procedure, t) && !/^(?:placement|placing|implanting)$/i.test(procedure.slice(t.start, t.end)));
  // Two words or more, or one joined with a hyphen ("ex-vivo"): one plain word ("extracorporeal"
  // shockwave therapy) seldom makes another procedure.
  const hyphened = (t: Term) => procedure.slice(t.start, t.end).includes('-') || procedure[t.start - 1] === '-' || procedure[t.end] === '-';
  return kinds.length >= 2 || kinds.some(hyphened) ? midSentence(procedure) : null;
}
