// help, smalltalk and out_of_scope: short and honest, never codes.

import type { Turn } from '../turn.js';
import { NOT_COVERED } from './common.js';

export const EXAMPLES = [
  'How do I code percutaneous RFA of liver mets?',
  'What is Y53.9?',
  'Why do I need a Y53 code?',
  'Summarise IPG327',
  'Check J12.4 Y53.9 C78.7 C18.9 for perc RFA of colorectal liver mets',
];

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
  d.text(NOT_COVERED);
  for (const q of EXAMPLES.slice(0, 4)) d.suggest(q);
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
  d.suggest(EXAMPLES[0]!);
}

export function outOfScope(turn: Turn): void {
  const d = turn.draft;
  d.title = 'Not something I can help with';
  d.text(
    'I only answer clinical coding questions about NICE interventional procedures guidance (OPCS-4 procedure codes, ICD-10 diagnosis codes and their rules). That question is outside what I know.',
  );
  d.suggest(EXAMPLES[0]!);
  d.suggest('help');
}
