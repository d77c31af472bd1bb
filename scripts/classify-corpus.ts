// npx tsx scripts/classify-corpus.ts --train TRAIN.json [--test TEST.json]
// Trains the classifier codebot uses on a corpus in the format of Braun et al. 2017 and prints one
// JSON line per test sentence: {text, expected, predicted, confidence} (src/eval/classify-corpus.ts).
import { classifyCorpus } from '../src/eval/classify-corpus.js';

process.exitCode = classifyCorpus(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
