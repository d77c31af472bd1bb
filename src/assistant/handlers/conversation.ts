// help, smalltalk and out_of_scope: short and honest, never codes.

import { findQueryCodes } from '../../knowledge/codes.js';
import type { Knowledge } from '../../knowledge/kb.js';
import { analyse } from '../../text/analyse.js';
import { asksClinically } from '../clinical.js';
import { midSentence, tidy } from '../draft.js';
import type { Turn } from '../turn.js';
import { NOT_COVERED } from './common.js';

/** Example questions by kind; each is offered only if the loaded knowledge can answer it. */
const EXAMPLES = {
  how_to_code: 'How do I code percutaneous RFA of liver mets?',
  code_lookup: 'What is Y53.9?',
  rule_explanation: 'Why do I need a Y53 code?',
  guidance_summary: 'Summarise IPG327',
  code_check: 'Check J12.4 Y53.9 C78.7 C18.9 for perc RFA of colorectal liver mets',
} as const;
export type ExampleKind = keyof typeof EXAMPLES;

const answerable = new WeakMap<Knowledge, Partial<Record<ExampleKind, string>>>();

/** The examples this knowledge answers: with other knowledge loaded, no example names a code it lacks. */
export function examplesFor(kb: Knowledge): Partial<Record<ExampleKind, string>> {
  let out = answerable.get(kb);
  if (!out) {
    out = {};
    for (const [kind, q] of Object.entries(EXAMPLES) as Array<[ExampleKind, string]>) {
      const codesKnown = findQueryCodes(q).every((c) => {
        const l = kb.lookup(c);
        return l.exact.length > 0 || l.coveredBy.length > 0;
      });
      const ids = [...q.matchAll(/IPG\d+/g)].every((m) => kb.get(m[0]) !== undefined);
      const topic = kind !== 'how_to_code' || kb.index.search(analyse(q)).length > 0;
      if (codesKnown && ids && topic) out[kind] = q;
    }
    answerable.set(kb, out);
  }
  return out;
}

export function exampleList(kb: Knowledge): string[] {
  return Object.values(examplesFor(kb));
}

export function help(turn: Turn): void {
  const d = turn.draft;
  d.title = 'What I can do';
  d.text(
    `I answer clinical coding questions from ${turn.kb.entries.length} NICE interventional procedures guidance pages, and quote the NICE text each answer comes from. Ask me:`,
  );
  d.text('  - how to code a procedure (OPCS-4 and ICD-10 codes, by approach)');
  d.text('  - what a code is, and which guidance uses it (or search code titles by words)');
  d.text('  - why and when a coding rule applies (for example Y53 image control codes)');
  d.text('  - a summary of a guidance (IPGnnn), and what it replaces');
  d.text('  - to check the codes you chose, and their order');
  d.text(`To see what is covered, ask "which guidance do you know?" or "what do you have on heart procedures?" (or run \`codebot list\`).`);
  d.text(NOT_COVERED);
  for (const q of exampleList(turn.kb).slice(0, 4)) d.suggest(q);
}

const THANKS = /\b(thank|thanks|cheers|ta|brilliant|great|perfect|star|helpful|awesome|nice one)\b/i;
const BYE = /\b(bye|goodbye|see you|later|good night)\b/i;

export function smalltalk(turn: Turn): void {
  const d = turn.draft;
  const t = turn.u.text;
  if (BYE.test(t)) d.text('Bye for now. Ask any time you need a code from NICE guidance.');
  else if (THANKS.test(t)) d.text("You're welcome. Ask me anything else about coding NICE interventional procedures.");
  else if (/\bhow are you\b/i.test(t)) d.text("I'm fine, thanks. What would you like to code?");
  else d.text('Hello! I help with OPCS-4 and ICD-10 coding from NICE interventional procedures guidance. Ask "help" to see what I can do.');
  const first = exampleList(turn.kb)[0];
  if (first) d.suggest(first);
}

export function outOfScope(turn: Turn): void {
  const d = turn.draft;
  if (asksClinically(turn.u.text)) {
    d.title = 'A clinical question, not a coding one';
    d.text(
      "I answer clinical coding questions about NICE interventional procedures guidance (OPCS-4 procedure codes, ICD-10 diagnosis codes and their rules), not questions about a procedure's risks, benefits, outcomes or recovery, so I give no codes for this.",
    );
    // Where NICE's view is: the guidance about all the procedures and conditions the question names,
    // or the conversation's when it names none ("is it recommended?").
    const named = turn.u.terms.filter((t) => t.concept && (t.category === 'procedure' || t.category === 'organ' || t.category === 'condition'));
    const best = named.length > 0 ? turn.kb.index.search(turn.u.terms.filter((t) => t.concept)).find((h) => h.missing.length === 0 && !h.contradicts) : undefined;
    const id = best?.id ?? (named.length === 0 ? turn.state.guidance : null);
    const le = id ? turn.kb.get(id) : undefined;
    if (le) {
      d.text(`NICE's recommendations on the safety and efficacy of ${midSentence(le.entry.title.text)} are in ${le.entry.id}: ${le.entry.url}`);
      d.suggest(`How do I code ${tidy(le.entry.title.text)}?`);
    }
    d.suggest('help');
    return;
  }
  d.title = 'Not something I can help with';
  d.text(
    'I only answer clinical coding questions about NICE interventional procedures guidance (OPCS-4 procedure codes, ICD-10 diagnosis codes and their rules). That question is outside what I know.',
  );
  const first = exampleList(turn.kb)[0];
  if (first) d.suggest(first);
  d.suggest('help');
}
