// npx tsx scripts/classify-corpus.ts --train TRAIN.json [--test TEST.json]
// Trains the classifier codebot uses (same features, same settings) on a corpus in the format of
// Braun et al. 2017 and prints one JSON line per test sentence: {text, expected, predicted, confidence}.
// With one file, its `training` flags split it; with two, every sentence of --train trains and
// every sentence of --test is tested, whatever its flag says.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { IntentClassifier, type Example } from '../src/nlu/classifier.js';
import { features } from '../src/nlu/features.js';
import { CLASSIFIER_SETTINGS } from '../src/nlu/understand.js';

const Corpus = z.object({
  sentences: z.array(z.object({ text: z.string(), intent: z.string().min(1), training: z.boolean().optional() })).min(1),
});

function read(file: string): z.infer<typeof Corpus>['sentences'] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    fail(`${file}: ${(err as Error).message}`);
  }
  const parsed = Corpus.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    fail(`${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data.sentences;
}

function fail(message: string): never {
  console.error(`classify-corpus: ${message}`);
  process.exit(2);
}

const { values } = parseArgs({ options: { train: { type: 'string' }, test: { type: 'string' } } });
if (!values.train) fail('give --train FILE (and --test FILE, or a file whose sentences say "training": true|false)');
const trainFile = read(values.train);
const ex = (s: { text: string; intent: string }): Example => ({ text: s.text, label: s.intent });
const train = values.test ? trainFile.map(ex) : trainFile.filter((s) => s.training === true).map(ex);
const test = values.test ? read(values.test).map(ex) : trainFile.filter((s) => s.training === false).map(ex);
if (train.length === 0) fail(`${values.train}: no training sentences`);
if (test.length === 0) fail(`no test sentences (give --test FILE, or mark sentences "training": false)`);

const classifier = IntentClassifier.train(train, { featurize: (t) => features(t), ...CLASSIFIER_SETTINGS });
const out: string[] = [];
for (const e of test) {
  const r = classifier.classify(e.text);
  out.push(JSON.stringify({ text: e.text, expected: e.label, predicted: r.label, confidence: r.confidence }));
}
process.stdout.write(`${out.join('\n')}\n`);
