// npm run eval [-- --file F.jsonl] [--json]: scores the assistant on labelled questions.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Assistant } from '../src/assistant/assistant.js';
import { IntentClassifier } from '../src/nlu/classifier.js';
import { features } from '../src/nlu/features.js';
import { examplesOf, loadIntentFiles } from '../src/nlu/intents.js';
import { CLASSIFIER_SETTINGS } from '../src/nlu/understand.js';
import { parseJsonl, scoreItem, summarise } from '../src/eval/score.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const json = args.includes('--json');
const fileArg = args.indexOf('--file');
const candidates = fileArg >= 0 ? [args[fileArg + 1]!] : [path.join(root, '..', 'shared', 'eval', 'dev.jsonl'), path.join(root, 'tests', 'fixtures', 'eval.jsonl')];
const file = candidates.find((f) => existsSync(f));
if (!file) {
  console.error(`no eval file found (looked for ${candidates.join(', ')})`);
  process.exit(2);
}
const items = parseJsonl(readFileSync(file, 'utf8'), file);
const t0 = performance.now();
const assistant = Assistant.create();
const startupMs = performance.now() - t0;
const page = (id: string) => assistant.kb.get(id)?.page;
const first: number[] = [];
const results = items.map((item) => {
  const s = performance.now();
  const { reply } = assistant.answer(item.q);
  first.push(performance.now() - s);
  return scoreItem(item, reply, page);
});
// Latency over 20 further passes: the first pass (reported apart) also warms the JIT.
const latencies: number[] = [];
for (let i = 0; i < 20; i++) for (const item of items) {
  const s = performance.now();
  assistant.answer(item.q);
  latencies.push(performance.now() - s);
}
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
const summary = summarise(results);

// How well the classifier generalises beyond its training phrasings: 5-fold over intents/.
const examples = examplesOf(loadIntentFiles(path.join(root, 'intents')));
let right = 0;
const k = 5;
for (let f = 0; f < k; f++) {
  const train = examples.filter((_, i) => i % k !== f);
  const c = IntentClassifier.train(train, { featurize: features, ...CLASSIFIER_SETTINGS });
  for (const e of examples.filter((_, i) => i % k === f)) if (c.classify(e.text).label === e.label) right++;
}
const kfold = right / examples.length;

const report = {
  file: path.relative(process.cwd(), file),
  ...summary,
  kfoldIntentAccuracy: kfold,
  latencyMs: { p50: pct(50), p99: pct(99), max: latencies.at(-1)!, firstPassMax: Math.max(...first) },
  startupMs,
  failures: results.filter((r) => !r.answerRight || r.unsupported.length > 0).map((r) => ({ q: r.q, why: r.why })),
};
if (json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const pc = (x: number) => `${(100 * x).toFixed(1)}%`;
  console.log(`eval: ${report.file} (${summary.total} questions)`);
  console.log(`intent accuracy       ${pc(summary.intentAccuracy)}`);
  console.log(`answer correctness    ${pc(summary.answerAccuracy)}`);
  console.log(`unsupported codes     ${summary.unsupportedCodes}`);
  console.log(`fallback precision    ${summary.fallbackPrecision === null ? 'n/a' : pc(summary.fallbackPrecision)} (out-of-scope questions declined)`);
  console.log(`5-fold on intents/    ${pc(kfold)} (${examples.length} utterances)`);
  console.log(`answer latency        p50 ${report.latencyMs.p50.toFixed(2)} ms, p99 ${report.latencyMs.p99.toFixed(2)} ms (in process, ${latencies.length} answers; slowest cold first answer ${report.latencyMs.firstPassMax.toFixed(1)} ms)`);
  console.log(`start-up              ${startupMs.toFixed(0)} ms (load knowledge + train)`);
  console.log('confusion (expected -> got):');
  for (const [exp, row] of Object.entries(summary.confusion)) console.log(`  ${exp.padEnd(17)} ${Object.entries(row).map(([g, n]) => `${g}:${n}`).join(' ')}`);
  for (const f of report.failures) console.log(`  FAIL ${f.q}\n       ${f.why.join('; ')}`);
}
