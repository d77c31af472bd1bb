// Words that name an operation by their form or by what they do, whatever pages are loaded:
// "trabeculectomy", "vertebroplasty", "circumcision", "ACL reconstruction", "dental extraction".
// Only for telling a coder's message from chat; never for matching guidance (that is the
// vocabulary's job), so nothing here can bring a code into a reply.

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
