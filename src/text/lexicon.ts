// Coders' vocabulary: the words and abbreviations that name the same procedure, approach, organ,
// condition or imaging method. It is data (knowledge/vocabulary.json), validated here once at
// start-up: only words, never codes, since codes come from NICE pages.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { lineOfPath } from './jsonpos.js';

export type TermCategory = 'procedure' | 'approach' | 'organ' | 'condition' | 'imaging' | 'coding' | 'qualifier';

/** Something that looks like an OPCS-4 or ICD-10 code has no place in a list of words. */
const NOT_A_CODE = (f: string) => !/^[a-z]\d\d(?:\.|$)/i.test(f.trim());

const ConceptSchema = z.object({
  id: z.string().min(1),
  /** `qualifier`: how far or how often (advanced, refractory, radical): helps a match, never required. */
  category: z.enum(['procedure', 'approach', 'organ', 'condition', 'imaging', 'coding', 'qualifier']),
  /** Lower-case words or phrases; matched after stemming, so plurals come free. */
  forms: z.array(z.string().min(1).refine(NOT_A_CODE, 'a form must be words, not a code')).min(1),
  /** Concepts this one entails, e.g. HCC is a cancer of the liver. */
  implies: z.array(z.string().min(1)).optional(),
  /** An abbreviation that means exactly its `implies` (RFA = radiofrequency ablation), which NICE
   *  text spells out: matched through what it implies. */
  expands: z.boolean().optional(),
  /** Forms that are everyday words in lower case ("us", "met"), so they count only in capitals. */
  upper: z.array(z.string().min(1).refine(NOT_A_CODE, 'a form must be words, not a code')).optional(),
  /** Why an entry is as it is, for maintainers. */
  note: z.string().optional(),
});
export type Concept = z.infer<typeof ConceptSchema>;

const VocabularySchema = z.object({ source: z.string().min(20), concepts: z.array(ConceptSchema).min(1) });

export class VocabularyError extends Error {
  constructor(file: string, line: number | null, field: string, detail: string) {
    super(`${file}${line ? `:${line}` : ''} (${field}): ${detail}`);
    this.name = 'VocabularyError';
  }
}

/** Read and check a vocabulary file; names the file, line and field of the first problem. */
export function readVocabulary(file: string): Concept[] {
  const text = readFileSync(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new VocabularyError(file, null, 'file', `not valid JSON (${(err as Error).message})`);
  }
  const parsed = VocabularySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new VocabularyError(file, lineOfPath(text, issue.path), issue.path.join('.') || 'file', issue.message);
  }
  const concepts = parsed.data.concepts;
  const ids = new Set<string>();
  concepts.forEach((c, i) => {
    if (ids.has(c.id)) throw new VocabularyError(file, lineOfPath(text, ['concepts', i, 'id']), `concepts.${i}.id`, `"${c.id}" is listed twice`);
    ids.add(c.id);
  });
  concepts.forEach((c, i) => {
    // The id is matched as a form in any case: an id that is a capitals-only form ("ons" for ONS)
    // would read "one" as that concept.
    if ((c.upper ?? []).some((u) => u.toLowerCase() === c.id.toLowerCase())) {
      throw new VocabularyError(file, lineOfPath(text, ['concepts', i, 'id']), `concepts.${i}.id`, `"${c.id}" is also a capitals-only form: name the concept by its words`);
    }
    for (const imp of c.implies ?? []) {
      if (!ids.has(imp)) throw new VocabularyError(file, lineOfPath(text, ['concepts', i, 'implies']), `concepts.${i}.implies`, `"${imp}" is not a concept in this file`);
    }
  });
  return concepts;
}

export const VOCABULARY_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'knowledge', 'vocabulary.json');

export const CONCEPTS: Concept[] = readVocabulary(VOCABULARY_FILE);
