// What the intent classifier sees of a question. Codes, guidance ids and lexicon concepts are
// replaced by placeholders first, so "what is J12.4" and "what is Y53.9" look alike, as do
// "RFA of liver mets" and "microwave ablation of HCC": the classifier learns the shape of a
// question, not its vocabulary. Question words are kept: they carry most of the intent.

import { findQueryCodes } from '../knowledge/codes.js';
import { analyse, type Corrector } from '../text/analyse.js';

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

/** Tokens for the classifier: words and placeholders, then bigrams of neighbours. */
export function features(text: string, correct?: Corrector): string[] {
  const masked = maskCodes(text);
  const tokens: string[] = [];
  for (const t of analyse(masked.text, { keepStop: true, correct })) {
    if (t.implied) continue;
    if (t.concept) {
      // Coding words ("secondary", "unspecified", "diagnosis") say what is asked; the rest only what about.
      tokens.push(t.category === 'coding' ? `qq${t.concept.id.replace(/\s+/g, '')}` : `qq${t.category}`);
    } else tokens.push(t.key.slice(2));
  }
  const out = [...tokens];
  if (masked.codes + masked.categories >= 2) out.push('qqmanycodes');
  if (tokens.length <= 3) out.push('qqshort');
  for (let i = 0; i + 1 < tokens.length; i++) out.push(`${tokens[i]}_${tokens[i + 1]}`);
  return out;
}
