// The only module that loads `natural`. Its package entry point reads ./.env, prints to stdout
// and pulls in database clients, so we load just the submodules we use, by path.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface PorterStemmer {
  stem(token: string): string;
}

// natural ships CommonJS without types for these deep paths; the interfaces above are what we use.
const stemmer = require('natural/lib/natural/stemmers/porter_stemmer.js') as PorterStemmer;

const distance = require('natural/lib/natural/distance/levenshtein_distance.js') as {
  DamerauLevenshteinDistance(a: string, b: string): number;
};

/** Edits (insert, delete, substitute, swap neighbours) between two words. */
export function editDistance(a: string, b: string): number {
  return distance.DamerauLevenshteinDistance(a, b);
}

const stemCache = new Map<string, string>();

/** Plurals no suffix rule reaches, read as one key with their singular ("a woman", "in women"). */
const IRREGULAR = new Map([
  ['woman', 'women'], ['child', 'children'], ['tooth', 'teeth'], ['foot', 'feet'], ['mouse', 'mice'],
]);

export function stem(token: string): string {
  let s = stemCache.get(token);
  if (s === undefined) {
    s = IRREGULAR.get(token) ?? (/^[a-z]+$/.test(token) ? stemmer.stem(token) : token);
    if (stemCache.size < 50_000) stemCache.set(token, s);
  }
  return s;
}

const { WordTokenizer } = require('natural/lib/natural/tokenizers/regexp_tokenizer.js') as {
  WordTokenizer: new () => { tokenize(text: string): string[] };
};
const wordTokenizer = new WordTokenizer();

/** natural's word tokenizer: runs of letters and digits. */
export function tokenize(text: string): string[] {
  return wordTokenizer.tokenize(text);
}
