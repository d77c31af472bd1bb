// npm run knowledge:readme: rewrites the table of shipped pages in README.md (between the markers)
// from the loaded knowledge, so the list, its links and its completeness stay true.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pagesTable, PAGES_BEGIN, PAGES_END } from '../src/knowledge/catalogue.js';
import { Knowledge } from '../src/knowledge/kb.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const readme = path.join(root, 'README.md');
const text = readFileSync(readme, 'utf8');
const from = text.indexOf(PAGES_BEGIN);
const to = text.indexOf(PAGES_END);
if (from < 0 || to < from) throw new Error(`README.md has no ${PAGES_BEGIN} ... ${PAGES_END} markers`);
const table = pagesTable(Knowledge.load(path.join(root, 'knowledge')).catalogue());
writeFileSync(readme, `${text.slice(0, from + PAGES_BEGIN.length)}\n${table}\n${text.slice(to)}`);
console.log('README.md: table of pages rewritten');
