import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IntentClassifier } from '../src/nlu/classifier.js';
import { features } from '../src/nlu/features.js';
import { examplesOf, loadIntentFiles } from '../src/nlu/intents.js';
import { Nlu } from '../src/nlu/understand.js';
import { analyse } from '../src/text/analyse.js';
import { normalise } from '../src/text/normalise.js';
import { isEnglish, Speller } from '../src/text/spell.js';
import { ENGLISH_TS, englishModuleText } from '../scripts/build-english.js';
import { FIXTURES, INTENTS, ROOT } from './helpers.js';
import { parseJsonl } from '../src/eval/score.js';

const keys = (text: string) => analyse(text).map((t) => t.key);

describe('term extraction', () => {
  it('expands the abbreviations coders use', () => {
    expect(keys('perc RFA liver mets')).toEqual(expect.arrayContaining(['c:percutaneous', 'c:radiofrequency', 'c:ablation', 'c:liver', 'c:metastasis']));
    expect(keys('MWA of HCC')).toEqual(expect.arrayContaining(['c:microwave', 'c:ablation', 'c:hcc', 'c:liver']));
    expect(keys('IRE for CRLM')).toEqual(expect.arrayContaining(['c:electroporation', 'c:colorectal', 'c:liver', 'c:metastasis']));
    expect(keys('lap chole')).toEqual(expect.arrayContaining(['c:cholecystectomy']));
    expect(keys('SIRT')).toContain('c:sirt');
    expect(keys('TACE and HIFU')).toEqual(expect.arrayContaining(['c:tace', 'c:hifu']));
  });

  it('reads imaging methods, but "us" only when written US', () => {
    expect(keys('CT guided')).toContain('c:ct');
    expect(keys('USS guided biopsy')).toContain('c:ultrasound');
    expect(keys('US guided biopsy')).toContain('c:ultrasound');
    expect(keys('MRI')).toContain('c:mri');
    expect(keys('can you tell us')).not.toContain('c:ultrasound');
  });

  it('keeps words outside the lexicon as stems, without function words', () => {
    expect(keys('how do I code a knee washout')).toEqual(['c:knee', 's:washout']);
  });

  it('normalises odd Unicode without losing meaning', () => {
    expect(normalise('  J12\u200b.4\u00a0\u2018perc\u2019 RFA\u0000 ')).toBe("J12.4 'perc' RFA");
    expect(normalise('\ud800 lone')).toBe('lone');
    expect(normalise('ＲＦＡ')).toBe('RFA');
  });
});

describe('typo repair', () => {
  const speller = new Speller(['radiofrequency', 'ablation', 'metastases', 'liver', 'image']);
  it('corrects a word to the nearest known one within a small distance', () => {
    expect(speller.correct('radiofrequncy')).toBe('radiofrequency');
    expect(speller.correct('metastsaes')).toBe('metastases');
    expect(speller.correct('imaeg')).toBe('image');
  });
  it('leaves an everyday English word alone rather than read it as a medical one', () => {
    const words = ['cancers', 'resection', 'valve', 'ankle', 'wrapping', 'veins'];
    const plain = new Speller(words);
    const english = new Speller(words, isEnglish);
    // Without the dictionary each of these had become a medical word.
    for (const [w, medical] of [['concerns', 'cancers'], ['rejection', 'resection'], ['value', 'valve'], ['angle', 'ankle']] as const) {
      expect(plain.correct(w)).toBe(medical);
      expect(english.correct(w)).toBe(w);
    }
    // Not a real inflection: still a typo ("wraping", "vains").
    expect(english.correct('wraping')).toBe('wrapping');
    expect(english.correct('vains')).toBe('veins');
    expect(isEnglish('studies') && isEnglish('hurried') && isEnglish('simply') && isEnglish('stopped')).toBe(true);
    expect(isEnglish('masss') || isEnglish('stoped') || isEnglish('facees')).toBe(false);
  });

  it('has the word list built from WordNet as committed (npm run build:english)', () => {
    expect(readFileSync(ENGLISH_TS, 'utf8')).toBe(englishModuleText());
  });

  it('does not take another word with two letters changed for a typo', () => {
    const s = new Speller(['stabilisation', 'ablation']);
    expect(s.correct('sterilisation')).toBe('sterilisation');
    // A slip of one letter, or two letters swapped, still is one.
    expect(s.correct('stabilsation')).toBe('stabilisation');
    expect(s.correct('abaltion')).toBe('ablation');
  });
  it('takes four letters with two neighbours swapped for the word, and no other edit', () => {
    const s = new Speller(['code', 'codes', 'tavi', 'liver']);
    expect(s.correct('cdoe')).toBe('code');
    expect(s.correct('taiv')).toBe('tavi');
    // One letter off in four is as likely another word or an abbreviation.
    expect(s.correct('cove')).toBe('cove');
    expect(s.correct('evla')).toBe('evla');
  });
  it('leaves known, short and far-off words alone', () => {
    expect(speller.correct('liver')).toBe('liver');
    expect(speller.correct('lvr')).toBe('lvr');
    expect(speller.correct('arthroscopy')).toBe('arthroscopy');
  });
});

describe('intent files', () => {
  it('validate, one per intent', () => {
    const files = loadIntentFiles(INTENTS);
    expect(files.map((f) => f.intent).sort()).toEqual(
      ['code_check', 'code_lookup', 'guidance_summary', 'help', 'how_to_code', 'out_of_scope', 'rule_explanation', 'smalltalk'],
    );
  });

  it('do not contain the labelled evaluation questions (the fixture, and shared/eval when present)', () => {
    // Letters and digits only: "J12.8 meaning?" and "j128 meaning" are the same question.
    const tidy = (s: string) => normalise(s).toLowerCase().replace(/[^a-z0-9]+/g, '');
    const training = new Set(examplesOf(loadIntentFiles(INTENTS)).map((e) => tidy(e.text)));
    const files = [path.join(FIXTURES, 'eval.jsonl'), path.join(ROOT, '..', 'shared', 'eval', 'dev.jsonl'), path.join(ROOT, '..', 'shared', 'eval', 'dev2.jsonl')].filter((f) => existsSync(f));
    const evalQs = files.flatMap((f) => parseJsonl(readFileSync(f, 'utf8'), f).map((t) => tidy(t.q)));
    expect(evalQs.length).toBeGreaterThan(40);
    expect(evalQs.filter((q) => training.has(q))).toEqual([]);
  });

  it('refuse a broken file with its name, line and field', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'codebot-intents-'));
    cpSync(INTENTS, dir, { recursive: true });
    const file = path.join(dir, 'help.json');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('"intent": "help"', '"intent": "helpme"'));
    expect(() => loadIntentFiles(dir)).toThrow(/help\.json:2 \(intent\)/);
    writeFileSync(file, text.replace('"help me",', '"",'));
    expect(() => loadIntentFiles(dir)).toThrow(/help\.json:\d+ \(utterances\.\d+\): an utterance is empty/);
  });
});

describe('classifier', () => {
  const examples = [
    { text: 'what is the weather', label: 'weather' },
    { text: 'is it raining today', label: 'weather' },
    { text: 'book a taxi', label: 'taxi' },
    { text: 'I need a cab to the station', label: 'taxi' },
  ];
  const words = (t: string) => ({ w: t.toLowerCase().split(/\W+/).filter(Boolean) });
  // Four examples: every word counts, even one seen once.
  const c = IntentClassifier.train(examples, { featurize: words, minCount: 1 });

  it('works on any labelled utterances', () => {
    expect(c.classify('will it be raining').label).toBe('weather');
    expect(c.classify('get me a taxi').label).toBe('taxi');
  });

  it('gives no label and zero confidence for words it never saw, instead of the first label trained', () => {
    const r = c.classify('zebra quantum');
    expect(r.label).toBeNull();
    expect(r.confidence).toBe(0);
  });

  it('gives a confidence between 0 and 1 and a normalised ranking', () => {
    const r = c.classify('raining taxi');
    expect(r.confidence).toBeGreaterThan(0);
    expect(r.confidence).toBeLessThanOrEqual(1);
    expect(r.ranked.reduce((s, x) => s + x.p, 0)).toBeCloseTo(1, 3);
  });

  it('does not underflow on long questions', () => {
    const long = Array.from({ length: 400 }, () => 'raining today weather').join(' ');
    const r = c.classify(long);
    expect(r.label).toBe('weather');
    expect(Number.isFinite(r.confidence)).toBe(true);
  });

  it('sees codes as codes, not as the words the tokenizer makes of them', () => {
    expect(features('what is J12.4')).toEqual(features('what is Y53.9'));
    expect(features('J12.4 Y53.9').w).toContain('qqmanycodes');
    expect(Object.values(features('what is J12.4')).flat().join(' ')).not.toMatch(/j12|12/);
  });
});

describe('understanding a question', () => {
  const nlu = Nlu.fromDir(INTENTS);
  it('takes codes and guidance ids out before the terms', () => {
    const u = nlu.understand('is J12.4 right for IPG327 perc RFA?');
    expect(u.codes.map((c) => c.code)).toEqual(['J12.4']);
    expect(u.guidanceIds).toEqual(['IPG327']);
    expect(u.terms.map((t) => t.key)).not.toContain('s:j12');
    for (const t of u.terms) expect(u.text.slice(t.start, t.end).length).toBeGreaterThan(0);
  });
  it('classifies the canonical questions', () => {
    expect(nlu.understand('how do I code percutaneous RFA of liver mets?').intent).toBe('how_to_code');
    expect(nlu.understand('what is Y53.9?').intent).toBe('code_lookup');
    expect(nlu.understand('why do I need a Y53 code?').intent).toBe('rule_explanation');
  });
  it('reads how a question opens: a yes-or-no about what OPCS can show is a rule question', () => {
    expect(features('can OPCS show that the TAVI was transapical').s).toEqual(['can', 'can_opc']);
    // A question opening with a code or a procedure has no opener feature.
    expect(features('J12.4 for RFA?').s).toEqual([]);
    // Both were read as how to code before the opener counted.
    expect(nlu.understand('can OPCS show that the TAVI was transapical').intent).toBe('rule_explanation');
    expect(nlu.understand('is the imaging coded for IRE').intent).toBe('rule_explanation');
  });
});
