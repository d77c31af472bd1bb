// What the intent classifier sees of a question. Codes, guidance ids and lexicon concepts are
// replaced by placeholders first, so "what is J12.4" and "what is Y53.9" look alike, as do
// "RFA of liver mets" and "microwave ablation of HCC": the classifier learns the shape of a
// question, not its vocabulary. Question words are kept: they carry most of the intent.

import { findQueryCodes } from '../knowledge/codes.js';
import { analyse, type Corrector } from '../text/analyse.js';
import { tokenize } from '../text/natural.js';
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
 * What the classifier sees: "w" words (stems, placeholders and a few shape markers), "b" pairs of
 * neighbouring words, "c" character trigrams of each word, which carry typos, plurals and
 * unseen compounds ("password" in "passwords", "resetpassword").
 */
export function features(text: string, correct?: Corrector): FeatureBlocks {
  const masked = maskCodes(text);
  const tokens: string[] = [];
  for (const t of analyse(masked.text, { keepStop: true, correct })) {
    if (t.implied) continue;
    if (t.concept) {
      // Coding words ("secondary", "unspecified", "diagnosis") say what is asked; the rest only what about.
      tokens.push(t.category === 'coding' ? `qq${t.concept.id.replace(/\s+/g, '')}` : `qq${t.category}`);
    } else tokens.push(/\d/.test(t.key) ? 'qqnumber' : t.key.slice(2));
  }
  const w = [...tokens];
  if (masked.codes + masked.categories >= 2) w.push('qqmanycodes');
  if (tokens.length <= 3) w.push('qqshort');
  const b: string[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) b.push(`${tokens[i]}_${tokens[i + 1]}`);
  const c: string[] = [];
  for (const word of tokenize(masked.text.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, ''))) {
    if (/\d/.test(word) || word.startsWith('qq')) continue;
    const s = `#${word}#`;
    for (let i = 0; i + 3 <= s.length; i++) c.push(s.slice(i, i + 3));
  }
  return { w, b, c };
}
