// npm run bench: start-up, answer latency, throughput and memory of the core, on this machine.
// Prints a table and writes it to BENCHMARKS.md. A script, not a test: nothing here asserts.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Assistant } from '../src/assistant/assistant.js';
import { parseJsonl } from '../src/eval/score.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const evalFile = [path.join(root, '..', 'shared', 'eval', 'dev.jsonl'), path.join(root, 'tests', 'fixtures', 'eval.jsonl')].find((f) => existsSync(f))!;
const questions = parseJsonl(readFileSync(evalFile, 'utf8'), evalFile).map((i) => i.q);
const bin = path.join(root, 'bin', 'codebot.js');
if (!existsSync(path.join(root, 'dist', 'platforms', 'cli', 'main.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

// Start-up to the first answer, as a user sees it: a fresh process answering one question.
const cold: number[] = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  execFileSync(process.execPath, [bin, 'ask', 'how do I code percutaneous RFA of liver mets?'], { stdio: 'pipe' });
  cold.push(performance.now() - t);
}

// Resident memory with all knowledge loaded, in a process that holds nothing else.
const rssScript = `const m = await import(${JSON.stringify(path.join(root, 'dist', 'assistant', 'assistant.js'))}); const a = m.Assistant.create(); a.answer('what is Y53.9'); globalThis.gc?.(); console.log(process.memoryUsage().rss);`;
const rss = Number(execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', rssScript], { encoding: 'utf8' }).trim());

const t0 = performance.now();
const assistant = Assistant.create();
const startup = performance.now() - t0;
for (const q of questions) assistant.answer(q);

const N = Math.max(10_000, questions.length * 200);
const byIntent = new Map<string, number[]>();
const all: number[] = [];
const t1 = performance.now();
for (let i = 0; i < N; i++) {
  const q = questions[i % questions.length]!;
  const s = performance.now();
  const { reply } = assistant.answer(q);
  const d = performance.now() - s;
  all.push(d);
  const list = byIntent.get(reply.intent) ?? [];
  list.push(d);
  byIntent.set(reply.intent, list);
}
const wall = performance.now() - t1;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

const rows: string[][] = [
  ['measure', 'value'],
  ['machine', `${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), Node ${process.version}`],
  ['knowledge', `${assistant.kb.entries.length} guidance entries, ${assistant.nlu.classifier.intents.length} intents`],
  ['start-up to first answer (CLI, fresh process, median of 5)', `${median(cold).toFixed(0)} ms`],
  ['load knowledge + train (in process)', `${startup.toFixed(0)} ms`],
  ['resident memory, all knowledge loaded', `${(rss / 1024 / 1024).toFixed(1)} MB`],
  [`answers in process (${N} over ${questions.length} eval questions)`, `p50 ${pct(all, 50).toFixed(3)} ms, p99 ${pct(all, 99).toFixed(3)} ms`],
  ['questions per second, one core', `${Math.round((N / wall) * 1000)}`],
  ...[...byIntent.entries()].sort().map(([intent, xs]) => [`  ${intent} (${xs.length})`, `p50 ${pct(xs, 50).toFixed(3)} ms, p99 ${pct(xs, 99).toFixed(3)} ms`]),
];
const table = rows.map((r, i) => `| ${r.join(' | ')} |${i === 0 ? '\n|---|---|' : ''}`).join('\n');
console.log(table);
const doc = `# Benchmarks\n\nMeasured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}. Figures vary with the machine and its load; rerun to compare.\n\n## Core (in process and CLI)\n\n${table}\n`;
writeFileSync(path.join(root, 'BENCHMARKS.md'), doc);
console.log('\nwritten to BENCHMARKS.md');
