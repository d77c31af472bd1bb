import { describe, expect, it } from 'vitest';
import { covers, findPageCodes, findQueryCodes, parseCode } from '../src/knowledge/codes.js';

const q = (text: string) => findQueryCodes(text).map((c) => c.code);
const p = (text: string) => findPageCodes(text).map((c) => c.code);

describe('codes in questions', () => {
  it('reads the forms coders type', () => {
    expect(q('J12.4')).toEqual(['J12.4']);
    expect(q('is j124 right')).toEqual(['J12.4']);
    expect(q('Y53.9 and Y53')).toEqual(['Y53.9', 'Y53']);
    expect(q('what about c18.-')).toEqual(['C18.-']);
    expect(q('C20X')).toEqual(['C20.X']);
    expect(q('C61.X')).toEqual(['C61.X']);
    expect(q('j 12 . 4')).toEqual(['J12.4']);
    expect(q('Y53 .9')).toEqual(['Y53.9']);
    expect(q('X70-X71')).toEqual(['X70-X71']);
  });

  it('does not read codes into words, ids or ages', () => {
    expect(q('IPG327')).toEqual([]);
    expect(q('a 12 year old')).toEqual([]);
    expect(q('OPCS4.6 and ICD10')).toEqual([]);
    expect(q('H2 receptor')).toEqual([]);
  });

  it('takes codes out before anything tokenises them', () => {
    const found = findQueryCodes('J12.4 Y53.9');
    expect(found.map((c) => [c.code, c.start, c.end])).toEqual([
      ['J12.4', 0, 5],
      ['Y53.9', 6, 11],
    ]);
  });

  it('parses one code on its own', () => {
    expect(parseCode(' y53.9 ')).toMatchObject({ code: 'Y53.9', kind: 'code', stem: 'Y53' });
    expect(parseCode('Y53')).toMatchObject({ kind: 'category' });
    expect(parseCode('hello')).toBeUndefined();
    expect(parseCode('J12.4 Y53.9')).toBeUndefined();
  });
});

describe('codes in NICE text', () => {
  it('keeps categories, ranges, X-padding and odd spacing', () => {
    expect(p('Y53.- Approach to organ')).toEqual(['Y53.-']);
    expect(p('category C15. - Malignant')).toEqual(['C15.-']);
    expect(p('S07. 9 Unspecified')).toEqual(['S07.9']);
    expect(p('Z92. 1 Head')).toEqual(['Z92.1']);
    expect(p('X70-X71 Procurement')).toEqual(['X70-X71']);
    expect(p('categories T85-T87.')).toEqual(['T85-T87']);
    expect(p('C61.X Malignant')).toEqual(['C61.X']);
    expect(p('Y97. Radiology with contrast')).toEqual(['Y97.-']);
  });

  it('finds codes glued to words as NICE sometimes prints them', () => {
    expect(p('NEC orY75.4 Hand assisted')).toEqual(['Y75.4']);
    expect(p('J66.1Percutaneous drainage')).toEqual(['J66.1']);
  });

  it('ignores ids, versions and postcodes', () => {
    expect(p('[IPG188] OPCS4.6 Code(s) WC1V 6NA ICD-10 OPCS-4')).toEqual([]);
  });
});

describe('covers', () => {
  const c = (s: string) => parseCode(s)!;
  it('puts codes in their category and range', () => {
    expect(covers(c('C18.-'), c('C18.7'))).toBe(true);
    expect(covers(c('Y53'), c('Y53.9'))).toBe(true);
    expect(covers(c('X70-X72'), c('X71.1'))).toBe(true);
    expect(covers(c('X70-X72'), c('X73.1'))).toBe(false);
    expect(covers(c('C18.-'), c('C19.0'))).toBe(false);
    expect(covers(c('J12.4'), c('J12.7'))).toBe(false);
  });
});
