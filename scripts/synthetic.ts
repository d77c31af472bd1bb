// Synthetic knowledge for the scaling benchmark: copies of the real NICE pages under made-up ids
// (IPG100001...), each titled "[synthetic copy N]". Written to a temporary folder, never to knowledge/.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildEntry } from '../src/knowledge/entry.js';
import { entryJson } from '../src/knowledge/store.js';

export function makeSyntheticKnowledge(src: string, factor: number, out: string): number {
  mkdirSync(path.join(out, 'pages'), { recursive: true });
  mkdirSync(path.join(out, 'entries'), { recursive: true });
  const pages = readdirSync(path.join(src, 'pages')).filter((n) => n.endsWith('.txt')).sort();
  let n = 0;
  for (let copy = 0; copy < factor; copy++) {
    for (const name of pages) {
      let text = readFileSync(path.join(src, 'pages', name), 'utf8');
      let file = name;
      if (copy > 0) {
        n++;
        const id = `IPG${100000 + n}`;
        text = text
          .replace(/^url: (.*)$/m, `url: $1#synthetic-${copy}`)
          .replace(/^ipg: .*$/m, `ipg: ${id}`)
          .replace(/^title: (.*)$/m, `title: $1 [synthetic copy ${copy}]`);
        file = `${id.toLowerCase()}.txt`;
      }
      writeFileSync(path.join(out, 'pages', file), text);
      writeFileSync(path.join(out, 'entries', file.replace(/\.txt$/, '.json')), entryJson(buildEntry(text, file)));
    }
  }
  return pages.length * factor;
}
