// Words that name an operation by their form or by what they do, whatever pages are loaded:
// "trabeculectomy", "vertebroplasty", "circumcision", "ACL reconstruction", "dental extraction".
// Only for telling a coder's message from chat, and one operation from another so as to rule a
// match out; never for finding guidance (that is the vocabulary's job), so nothing here can bring a
// code into a reply.

import type { Term } from './analyse.js';

// Greek and Latin endings surgeons name operations with (-ectomy, -plasty, -scopy ...).
const ENDING = /(?:ectom|otom|ostom|plast|scop|pex|rrhaph)(?:y|ies)$|(?:desis|tripsy|centesis)$|^(?:ex|in|circum)cisions?$/;
// Everyday words with those endings.
const EVERYDAY = new Set(['dichotomy', 'dichotomies']);
// What an operation does to a part of the body, in plain words.
const ACTIONS = new Set(
  [
    'repair', 'reconstruction', 'replacement', 'resection', 'insertion', 'implantation', 'transplant',
    'transplantation', 'biopsy', 'biopsies', 'ablation', 'embolisation', 'embolization', 'extraction',
    'fixation', 'graft', 'grafting', 'stenting', 'bypass', 'drainage', 'amputation', 'decompression',
    'dilatation', 'dilation', 'catheterisation', 'catheterization', 'fusion', 'release', 'removal',
    'revision', 'closure', 'formation', 'aspiration', 'ligation', 'banding', 'cauterisation',
    'cauterization', 'debridement', 'manipulation', 'reduction',
  ],
);

/** A word (any case) that names an operation: "trabeculectomy", "repair", "circumcision". */
export function namesOperation(word: string): boolean {
  const w = word.toLowerCase();
  return ACTIONS.has(w) || (ENDING.test(w) && !EVERYDAY.has(w));
}

/** A term of `text` with no lexicon concept whose word names an operation ("trabeculectomy" in a question). */
export function operationTerm(text: string, t: Term): boolean {
  return !t.concept && namesOperation(text.slice(t.start, t.end));
}
