// Re-derives knowledge/entries/*.json from knowledge/pages/*.txt with the parser and overrides.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rebuild } from '../src/knowledge/store.js';

const dir = process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'knowledge');
const written = rebuild(dir);
console.log(`derived ${written.length} entries in ${path.relative(process.cwd(), dir) || '.'}`);
