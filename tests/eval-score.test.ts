import { describe, expect, it } from 'vitest';
import type { Reply } from '../src/assistant/reply.js';
import { codePresent, parseJsonl, scoreItem, summarise, unsupportedCodes } from '../src/eval/score.js';
import { crossValidate, foldsOf } from '../src/eval/folds.js';

function reply(over: Partial<Reply>): Reply {
  return {
    intent: 'how_to_code', confidence: 0.9, answered: true, match: 'full', unmatched: [], title: '', guidance: [], codes: [], citations: [],
    check: null, clarify: null, suggestions: [], footer: [], ref: null, context: { guidance: null, group: null }, notices: [], blocks: [], ...over,
  };
}
const code = (c: string, g = 'IPG1') => ({ system: 'OPCS-4' as const, code: c, title: null, role: 'x', guidance: g });
const pages: Record<string, string> = { IPG1: 'J12.4 Percutaneous ...\nY53.- Approach ...\nC18.- Malignant' };
const page = (id: string) => pages[id];

describe('eval scoring', () => {
  it('meets a bare category with any code in it, a full code only as written', () => {
    expect(codePresent('Y53', ['Y53.-'])).toBe(true);
    expect(codePresent('Y53', ['Y53.9'])).toBe(true);
    expect(codePresent('J12.4', ['J12.40'])).toBe(false);
    expect(codePresent('J12.4', ['J12.7'])).toBe(false);
  });

  it('scores a right answer right and each kind of wrong answer wrong', () => {
    const item = { q: 'q', intent: 'how_to_code' as const, codes: ['J12.4', 'Y53'], guidance: 'IPG1' };
    const right = scoreItem(item, reply({ guidance: ['IPG1'], codes: [code('J12.4'), code('Y53.-')] }), page);
    expect(right).toMatchObject({ intentRight: true, answerRight: true, unsupported: [] });
    const wrongIntent = scoreItem(item, reply({ intent: 'code_lookup', guidance: ['IPG1'], codes: [code('J12.4'), code('Y53.-')] }), page);
    expect(wrongIntent).toMatchObject({ intentRight: false, answerRight: false });
    const missingCode = scoreItem(item, reply({ guidance: ['IPG1'], codes: [code('J12.4')] }), page);
    expect(missingCode.answerRight).toBe(false);
    expect(missingCode.why).toContain('missing code Y53');
    const noCitation = scoreItem(item, reply({ guidance: [], codes: [code('J12.4'), code('Y53.-')] }), page);
    expect(noCitation.why).toContain('did not cite IPG1');
  });

  it('marks an answer to an unanswerable question wrong', () => {
    const item = { q: 'q', intent: 'code_lookup' as const, answered: false };
    expect(scoreItem(item, reply({ intent: 'code_lookup', answered: false }), page).answerRight).toBe(true);
    expect(scoreItem(item, reply({ intent: 'code_lookup', answered: true, codes: [code('R10.4')] }), page).answerRight).toBe(false);
  });

  it('counts codes that are not in the text of any cited guidance', () => {
    expect(unsupportedCodes(reply({ guidance: ['IPG1'], codes: [code('J12.4'), code('K99.9')] }), page)).toEqual(['K99.9']);
    expect(unsupportedCodes(reply({ guidance: [], codes: [code('J12.4')] }), page)).toEqual(['J12.4']);
  });

  it('summarises accuracy, fallback precision and confusion', () => {
    const items = parseJsonl('{"q":"a","intent":"help","answered":false}\n{"q":"b","intent":"out_of_scope","answered":false}\n', 'x.jsonl');
    const results = [
      scoreItem(items[0]!, reply({ intent: 'help', answered: false }), page),
      scoreItem(items[1]!, reply({ intent: 'smalltalk', answered: false }), page),
    ];
    const s = summarise(results);
    expect(s.intentAccuracy).toBe(0.5);
    expect(s.fallbackPrecision).toBe(0);
    expect(s.confusion).toEqual({ help: { help: 1 }, out_of_scope: { smalltalk: 1 } });
  });

  it('names the line of a bad eval file', () => {
    expect(() => parseJsonl('{"q":"a","intent":"help"}\n{"q":1}', 'x.jsonl')).toThrow(/x\.jsonl:2/);
  });
});

describe('intent benchmark scoring (Braun et al. 2017)', () => {
  it('counts a wrong label as a false positive and a false negative, no label as a false negative', async () => {
    const { count, microF1 } = await import('../src/eval/corpora.js');
    const c = { tp: 0, fp: 0, fn: 0 };
    count(c, 'A', 'A');
    count(c, 'A', 'B');
    count(c, 'B', null);
    count(c, 'B', 'B');
    expect(c).toEqual({ tp: 2, fp: 1, fn: 2 });
    expect(microF1(c)).toBeCloseTo(2 / (2 + 1.5), 6);
    expect(microF1({ tp: 0, fp: 0, fn: 0 })).toBe(0);
  });
});

describe('confidently wrong, and conversation lines', () => {
  it('counts codes given when no answer is expected, from the wrong guidance, or forbidden', async () => {
    const { confidentlyWrong, parseLines } = await import('../src/eval/score.js');
    const item = { q: 'x', intent: 'how_to_code' as const, guidance: ['IPG1', 'IPG2'], forbid: ['K21'] };
    expect(confidentlyWrong(item, reply({ guidance: ['IPG2'], codes: [code('J12.4', 'IPG2')] }))).toBe(false);
    expect(confidentlyWrong(item, reply({ guidance: ['IPG3'], codes: [code('J12.4', 'IPG3')] }))).toBe(true);
    expect(confidentlyWrong(item, reply({ guidance: ['IPG1'], codes: [code('K21.9')] }))).toBe(true);
    expect(confidentlyWrong({ q: 'x', intent: 'how_to_code', answered: false }, reply({ codes: [code('J12.4')] }))).toBe(true);
    expect(confidentlyWrong({ q: 'x', intent: 'how_to_code', answered: false }, reply({ answered: false }))).toBe(false);
    const lines = parseLines('{"q":"a","intent":"help"}\n{"conversation":[{"q":"b","intent":"help"},{"q":"c","intent":"smalltalk"}]}\n', 'x.jsonl');
    expect(lines.map((l) => [l.line, l.turns.map((t) => t.q)])).toEqual([[1, ['a']], [2, ['b', 'c']]]);
  });
});

describe('cross-validation folds', () => {
  it('keeps file order for seed 0 and draws the same balanced shuffle for the same seed', () => {
    expect(foldsOf(7, 5, 0)).toEqual([0, 1, 2, 3, 4, 0, 1]);
    const a = foldsOf(100, 5, 3);
    expect(foldsOf(100, 5, 3)).toEqual(a);
    expect(a).not.toEqual(foldsOf(100, 5, 0));
    expect(a).not.toEqual(foldsOf(100, 5, 4));
    for (let f = 0; f < 5; f++) expect(a.filter((x) => x === f)).toHaveLength(20);
  });

  it('scores each example by a classifier that never saw it', () => {
    // Each label's two examples share nothing with each other: no fold can learn the one it holds out.
    const twins = [
      { text: 'alpha beta', label: 'A' },
      { text: 'gamma delta', label: 'A' },
      { text: 'epsilon zeta', label: 'B' },
      { text: 'eta theta', label: 'B' },
    ];
    const featurize = (t: string) => ({ w: t.split(' ') });
    expect(crossValidate(twins, { featurize, minCount: 1 }, 2, 0)).toBe(0);
    const copies = twins.flatMap((e) => [e, e]);
    expect(crossValidate(copies, { featurize, minCount: 1 }, 2, 0)).toBe(1);
  });
});
