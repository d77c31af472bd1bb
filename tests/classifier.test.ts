import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IntentClassifier, labelWords } from '../src/nlu/classifier.js';
import { features } from '../src/nlu/features.js';
import { CLASSIFIER_SETTINGS } from '../src/nlu/understand.js';
import { chooseThreshold, reliability } from '../src/eval/calibration.js';
import { classifyCorpus } from '../src/eval/classify-corpus.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

// A small corpus in the format of Braun et al. 2017, written for these tests.
const sentences = [
  ['when is the next train to the airport', 'DepartureTime', true],
  ['what time does the bus leave from the station', 'DepartureTime', true],
  ['next departure from central please', 'DepartureTime', true],
  ['when does the tram go', 'DepartureTime', true],
  ['how do I get from the zoo to the museum', 'FindConnection', true],
  ['connection from the airport to the harbour', 'FindConnection', true],
  ['a connection from home to work', 'FindConnection', true],
  ['how can I travel from the park to the station', 'FindConnection', true],
  ['when does the next train leave', 'DepartureTime', false],
  ['how do I get from the station to the zoo', 'FindConnection', false],
] as const;
const corpus = { sentences: sentences.map(([text, intent, training]) => ({ text, intent, training })) };

describe('the intent classifier', () => {
  const train = corpus.sentences.filter((s) => s.training).map((s) => ({ text: s.text, label: s.intent }));

  it('learns a corpus it has never seen, words it has seen in new orders', () => {
    const c = IntentClassifier.train(train, { featurize: (t) => features(t), ...CLASSIFIER_SETTINGS });
    expect(c.classify('when does the next train leave').label).toBe('DepartureTime');
    expect(c.classify('how do I get from the station to the zoo').label).toBe('FindConnection');
  });

  it('weights features by how well they tell the intents apart (nbPower), deterministically', () => {
    const make = (nbPower: number | Record<string, number>) => IntentClassifier.train(train, { featurize: (t) => features(t), ...CLASSIFIER_SETTINGS, nbPower });
    const probe = ['when does the next train leave', 'how do I get from the station to the zoo', 'from the station when'];
    const weighted = probe.map((q) => make(0.3).classify(q));
    expect(probe.map((q) => make(0.3).classify(q))).toEqual(weighted);
    expect(weighted.map((r) => r.label)).toEqual(['DepartureTime', 'FindConnection', expect.any(String)]);
    // The same data without the weighting gives a different model; so does a power for one block only.
    expect(probe.map((q) => make(0).classify(q).ranked)).not.toEqual(weighted.map((r) => r.ranked));
    expect(probe.map((q) => make({ c: 0.7 }).classify(q).ranked)).not.toEqual(probe.map((q) => make(0).classify(q).ranked));
  });

  it('reads a typo through its character trigrams', () => {
    const c = IntentClassifier.train(train, { featurize: (t) => features(t), ...CLASSIFIER_SETTINGS });
    // "departur" and "connectoin" are not words it was trained on; most of their trigrams are.
    expect(c.classify('departur times').label).toBe('DepartureTime');
    expect(c.classify('any connectoin?').label).toBe('FindConnection');
  });

  it('trains the same model twice: same ranking and probabilities, byte for byte', () => {
    const a = IntentClassifier.train(train, { featurize: (t) => features(t), ...CLASSIFIER_SETTINGS });
    const b = IntentClassifier.train([...train], { featurize: (t) => features(t), ...CLASSIFIER_SETTINGS });
    for (const q of ['when does the next train leave', 'route to the zoo', 'zebra']) {
      expect(JSON.stringify(b.classify(q))).toBe(JSON.stringify(a.classify(q)));
    }
  });

  it('keeps the same string in two blocks apart (the word "for" is not the trigram "for")', () => {
    // "w:x" means one label and "c:x" the other; one shared feature could not tell them apart.
    const featurize = (t: string): Record<string, string[]> => (t.startsWith('word') ? { w: ['x'] } : { c: ['x'] });
    const data = [
      { text: 'word 1', label: 'A' },
      { text: 'word 2', label: 'A' },
      { text: 'gram 1', label: 'B' },
      { text: 'gram 2', label: 'B' },
    ];
    const c = IntentClassifier.train(data, { featurize });
    expect(c.classify('word 3').label).toBe('A');
    expect(c.classify('gram 3').label).toBe('B');
  });

  it("takes each label's name as one more example (nameExamples)", () => {
    expect(['FindConnection', 'how_to_code', 'Make Update', 'None'].map(labelWords)).toEqual(['find connection', 'how to code', 'make update', 'none']);
    const data = [
      { text: 'put on some music', label: 'PlayMusic' },
      { text: 'play my favourite songs', label: 'PlayMusic' },
      { text: 'play something relaxing', label: 'PlayMusic' },
      { text: 'what is the weather like', label: 'GetWeather' },
      { text: 'will it rain tomorrow', label: 'GetWeather' },
      { text: 'is it going to rain', label: 'GetWeather' },
    ];
    // "weather" is in one example only, too rare to keep; its label's name makes two.
    const without = IntentClassifier.train(data, { featurize: (t) => features(t), ...CLASSIFIER_SETTINGS, nameExamples: false });
    const withNames = IntentClassifier.train(data, { featurize: (t) => features(t), ...CLASSIFIER_SETTINGS, nameExamples: true });
    expect(without.classify('weather').label).toBeNull();
    expect(withNames.classify('weather').label).toBe('GetWeather');
    expect(withNames.intents).toEqual(without.intents);
  });

  it('a lower temperature makes it surer, never changes its answer', () => {
    const c = IntentClassifier.train(train, { featurize: (t) => features(t), ...CLASSIFIER_SETTINGS });
    const q = 'next bus to the museum';
    const warm = c.classify(q, 1);
    const cool = c.classify(q, 0.5);
    expect(cool.label).toBe(warm.label);
    expect(cool.confidence).toBeGreaterThan(warm.confidence);
  });
});

describe('calibration', () => {
  const at = (confidence: number, right: number, wrong: number) => [
    ...Array.from({ length: right }, () => ({ confidence, correct: true })),
    ...Array.from({ length: wrong }, () => ({ confidence, correct: false })),
  ];

  it('has no error when confidence is how often it is right, and measures the gap when it is not', () => {
    expect(reliability([...at(0.95, 19, 1), ...at(0.55, 11, 9)]).ece).toBeCloseTo(0, 10);
    // 20 at 0.95 all wrong: the whole gap, 0.95.
    expect(reliability(at(0.95, 0, 20)).ece).toBeCloseTo(0.95, 10);
    const table = reliability([...at(0.95, 19, 1), ...at(0.35, 1, 3)]);
    expect(table.bins[9]).toMatchObject({ count: 20, accuracy: 0.95 });
    expect(table.bins[3]).toMatchObject({ count: 4, accuracy: 0.25 });
  });

  it('puts the fallback threshold where guesses stop being right more often than not', () => {
    expect(chooseThreshold([...at(0.95, 19, 1), ...at(0.65, 6, 4), ...at(0.45, 1, 4), ...at(0.25, 3, 0)])).toBe(0.6);
    expect(chooseThreshold(at(0.95, 19, 1))).toBe(0.9);
  });
});

describe('scripts/classify-corpus.ts', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'codebot-corpus-'));
  // In process, as the script runs it; the first case also as the command the issue gives (tsx).
  const run = (...args: string[]) => {
    let stdout = '';
    let stderr = '';
    const status = classifyCorpus(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
    return { status, stdout, stderr };
  };

  it('trains on the training sentences and prints one JSON line per test sentence (as a tsx subprocess)', () => {
    const file = path.join(dir, 'corpus.json');
    writeFileSync(file, JSON.stringify(corpus));
    const r = spawnSync(TSX, [path.join(ROOT, 'scripts', 'classify-corpus.ts'), '--train', file], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(run('--train', file).stdout);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ text: 'when does the next train leave', expected: 'DepartureTime', predicted: 'DepartureTime' });
    expect(lines[1]).toMatchObject({ expected: 'FindConnection', predicted: 'FindConnection' });
    for (const l of lines) expect(l.confidence).toBeGreaterThan(0.5);
  });

  it('takes separate train and test files', () => {
    const trainFile = path.join(dir, 'train.json');
    const testFile = path.join(dir, 'test.json');
    writeFileSync(trainFile, JSON.stringify({ sentences: corpus.sentences.filter((s) => s.training).map(({ text, intent }) => ({ text, intent })) }));
    writeFileSync(testFile, JSON.stringify({ sentences: [{ text: 'route from the zoo to the harbour', intent: 'FindConnection', training: true }] }));
    const r = run('--train', trainFile, '--test', testFile);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ expected: 'FindConnection', predicted: 'FindConnection' });
  });

  it('refuses a malformed corpus naming the file and the field', () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ sentences: [{ text: 'hello', training: true }] }));
    const r = run('--train', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}: sentences.0.intent`);
    expect(r.stdout).toBe('');
  });
});
