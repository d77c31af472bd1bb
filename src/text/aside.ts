// Parts of a question that describe the patient's story rather than the procedure asked about:
// history ("primary was sigmoid ca resected 2022", "hx of CABG"), what was ruled out ("not fit for
// stent", "rather than open") and the operation another was done during. Their words may help a
// match but must never decide one, or a guidance that lacks them is wrongly called a partial match
// or no match at all.

/** Openers of an aside. The aside runs to the next clause break. */
const OPENER = [
  String.raw`primary\s+(?:was|is|being|of|:)`,
  String.raw`(?:past\s+|medical\s+|previous\s+)?history\s+of`,
  String.raw`hx(?:\s+of)?`,
  String.raw`h\/o`,
  String.raw`pmh(?:x)?`,
  String.raw`background\s+of`,
  String.raw`previous(?:ly)?`,
  String.raw`prev`,
  String.raw`s\/p`,
  String.raw`status\s+post`,
  String.raw`not\s+(?:fit|suitable|a\s+candidate)\s+for`,
  String.raw`unfit\s+for`,
  String.raw`declined`,
  // The operation another was done during ("LAA clip during CABG"): its setting, not what is asked about.
  String.raw`during`,
  String.raw`at\s+the\s+(?:same\s+)?time\s+(?:of|as)`,
  // What was done instead of something else: "coblation rather than cold steel".
  String.raw`rather\s+than`,
  String.raw`instead\s+of`,
  String.raw`as\s+opposed\s+to`,
  // Where metastases came from: "a secondary from breast", "mets from a rectal primary".
  String.raw`(?<=\b(?:secondary|secondaries|mets?|metastas[ie]s|metastatic|deposits?)\b[^.,;?]{0,30})from`,
  String.raw`contraindicated`,
].join('|');

/** Punctuation or a word that starts the next clause ("now", "today", "having"). */
const BREAK = String.raw`[.;,:()!?\u2013\u2014]|\s-\s|\b(?:now|today|this\s+time|presents?|presenting|presented|admitted|having|had|has|undergoing|underwent|but|for|and\s+(?:now|then|today))\b`;

const ASIDE = new RegExp(String.raw`\b(?:${OPENER})\b[\s\S]*?(?=${BREAK}|$)`, 'gi');

export interface Span {
  start: number;
  end: number;
  /** What was ruled out ("not fit for TAVI"): never the subject, whatever else the question names. */
  ruledOut: boolean;
  /** What was done instead ("rather than open", "instead of cold steel"): its approach was not used. */
  instead: boolean;
}

const RULED_OUT = /^(?:not\s|unfit|declined|contraindicated|rather|instead|as\s+opposed)/i;
const INSTEAD = /^(?:rather|instead|as\s+opposed)/i;

/** Where the asides are, as offsets into `text`. */
export function asides(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(ASIDE)) if (m[0].trim().length > 0) out.push({ start: m.index, end: m.index + m[0].length, ruledOut: RULED_OUT.test(m[0]), instead: INSTEAD.test(m[0]) });
  return out;
}
