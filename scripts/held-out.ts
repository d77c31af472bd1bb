// npm run eval:held-out: how codebot does on NICE pages it was never tuned on. Builds a knowledge
// folder without the held-out pages, adds them back with `codebot import` (as a coder would add a
// new page), and scores questions about them (tests/fixtures/held-out.jsonl) through the pipeline.
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { Assistant } from '../src/assistant/assistant.js';
import { parseLines, scoreItem, summarise, type ItemResult } from '../src/eval/score.js';
import { importPages } from '../src/knowledge/store.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Pages no labelled question and no vocabulary entry was written for, and their questions. */
const SETS: Record<string, { pages: string[]; file: string }> = {
  '1': {
    pages: ['IPG162', 'IPG198', 'IPG242', 'IPG271', 'IPG288', 'IPG310', 'IPG312', 'IPG365', 'IPG393', 'IPG409', 'IPG437', 'IPG480', 'IPG485', 'IPG510', 'IPG519'],
    file: 'held-out.jsonl',
  },
  // Written later, after the answers work, and run once as written.
  '2': { pages: ['IPG23', 'IPG62', 'IPG193', 'IPG199', 'IPG258', 'IPG287', 'IPG339', 'IPG358', 'IPG366', 'IPG391', 'IPG404', 'IPG500'], file: 'held-out-2.jsonl' },
  // Written in the session of 2026-11-27 (third), labels fixed before the first run.
  '3': { pages: ['IPG129', 'IPG138', 'IPG154', 'IPG200', 'IPG206', 'IPG255', 'IPG259', 'IPG272', 'IPG337', 'IPG414', 'IPG452', 'IPG530'], file: 'held-out-3.jsonl' },
};
const setArg = process.argv.indexOf('--set');
const chosen = SETS[setArg >= 0 ? process.argv[setArg + 1]! : '1'];
if (!chosen) {
  console.error(`--set must be one of ${Object.keys(SETS).join(', ')}`);
  process.exit(2);
}
const HELD_OUT = chosen.pages;

const dir = mkdtempSync(path.join(tmpdir(), 'codebot-held-out-'));
const pagesDir = path.join(root, 'knowledge', 'pages');
cpSync(path.join(root, 'knowledge'), dir, { recursive: true });
for (const id of HELD_OUT) {
  rmSync(path.join(dir, 'pages', `${id.toLowerCase()}.txt`));
  rmSync(path.join(dir, 'entries', `${id.toLowerCase()}.json`));
}
const before = readdirSync(path.join(dir, 'pages')).length;
importPages(dir, HELD_OUT.map((id) => path.join(pagesDir, `${id.toLowerCase()}.txt`)));
const assistant = Assistant.create({ knowledgeDir: dir, limits: null });
const file = path.join(root, 'tests', 'fixtures', chosen.file);
const results: ItemResult[] = [];
for (const line of parseLines(readFileSync(file, 'utf8'), file)) {
  const conversation = { platform: 'eval', channel: 'held-out', thread: String(line.line) };
  for (const turn of line.turns) {
    const reply = (await assistant.handle({ text: turn.q, conversation, user: 'eval' }))!;
    results.push(scoreItem(turn, reply, (id) => assistant.kb.get(id)?.page));
  }
}
const s = summarise(results);
const pc = (x: number) => `${(100 * x).toFixed(1)}%`;
console.log(`held-out: ${HELD_OUT.length} pages imported into knowledge without them (${before} + ${HELD_OUT.length}), ${s.total} turns`);
console.log(`  intent accuracy     ${pc(s.intentAccuracy)}`);
console.log(`  answer correctness  ${pc(s.answerAccuracy)}`);
console.log(`  confidently wrong   ${pc(s.confidentlyWrong)} (${s.confidentlyWrongCount})`);
console.log(`  unsupported codes   ${s.unsupportedCodes}`);
if (!process.argv.includes('--quiet')) for (const r of results.filter((x) => !x.answerRight || x.confidentlyWrong)) console.log(`  FAIL ${r.q}\n       ${r.why.join('; ')}`);
rmSync(dir, { recursive: true, force: true });
