// What the intent classifier sees of a question. Codes, guidance ids and lexicon concepts are
// replaced by placeholders first, so "what is J12.4" and "what is Y53.9" look alike, as do
// "RFA of liver mets" and "microwave ablation of HCC": the classifier learns the shape of a
// question, not its vocabulary. Question words are kept: they carry most of the intent.

import { findQueryCodes } from '../knowledge/codes.js';
import { analyse, type Corrector } from '../text/analyse.js';
import { stem, tokenize } from '../text/natural.js';
import type { FeatureBlocks } from './classifier.js';

export const GUIDANCE_ID = /\b(?:IPG|NICE\s*IPG|IP)\s?-?\s?(\d{1,4})\b/gi;

/** Replace codes and guidance ids by placeholder words; returns the new text and the counts. */
export function maskCodes(text: string): { text: string; codes: number; categories: number; ids: number } {
  let codes = 0;
  let categories = 0;
  let ids = 0;
  let out = text.replace(GUIDANCE_ID, () => {
    ids++;
    return ' qqguidance ';
  });
  const found = findQueryCodes(out);
  for (let i = found.length - 1; i >= 0; i--) {
    const m = found[i]!;
    if (m.kind === 'code') codes++;
    else categories++;
    out = `${out.slice(0, m.start)} ${m.kind === 'code' ? 'qqcode' : 'qqcategory'} ${out.slice(m.end)}`;
  }
  return { text: out, codes, categories, ids };
}

/**
 * Words that ask the same thing in other words ("is Y53 mandatory", "is Y53 compulsory", "must I add
 * Y53"): each also gives a shared cue feature, so a word met once in training still counts as its
 * class. Only question words: nothing here names a procedure, a code or an intent.
 */
const CUE_CLASSES: Record<string, string[]> = {
  need: ['need', 'needed', 'needs', 'require', 'required', 'requires', 'mandatory', 'compulsory', 'obligatory', 'necessary', 'essential', 'must', 'optional'],
  why: ['why', 'reason', 'reasons', 'logic', 'point', 'purpose', 'rationale'],
  order: ['order', 'sequence', 'sequencing', 'sequenced', 'first', 'before', 'after', 'precede', 'follow'],
  search: ['search', 'find', 'look', 'list', 'containing', 'contain', 'contains', 'mention', 'mentions', 'mentioning', 'include', 'includes', 'including', 'exist', 'exists', 'available'],
  meaning: ['mean', 'means', 'meaning', 'stand', 'stands', 'title', 'describe', 'description', 'definition', 'define', 'represent', 'represents'],
  check: ['check', 'checking', 'verify', 'validate', 'confirm', 'correct', 'right', 'wrong', 'ok', 'okay', 'mistake', 'accurate', 'agree', 'review'],
  help: ['instructions', 'guide', 'manual', 'usage', 'commands', 'command', 'menu', 'features', 'tips', 'examples', 'example'],
  summary: ['summary', 'summarise', 'summarize', 'overview', 'brief', 'outline', 'gist'],
  replaced: ['replace', 'replaced', 'replaces', 'supersede', 'superseded', 'supersedes', 'previous', 'older', 'newer'],
};
/**
 * Words a question opens with that say what kind of question it is, as stems ("does" is "doe", "any"
 * "ani"): question words, auxiliaries ("do we have to", "can OPCS show": yes-or-no, mostly rules),
 * requests. A question that opens with a code or a procedure gets no opener: those words say what
 * it is about, not what it asks.
 */
const OPENERS = new Set([
  'how', 'what', 'whats', 'which', 'why', 'when', 'where', 'who', 'is', 'are', 'do', 'doe', 'can', 'should', 'could',
  'would', 'will', 'must', 'need', 'and', 'so', 'if', 'i', 'we', 'ani', 'there', 'tell', 'show', 'give', 'list',
  'explain', 'summaris', 'summar',
]);
const CUE_OF = new Map(Object.entries(CUE_CLASSES).flatMap(([cue, ws]) => ws.map((w) => [stem(w), `qqcue${cue}`] as const)));

/**
 * What the classifier sees: "w" words (stems, placeholders, cues and a few shape markers), "b" pairs of
 * neighbouring words, "c" character trigrams of each word, which carry typos, plurals and
 * unseen compounds ("password" in "passwords", "resetpassword"), and "s" how the question opens.
 */
export function features(text: string, correct?: Corrector): FeatureBlocks {
  const masked = maskCodes(text);
  const tokens: string[] = [];
  let abbr = 0;
  for (const t of analyse(masked.text, { keepStop: true, correct })) {
    if (t.implied) continue;
    if (t.concept) {
      // Coding words ("secondary", "unspecified", "diagnosis") say what is asked; the rest only what about.
      tokens.push(t.category === 'coding' ? `qq${t.concept.id.replace(/\s+/g, '')}` : `qq${t.category}`);
    } else {
      tokens.push(/\d/.test(t.key) ? 'qqnumber' : t.key.slice(2));
      if (/^[A-Z][A-Z0-9]{1,5}$/.test(masked.text.slice(t.start, t.end))) abbr++;
    }
  }
  const w = [...tokens];
  // An abbreviation in capitals ("TMS", "EVLT") is how coders name procedures; chat seldom has one.
  if (abbr > 0) w.push('qqabbr');
  for (const t of tokens) {
    const cue = CUE_OF.get(t);
    if (cue) w.push(cue);
  }
  if (masked.codes + masked.categories >= 2) w.push('qqmanycodes');
  if (tokens.length <= 3) w.push('qqshort');
  const b: string[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) b.push(`${tokens[i]}_${tokens[i + 1]}`);
  // How the question opens: the opener, and the opener with the word after it ("do_we", "can_opc").
  const s: string[] = [];
  if (tokens[0] && OPENERS.has(tokens[0])) {
    s.push(tokens[0]);
    if (tokens[1]) s.push(`${tokens[0]}_${tokens[1]}`);
  }
  const c: string[] = [];
  for (const word of tokenize(masked.text.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, ''))) {
    if (/\d/.test(word) || word.startsWith('qq')) continue;
    const padded = `#${word}#`;
    for (let i = 0; i + 3 <= padded.length; i++) c.push(padded.slice(i, i + 3));
  }
  return { w, b, c, s };
}
