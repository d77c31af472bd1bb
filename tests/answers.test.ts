// Answers that hold up on questions nobody rehearsed: match outcomes, conversations that stay on
// topic, buttons that remember their answer, abbreviations the pages define, the vocabulary as data.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Assistant } from '../src/assistant/assistant.js';
import { ReplySchema } from '../src/assistant/reply.js';
import { readVocabulary, VocabularyError, VOCABULARY_FILE } from '../src/text/lexicon.js';
import { renderBlocks } from '../src/render/block-kit.js';
import { renderCard } from '../src/render/adaptive-card.js';
import { parseSlackAsk } from '../src/render/buttons.js';
import { assistant, knowledgeCopy } from './helpers.js';
import { CHAT_INTENTS } from '../src/nlu/intents.js';
import { namesOperation } from '../src/text/operations.js';
import { spells } from '../src/assistant/turn.js';
import { titleAcronyms } from '../src/knowledge/abbreviations.js';
import { gloss } from '../src/knowledge/search.js';
import { plainText } from '../src/render/plain-text.js';

const a = assistant();
const ask = (q: string) => a.answer(q).reply;
const chat = () => {
  const conversation = { platform: 'test', channel: randomUUID(), thread: null };
  // One coder per conversation: the per-user rate limit is not what these tests are about.
  const user = randomUUID();
  return (text: string, context?: { guidance: string | null; group?: number | null }) =>
    a.handle({ text, conversation, user, ...(context ? { context } : {}) }).then((r) => r!);
};

describe('three honest outcomes', () => {
  it('says a full match is full', () => {
    const r = ask('how do I code percutaneous RFA of liver mets?');
    expect(ReplySchema.parse(r)).toBeTruthy();
    expect(r).toMatchObject({ match: 'full', unmatched: [], guidance: ['IPG327'] });
  });

  it('answers from the closest guidance when part of the question is not in it, and says what', () => {
    const r = ask('How would I code IRE of colorectal liver metastases?');
    expect(r.guidance).toEqual(['IPG445']);
    expect(r.match).toBe('partial');
    expect(r.unmatched).toContain('colorectal');
    expect(r.notices.join(' ')).toMatch(/Partial match: IPG445 .* does not mention "colorectal"/);
    expect(r.confidence).toBeLessThanOrEqual(0.5);
  });

  it('never answers from a guidance about another condition: only suggests it', () => {
    const r = ask("RFA for Barrett's oesophagus");
    expect(r).toMatchObject({ match: 'none', answered: false, codes: [] });
    expect(r.suggestions.join(' ')).toMatch(/reflux/i);
    expect(plainText(r)).toMatch(/about something else/);
  });

  it('does not answer from a guidance whose title rules the question out', () => {
    const r = ask('DBS for cluster headache - codes?');
    expect(r.answered).toBe(false);
    expect(r.codes).toEqual([]);
  });

  it('does not answer a procedure it has no concept for from a guidance sharing only the condition', () => {
    const r = ask('TVT for SUI');
    expect(r.codes).toEqual([]);
    expect(r.answered).toBe(false);
  });

  it('knows MitraClip is leaflet repair, not annuloplasty', () => {
    expect(ask('MitraClip procedure codes').guidance).toEqual(['IPG309']);
  });

  it('does not answer a question about one approach from a guidance about another', () => {
    expect(ask('open radical prostatectomy codes').codes).toEqual([]);
    expect(ask('laparoscopic radical prostatectomy codes').guidance).toEqual(['IPG193']);
    expect(ask('open cholecystectomy codes').codes).toEqual([]);
  });

  it('does not take one energy source for another', () => {
    expect(ask('MWA lung tumour, CT guided').codes).toEqual([]);
  });

  it('ignores who the patient is when matching', () => {
    for (const q of ['78 year old man, perc RFA of liver mets', 'pt 64F, perc RFA of liver mets', 'op note says perc RFA of liver mets']) {
      expect(ask(q)).toMatchObject({ guidance: ['IPG327'], match: 'full' });
    }
  });
});

describe('saying what the guidance does not say', () => {
  it('says the guidance gives no order for the diagnosis codes, instead of inventing one', () => {
    const r = ask('do I code C18.9 or C78.7 first?');
    expect(r.guidance).toContain('IPG327');
    expect(r.notices.join(' ')).toMatch(/does not say in which order/);
  });

  it('says when the guidance gives no ICD-10 code for what was asked', () => {
    const r = ask('what ICD-10 code for SIRT for cholangiocarcinoma?');
    expect(r.guidance[0]).toBe('IPG459');
    expect(r.codes.filter((c) => c.system === 'ICD-10')).toEqual([]);
    expect(r.notices.join(' ')).toMatch(/IPG459 gives no ICD-10 diagnosis code/);
  });

  it('warns about a known error in the published text, and keeps the page as published', () => {
    const r = ask('how do I code brachytherapy as the sole method of adjuvant radiotherapy for breast cancer after local excision');
    expect(r.codes.map((c) => c.code)).toContain('C53.-');
    expect(r.notices.join(' ')).toMatch(/Known error in the published text of IPG268/);
    expect(a.kb.get('IPG268')!.page).toContain('C53.- Malignant neoplasm of cervix uteri');
  });
});

describe('a rule question with no code, guidance or conversation to go on', () => {
  it('finds no rule through a topic word another page shares', () => {
    // "episode" and "recurrent" are in the depression guidance's notes; the question is about neither.
    for (const q of ['FMT for first episode of c diff', 'rule for coding FMT in recurrent c diff']) {
      const r = ask(q);
      expect(r, q).toMatchObject({ answered: false, codes: [], guidance: [] });
    }
    // An operation no page covers is not covered, not answered with another page's diagnosis rule.
    expect(ask('do I need a diagnosis code for a vasectomy')).toMatchObject({ answered: false, codes: [], guidance: [], title: 'Not covered by the loaded NICE guidance' });
  });

  it('still finds the rule through the words about coding', () => {
    expect(ask('why do I have to add a site code')).toMatchObject({ intent: 'rule_explanation', answered: true, guidance: ['IPG110'] });
    expect(ask('is the approach code mandatory')).toMatchObject({ intent: 'rule_explanation', answered: true, guidance: ['IPG257'] });
    expect(ask("what if the imaging isn't recorded")).toMatchObject({ intent: 'rule_explanation', answered: true, guidance: ['IPG257'] });
  });
});

describe("a question about a procedure's risks, outcomes or recovery", () => {
  it('reads whether NICE recommends it, or its safety, as clinical, about the conversation\'s page', async () => {
    const c = chat();
    await c('single incision lap chole codes');
    for (const q of ['is it still recommended?', 'any safety concerns with it']) {
      const r = await c(q);
      expect(r.title, q).toBe('A clinical question, not a coding one');
      expect(r.codes, q).toEqual([]);
      // "concerns" had been read as "cancers" by the speller, and sent the coder to a cancer page.
      expect(plainText(r), q).toContain('are in IPG346: https://www.nice.org.uk/guidance/ipg346');
    }
    // A code makes it a coding question.
    expect(ask('is Y53.9 recommended?').title).not.toBe('A clinical question, not a coding one');
  });

  it('is a clinical question: no codes, and where NICE gives its view', () => {
    // Each had been answered with the procedure's codes.
    // So are a condition's causes and signs (had been the help text, and "not sure").
    for (const q of ['how safe is TAVI', 'is TAVI safe', 'how successful is RFA for liver mets', 'what are the risks of DBS', 'how risky is deep brain stimulation', 'recovery time after lap chole', 'survival after SIRT for HCC', 'what causes glaucoma', 'symptoms of TTTS']) {
      const r = ask(q);
      expect(r, q).toMatchObject({ intent: 'out_of_scope', answered: false, codes: [], guidance: [], title: 'A clinical question, not a coding one' });
    }
    const tavi = plainText(ask('how safe is TAVI'));
    expect(tavi).toMatch(/safety and efficacy of trancatheter aortic valve implantation for aortic stenosis are in IPG421: https:\/\/www\.nice\.org\.uk\/guidance\/ipg421/);
    expect(tavi).toMatch(/How do I code Trancatheter aortic valve implantation/);
  });

  it('stays a coding question when it asks about codes', () => {
    expect(ask('how do I code a complication of DBS').guidance).toEqual(['IPG188', 'IPG382']);
    expect(ask('is Y53.9 safe to use')).toMatchObject({ intent: 'rule_explanation', answered: true });
    expect(ask('is it safe to code J12.4 without Y53')).toMatchObject({ answered: true });
  });
});

describe('complete code sets', () => {
  it('gives the primary procedure codes with the approach group a question picks, not the approach alone', () => {
    // IPG193: M61.1/M61.8, plus Y75 (intra-peritoneal) or Y76 (extra-peritoneal, robotic). The
    // robotic group alone had been given, with M61.1 as "no title given" among the notes.
    const r = ask('robotic radical prostatectomy - opcs codes?');
    const codes = r.codes.filter((c) => c.system === 'OPCS-4').map((c) => c.code);
    expect(codes.slice(0, 3)).toEqual(['M61.1', 'M61.8', 'Y76.5']);
    expect(codes).not.toContain('Y75.2');
    expect(plainText(r)).toContain('M61.1   Total excision of prostate and capsule of prostate');
    expect(plainText(r)).not.toMatch(/M61\.1 +\(no title given/);
    // Every group shown: the primary codes are not "Option 1" of a choice with the approaches.
    const both = plainText(ask('robot assisted lap prostatectomy - opcs codes?'));
    expect(both).toContain('Codes (OPCS-4.6):\n  M61.1');
    expect(both).not.toMatch(/Option \d \(OPCS-4\.6\):\n  M61/);
  });

  it('answers both procedures of a question that names two', () => {
    const r = ask('RFA and microwave ablation of liver mets in the same session, how do I code both?');
    expect(r.guidance).toEqual(expect.arrayContaining(['IPG327', 'IPG406']));
    expect(r.codes.map((c) => c.code)).toEqual(expect.arrayContaining(['J12.4', 'J12.7']));
    expect(r.title).toMatch(/^How to code both/);
  });

  it('finds a phrase the guidance writes in other words ("joint replacement" in "replacement of the ... joint")', () => {
    expect(ask('total temporomandibular joint replacement - how do I code it').guidance).toEqual(['IPG500']);
  });

  it('is not steered to one group by a word the whole guidance is about', () => {
    // "falloposcopy" heads the balloon dilation group; the plain falloposcopy code (Q39.9, which
    // includes "Falloposcopy NEC") had been left out.
    expect(ask('falloposcopy codes please').codes.map((c) => c.code)).toEqual(expect.arrayContaining(['Q39.9', 'Q38.8']));
    // "laparoscopic" in a Y75 code title had left out the cystectomy codes themselves.
    expect(ask('lap cystectomy codes').codes.map((c) => c.code)).toEqual(expect.arrayContaining(['M34.3', 'Y75.2']));
    // A heading still picks its group: the recipient's codes, not the donor's too.
    const first = a.answer('live donor liver tx - donor side codes?');
    const recipient = a.answer('and the recipient? donor is her son', first.next).reply.codes.map((c) => c.code);
    expect(recipient).toContain('J01.1');
    expect(recipient).not.toContain('X45.8');
  });

  it('shows every group when the question does not pick one (segment resection and wedge excision)', () => {
    const codes = ask('laparoscopic liver resection').codes.map((c) => c.code);
    expect(codes).toEqual(expect.arrayContaining(['J02.3', 'J02.4']));
    expect(ask('lap wedge resection of liver').guidance).toEqual(['IPG135']);
  });
});

describe('the shape of a question about codes', () => {
  it.each([
    ['should I use Y53.2 or Y53.4 for a thoracoscopic biopsy?', 'rule_explanation'],
    ['in what situations can I use Y53.9 - when am I allowed to', 'rule_explanation'],
    ['Y70.3 versus Y70.5', 'code_lookup'],
    ['which pages use Y75.4', 'code_lookup'],
    ['I coded J12.7 Y53.2 C78.7, is that right?', 'code_check'],
    ['spinal levels not in the op note - which V55?', 'rule_explanation'],
    ['lap converted to hand assisted, do I still use Y75.2', 'rule_explanation'],
    ['what does Y75.2 mean', 'code_lookup'],
    ['total knee replacement - which site code?', 'rule_explanation'],
    ['PDT to a skin lesion, which Z code do I add', 'rule_explanation'],
  ])('%s -> %s', (q, intent) => {
    expect(ask(q).intent).toBe(intent);
  });

  it('keeps a follow-up that points at "the guidance" on the conversation’s guidance', async () => {
    const say = chat();
    await say('how do I code endoscopic mastectomy for breast cancer');
    expect((await say('is there a code for the implant in the guidance?')).guidance[0]).toBe('IPG296');
    expect((await say('what else goes with it')).intent).not.toBe('out_of_scope');
  });
});

describe('alternatives the guidance gives', () => {
  it('says in a code check when the question fits the "or" alternative better', () => {
    const r = ask('hand-assisted laparoscopic liver resection: is it still Y75.2 or something else?');
    expect(r.notices.join(' ')).toMatch(/gives Y75\.4 Hand assisted .* as the alternative to Y75\.2/);
  });

  it('names the "or" code beside the one asked about', () => {
    const r = ask('hand assisted laparoscopic liver resection - should I still use Y75.2?');
    expect(r.codes.map((c) => c.code)).toEqual(expect.arrayContaining(['Y75.2', 'Y75.4']));
  });
});

describe('rules found through their codes', () => {
  it('finds a rule that names a range for a code inside it (K42.1 in K40-K44)', () => {
    const r = ask('why do I need a supplementary code with K42.1?');
    expect(r.guidance).toEqual(['IPG377']);
    expect(r.codes.map((c) => c.code)).toContain('K40-K44');
  });
});

describe('what is loaded', () => {
  it('lists an area asked about as coders put it ("list the eye procedures you know", "do you cover cardiology procedures")', () => {
    // Had been "I'm not sure what you're asking" and the help text.
    expect(ask('list the eye procedures you know')).toMatchObject({ answered: true, title: 'Guidance loaded on Eye (OPCS-4 chapter C)' });
    expect(ask('do you cover cardiology procedures').title).toBe('Guidance loaded on Heart (OPCS-4 chapter K)');
    // Asking for a procedure's codes is not asking what is loaded.
    expect(ask('can you do the codes for SILC')).toMatchObject({ intent: 'how_to_code', guidance: ['IPG346'] });
  });
});

describe('a kind of code asked about', () => {
  it('answers from the codes listed for it when no note is on it, not from another note', () => {
    // Had quoted IPG360's note on clips.
    const site = ask('is the site code compulsory for ESD');
    expect(site).toMatchObject({ intent: 'rule_explanation', guidance: ['IPG360'] });
    expect(site.codes.map((c) => c.code)).toEqual(['Z27.2']);
    expect(ask("what's the rule on clipping for ESD").codes.map((c) => c.code)).toEqual(['Y07.2']);
    // Whether a code must be recorded is a rule question, not a check of the coder's codes.
    expect(ask('must Y95 be coded for fetal procedures').intent).toBe('rule_explanation');
  });
});

describe('a guidance named by its id', () => {
  it('says when a guidance was issued where its page says so, and that it does not where it does not', () => {
    const dated = ask('when was the hysteroscopic metroplasty guidance published?');
    expect(dated).toMatchObject({ intent: 'guidance_summary', guidance: ['IPG510'] });
    expect(plainText(dated)).toContain('IPG510 was issued in January 2015, as its page says.');
    expect(dated.citations.some((c) => c.quote.includes('in January 2015'))).toBe(true);
    expect(dated.notices.join(' ')).not.toMatch(/Partial match/);
    expect(plainText(ask('what year is IPG327 from'))).toContain('The loaded text of IPG327 does not say when it was issued');
  });

  it('gives its codes when asked for them, however put', () => {
    // Each had been "Which code?": read as a code lookup with no code.
    for (const [q, id] of [['IPG234 codes', 'IPG234'], ['IPG 234 codes', 'IPG234'], ['what codes does IPG401 give', 'IPG401'], ['list the codes in IPG421', 'IPG421']] as const) {
      expect(ask(q), q).toMatchObject({ intent: 'how_to_code', answered: true, guidance: [id] });
    }
    // Its diagnosis code: said as none given (had been a summary, silent about it).
    expect(ask('IPG421 ICD10').notices.join(' ')).toContain('IPG421 gives no ICD-10 diagnosis code');
    expect(ask('summary of IPG421 codes').intent).toBe('guidance_summary');
  });
});

describe('image control asked about in a rule question', () => {
  it('names the code in the rule\'s category titled for the imaging the question names', () => {
    // Had quoted the Y53 rule alone: Y53.9 is for an unspecified method, which CT is not.
    const ct = ask('RFA liver mets under CT - which Y53?');
    expect(ct.intent).toBe('rule_explanation');
    expect(ct.codes.map((c) => c.code)).toContain('Y53.3');
    expect(plainText(ct)).toContain('For CT control, the code within Y53.- that the loaded guidance titles is Y53.3');
    expect(ask('why do I need a Y53 code?').codes.map((c) => c.code)).not.toContain('Y53.3');
  });
});

describe('code lookups', () => {
  it('answers a SNOMED CT question with the terms the guidance gives, or says it gives none', () => {
    // Had listed OPCS-4 codes whose titles matched the words.
    const r = ask('snomed term for intravesical chemotherapy');
    expect(r).toMatchObject({ answered: true, title: 'SNOMED CT terms from IPG235', guidance: ['IPG235'] });
    expect(r.codes.map((c) => c.code)).toEqual(expect.arrayContaining(['840911000000106', '44194005']));
    expect(r.codes.every((c) => c.system === 'SNOMED CT')).toBe(true);
    expect(ask('SNOMED for RFA of varicose veins').title).toBe('SNOMED CT terms from IPG8');
    const tavi = ask('SNOMED for TAVI');
    expect(tavi).toMatchObject({ title: 'No SNOMED CT term in IPG421', codes: [] });
    expect(plainText(tavi)).toMatch(/IPG8, IPG47, IPG178, IPG235, IPG259, IPG309/);
  });

  it("takes a code's title from a list of codes, not from a note's sentence", () => {
    // IPG168's note "... following Y53.4 if fluoroscopic control is used" had made the title "if fluoroscopic control".
    expect(plainText(ask('what is Y53.4'))).toMatch(/Y53\.4 Approach to organ under fluoroscopic control \(OPCS-4\)/);
  });

  it('says how the guidance on the procedure named gives the codes asked about, before the rest', () => {
    // Had listed every page using Y53.4 and Y53.2, none of them on SIRT, and quoted an AF page's note.
    const r = ask('Y53.4 vs Y53.2 for SIRT?');
    const text = plainText(r);
    for (const id of ['IPG401', 'IPG459']) {
      expect(r.guidance).toContain(id);
      expect(text).toContain(`${id} gives:\n  Y53.4   Approach to organ under fluoroscopic control`);
      expect(text).toContain(`${id} does not list Y53.2.`);
    }
    expect(plainText(ask('is Y11.4 used for RFA of liver mets'))).toContain('IPG327 does not list Y11.4.');
    // With no procedure named, as before.
    expect(plainText(ask('what is Y53.4'))).not.toContain(' gives:');
  });
});

describe('code checks', () => {
  it('checks codes against every page that fits when none of them lists the codes, rather than asking which', () => {
    // Two ECMO pages fit; neither lists E85.2. Had been "Which guidance do you mean?".
    const r = ask('E85.2 ok for ECMO?');
    expect(r).toMatchObject({ intent: 'code_check', answered: true, guidance: ['IPG391'] });
    expect(r.check?.[0]).toMatchObject({ code: 'E85.2', verdict: 'unknown' });
    expect(r.notices.join(' ')).toContain('(IPG482) also fits the question, and it does not list E85.2 either.');
  });

  it('does not confirm codes against the guidance they come from when the question names another procedure', () => {
    // L88.2 is radiofrequency ablation's code (IPG8); EVLA is laser ablation, which no page covers.
    // Had been "All your codes match IPG8".
    expect(ask('coded L88.2 for EVLA of GSV - right?')).toMatchObject({ answered: false, guidance: [] });
    // Codes still say which guidance when the words name nothing else.
    expect(ask('O11.1 - is that right?? thought O codes were obstetric').guidance).toEqual(['IPG461']);
  });

  it('lets the codes decide when the other words of the question are ones it has no concept for', () => {
    const r = ask('O11.1 ok?? I thought O was for obstetrics');
    expect(r.guidance).toEqual(['IPG461']);
    expect(r.codes.map((c) => c.code)).toContain('O11.1');
  });

  it('says when the question’s words fit another group’s primary code (rigid, not fibreoptic)', () => {
    const r = ask('cryotherapy of an endobronchial tumour through a rigid bronchoscope, I coded E48.3 Y13.2');
    expect(r.notices.join(' ')).toMatch(/fit the group of IPG142 that gives E50\.3/);
    expect(r.codes.map((c) => c.code)).toContain('E50.3');
  });

  it('proposes the codes of the approach the question names, not another group', () => {
    const r = ask("I've put J12.4 and Y53.2 for perc microwave ablation of liver mets, ok?");
    const codes = r.codes.map((c) => c.code);
    expect(codes).toContain('J12.7');
    expect(codes).not.toContain('J03.2');
    expect(codes).not.toContain('Y13.7');
  });

  it('says when a code given is titled for the other side from the question', () => {
    // Had given F34.7 Bilateral coblation tonsillectomy for "one side only", silently.
    for (const q of ['F34.7 for coblation tonsillectomy, one side only', 'unilateral coblation tonsillectomy']) {
      expect(ask(q).notices.join(' '), q).toMatch(/F34\.7 is titled "Bilateral coblation tonsillectomy", but the question says one side/);
    }
    expect(ask('coblation tonsillectomy').notices.join(' ')).not.toMatch(/question says one side/);
  });

  it('reads a code and what it was for, when unsure, as whether the code goes with it', () => {
    // Had been "I'm not sure what you're asking".
    expect(ask('S07.1 for PDT of actinic keratosis on the face')).toMatchObject({ intent: 'rule_explanation', answered: true, guidance: ['IPG155'] });
  });
});

describe('common procedures the knowledge does not cover', () => {
  // Everyday operations none of the 126 pages is about: a code from a neighbouring page would be
  // confidently wrong, so none is given.
  it.each([
    'how do I code a hip replacement',
    'THR codes',
    'carpal tunnel release codes',
    'lap appendicectomy',
    'inguinal hernia repair',
    'total abdominal hysterectomy',
    'caesarean section codes',
    'TURP codes',
    'colonoscopy with polypectomy',
    'carpal tunnel release',
    'CABG x3 on pump',
    'PCI with stent',
    'EVAR',
    'OGD and biopsy',
    'ERCP with stent',
    'lumbar discectomy',
    'pacemaker insertion',
    'gastric bypass',
    'hip arthroscopy',
    'dental extraction',
    'MRI guided biopsy',
    'ankle arthroplasty codes',
  ])('%s', (q) => {
    const r = ask(q);
    expect(r.codes).toEqual([]);
    expect(r.match).toBe('none');
  });
});

describe('a guidance on what is done during another operation', () => {
  it('answers a question about it that names the operation in other words', () => {
    // IPG255 is "intraoperative nerve monitoring during thyroid surgery"; thyroidectomy is not a word of it.
    for (const q of ['total thyroidectomy with nerve monitoring', 'nerve monitoring during a thyroidectomy - codes?']) {
      const r = ask(q);
      expect(r, q).toMatchObject({ answered: true, guidance: ['IPG255'], codes: [] });
      expect(plainText(r)).toMatch(/not possible to classify the use of intraoperative nerve monitoring/);
    }
  });

  it('takes a follow-up that says how the operation was done to the guidance on that operation', () => {
    const first = a.answer('total thyroidectomy with nerve monitoring');
    const second = a.answer('it was minimally invasive, video-assisted', first.next).reply;
    expect(second).toMatchObject({ answered: true, guidance: ['IPG499'] });
    expect(second.codes.map((c) => c.code)).toContain('Y76.3');
  });
});

describe('a guidance for the opposite kind of patient, donor or operation', () => {
  // Each was a partial match with the other guidance's codes: living donor codes for a deceased
  // donor, total wrist replacement for a partial one, malignant obstruction's diagnosis for a benign one.
  it.each([
    ['liver transplant from deceased donor', 'IPG194'],
    ['cadaveric liver transplant codes', 'IPG194'],
    ['ECMO for a neonate with respiratory failure', 'IPG391'],
    ['paediatric ECMO codes', 'IPG482'],
    ['partial wrist replacement codes', 'IPG271'],
    ['benign endobronchial obstruction cryotherapy', 'IPG142'],
  ])('%s is not answered from %s', (q) => {
    expect(ask(q)).toMatchObject({ answered: false, match: 'none', codes: [], guidance: [] });
  });

  it('is no partial match when the title is for a condition in words we have no concept for', () => {
    // "pulmonary veins" in the AF ablation codes made lung; atrial fibrillation is not lung metastases.
    expect(ask('RFA of lung mets')).toMatchObject({ answered: false, codes: [], guidance: [] });
    expect(ask('catheter ablation for atrial fibrillation')).toMatchObject({ match: 'full', guidance: ['IPG168'] });
  });

  it('is no partial match for another kind of the same procedure, named in words we have no concept for', () => {
    // Each had radiofrequency ablation's codes (IPG8) with a "Partial match" notice.
    for (const q of ['mechanochemical ablation of veins', 'steam ablation of varicose veins', 'cyanoacrylate ablation of varicose veins']) {
      expect(ask(q), q).toMatchObject({ answered: false, codes: [], guidance: [] });
    }
    expect(ask('RFA of varicose veins')).toMatchObject({ match: 'full', guidance: ['IPG8'] });
    // Nor against a guidance for a condition the question does not name: a sleeve gastrectomy is not
    // laparoscopic gastrectomy for cancer (IPG269).
    expect(ask('sleeve gastrectomy')).toMatchObject({ answered: false, codes: [], guidance: [] });
    // Or whose title names an operation we have no concept for: cooled RF of the knee is not
    // arthroscopic radiofrequency chondroplasty (IPG493).
    expect(ask('cooled RF of the knee')).toMatchObject({ answered: false, codes: [], guidance: [] });
    expect(ask('laparoscopic gastrectomy')).toMatchObject({ match: 'full', guidance: ['IPG269'] });
  });

  it('is no partial match for the same procedure done for another condition named in a word we have no concept for', () => {
    // Had IPG458's codes (mechanical clot retrieval for acute ischaemic stroke) as a partial match.
    expect(ask('mechanical thrombectomy for DVT')).toMatchObject({ answered: false, codes: [], guidance: [] });
    expect(ask('mechanical thrombectomy for stroke')).toMatchObject({ answered: true, guidance: ['IPG458'] });
  });

  it('is no partial match for the same organ at another site, named in a word we have no concept for', () => {
    // Had been uterine nerve ablation (LUNA, IPG234) and occipital nerve stimulation (IPG452).
    for (const q of ['genicular nerve ablation', 'vagus nerve stimulation for epilepsy']) {
      expect(ask(q), q).toMatchObject({ answered: false, codes: [], guidance: [] });
    }
    expect(ask('uterine nerve ablation').guidance).toEqual(['IPG234']);
  });

  it('still answers the side the title says, and a question that says neither', () => {
    expect(ask('live donor liver transplant, donor side codes').guidance).toEqual(['IPG194']);
    expect(ask('ECMO for acute heart failure in an adult')).toMatchObject({ match: 'full', guidance: ['IPG482'] });
    expect(ask('total wrist replacement')).toMatchObject({ match: 'full', guidance: ['IPG271'] });
    expect(ask('endobronchial cryotherapy for lung cancer')).toMatchObject({ match: 'full', guidance: ['IPG142'] });
    expect(ask('single incision tape for SUI in a woman').guidance).toEqual(['IPG262']);
  });
});

describe('conversations stay on topic', () => {
  it('answers a rule follow-up from how the guidance lists a code, when no note meets its words', () => {
    const first = a.answer('SIRT for colorectal liver mets');
    // Had quoted "Y89.- Brachytherapy (where necessary)", the first of the guidance's notes.
    const r = a.answer('which Y code for the imaging?', first.next).reply;
    expect(r).toMatchObject({ answered: true, guidance: ['IPG401'] });
    expect(r.codes.map((c) => c.code)).toEqual(['Y53.4']);
  });

  it("says the conversation's guidance has no note on a rule asked about, rather than quote another page's", () => {
    const first = a.answer('lap nephrectomy for RCC');
    // Had quoted IPG110's site code rule (Z83, finger joints).
    const r = a.answer('which site code?', first.next).reply;
    expect(r).toMatchObject({ answered: false, codes: [], title: 'No note on that in IPG136' });
  });

  it('knows a mini sling is a single-incision tape, also as a follow-up', () => {
    const first = a.answer('biological sling for SUI');
    expect(first.reply.guidance).toEqual(['IPG154']);
    const r = a.answer('and the mini sling?', first.next).reply;
    expect(r).toMatchObject({ answered: true, match: 'full', guidance: ['IPG262'] });
  });

  it('gives the group for the approach asked without saying the guidance is about another', () => {
    const first = a.answer('coding a TAVI today');
    const r = a.answer('it was transapical', first.next).reply;
    expect(r.codes.map((c) => c.code)).toEqual(expect.arrayContaining(['K26.2', 'Y49.4']));
    // Had said "IPG421 is about the transluminal procedure" above the transapical codes.
    expect(r.notices.join(' ')).not.toMatch(/about the transluminal procedure/);
    // Asked without an approach, the title's approach is still said.
    expect(ask('lap chole codes').notices.join(' ')).toMatch(/IPG346 is about the single incision, laparoscopic procedure/);
  });

  it('knows an ultrasonic scalpel is a cutting device, not ultrasound imaging', () => {
    // "ultrasonic" had made IPG178 a guidance with image control in its title, so plain
    // "tonsillectomy" got coblation tonsillectomy's codes alone.
    expect(ask('harmonic scalpel tonsillectomy')).toMatchObject({ answered: true, guidance: ['IPG178'] });
    const plain = ask('tonsillectomy codes');
    expect(plain.codes).toEqual([]);
    expect(plain.clarify?.options.map((o) => o.label).join(' ')).toMatch(/IPG9[\s\S]*IPG178|IPG178[\s\S]*IPG9/);
  });

  it('says when the only guidance found is on one kind of the procedure asked about', () => {
    // Had been full matches with nothing said: whole pancreas transplant is not islet cell
    // transplantation, nor is any spinal fusion the transaxial interbody one.
    expect(ask('pancreas transplant').notices.join(' ')).toMatch(/IPG257 is about allogeneic pancreatic islet cell transplantation: check/);
    expect(ask('spinal fusion').notices.join(' ')).toMatch(/IPG387 is about transaxial interbody lumbosacral fusion/);
    expect(ask('tonsillectomy with adenoidectomy').notices.join(' ')).toMatch(/is about tonsillectomy using ultrasonic scalpel/);
    expect(ask('hepatic resection open').notices.join(' ')).toMatch(/IPG298 is about ex-vivo hepatic resection and reimplantation/);
    // Two operations in one title are not a kind of the second.
    expect(ask('endoscopic WLE breast ca codes').notices.join(' ')).not.toMatch(/IPG296 is about endoscopic mastectomy/);
    // ERCP is not matched through what it implies (endoscopic, bile duct): had been microwave ablation of HCC.
    expect(ask('ERCP')).toMatchObject({ answered: false, codes: [] });
    // Not for the procedure named in the title's own words, by an abbreviation, or with one word more.
    for (const q of ['RFA of colorectal liver mets', 'IRE for HCC', 'shockwave therapy for achilles tendinopathy', 'pectus bar for pectus excavatum codes']) {
      expect(ask(q).notices.join(' '), q).not.toMatch(/is about [a-z].*: check that this is the procedure/);
    }
  });

  it('knows PRK as laser correction of refractive error, not phototherapeutic keratectomy', () => {
    // Had been "not covered" (the keratectomy of PTK's page was all PRK meant).
    const r = ask('PRK after a corneal transplant, codes?');
    expect(r).toMatchObject({ answered: true, guidance: ['IPG385'] });
    expect(r.codes.map((c) => c.code)).toContain('C44.4');
    // Said as a partial match: the page does not name the graft.
    expect(r.match).toBe('partial');
  });

  it('answers the procedure it covers and says which other one in the question it does not', () => {
    // Each had been "not covered" as a whole, a partial match, or (DBS and VNS) silent about VNS.
    for (const [q, other, page] of [
      ['mosaicplasty and ACL reconstruction', 'ACL reconstruction', 'IPG162'],
      ['SIRT for colorectal liver mets and TACE', 'TACE', 'IPG401'],
      ['TAVI and PCI same sitting', 'PCI same sitting', 'IPG421'],
      // Compared with one ("vs"): had been "not covered" as a whole.
      ['SIRT for colorectal liver mets vs TACE', 'TACE', 'IPG401'],
    ] as const) {
      const r = ask(q);
      expect(r, q).toMatchObject({ answered: true, match: 'partial', guidance: [page] });
      expect(r.notices.join(' '), q).toContain(`The question also names "${other}", which no loaded NICE guidance covers`);
    }
    expect(ask('DBS and VNS').notices.join(' ')).toContain('"VNS"');
    // A page with a note on the other ("use a supplementary code for concurrent excision of adenoid"), or
    // vessels named beside a CABG, are not another procedure left out.
    expect(ask('coblation tonsillectomy and adenoidectomy').notices.join(' ')).not.toMatch(/also names/);
    expect(ask('CABG x2, LIMA to LAD + SVG to RCA, off pump').notices.join(' ')).not.toMatch(/also names/);
  });

  it('tells a valve-in-valve procedure from a first TAVI', () => {
    // Had been a partial match with TAVI for aortic stenosis (IPG421), or IPG421 first.
    expect(ask('valve in valve TAVI for failed bioprosthesis').guidance).toEqual(['IPG504']);
    expect(ask('transcatheter valve in valve implantation').guidance[0]).toBe('IPG504');
    expect(ask('TAVI for aortic stenosis').guidance).toEqual(['IPG421']);
    // The aortic valve is not the pulmonary valve: had been a full match with fetal pulmonary valvuloplasty (IPG176).
    expect(ask('aortic balloon valvuloplasty')).toMatchObject({ answered: false, codes: [] });
    expect(ask('pulmonary valvuloplasty in a fetus').guidance).toEqual(['IPG176']);
    // The only guidance on a procedure, for a condition the question does not name: said, not assumed.
    expect(ask('balloon valvuloplasty').notices.join(' ')).toMatch(/does not say the condition: IPG176 is for pulmonary atresia with intact ventricular septum/);
    expect(ask('TAVI for aortic stenosis').notices.join(' ')).not.toMatch(/does not say the condition/);
  });

  it('reads a case as coders write it up: TF for transfemoral, surgical risk as the story, VSD, walled-off necrosis', () => {
    // Had been "not covered": "TF", "high" and "risk" were words no page has.
    const tavi = ask('78M severe AS, high surgical risk, TF-TAVI under GA today - how to code?');
    expect(tavi).toMatchObject({ match: 'full', guidance: ['IPG421'] });
    expect(tavi.codes.map((c) => c.code)).toContain('Y79.-');
    expect(ask('high dose rate brachytherapy cervix').guidance).toEqual(['IPG160']);
    expect(ask('VSD closure')).toMatchObject({ match: 'full', guidance: ['IPG336'] });
    // Necrosectomy is done for necrosis: both necrosectomy pages are asked about, none is "not covered".
    const won = ask('endoscopic necrosectomy of walled off pancreatic necrosis');
    expect(won.answered).toBe(true);
    expect(won.guidance).toEqual(expect.arrayContaining(['IPG384', 'IPG411']));
  });

  it('knows a procedure by the name its title gives in brackets, cataract surgery as done for a cataract, and abbreviations beside a typo', () => {
    // Had been a greeting: "Nuss" comes after "for" in IPG310's title, in "(Nuss procedure)".
    expect(ask('Nuss procedure')).toMatchObject({ intent: 'how_to_code', match: 'full', guidance: ['IPG310'] });
    // Had been "not covered": the cataract was a condition no lens page named.
    expect(ask('multifocal lens implant cataract')).toMatchObject({ match: 'full', guidance: ['IPG264'] });
    expect(ask('opaque IOL for diplopia').guidance).toEqual(['IPG293']);
    // A typo beside a title abbreviation no longer hides the word that says which page it is.
    expect(ask('tms for migrane')).toMatchObject({ match: 'full', guidance: ['IPG477'] });
  });

  it('tells another part of the same organ, and a patient\'s own cells from a donor\'s', () => {
    // Each had been a partial match with the page on the other.
    expect(ask('mitraclip for tricuspid regurgitation')).toMatchObject({ answered: false, codes: [] });
    expect(ask('mitraclip for MR').guidance).toEqual(['IPG309']);
    expect(ask('islet cell autotransplant after pancreatectomy')).toMatchObject({ answered: false, codes: [] });
    expect(ask('islet cell transplant').guidance).toEqual(['IPG257']);
    expect(ask('autologous blood injection for tennis elbow').guidance).toEqual(['IPG438']);
  });

  it('tells faecal from urinary incontinence, knows Secca, and lets a page fitting all of a question beat one fitting part', () => {
    // Had been a partial match with urethral bulking (IPG138).
    expect(ask('bulking agent for faecal incontinence')).toMatchObject({ answered: false, codes: [] });
    expect(ask('bulking agent for SUI').guidance).toEqual(['IPG138']);
    expect(ask('Secca procedure for faecal incontinence - how to code').guidance).toEqual(['IPG393']);
    // The mini sling page fits it all; the biological sling page lacks the single incision (had asked which).
    expect(ask('mini sling (single incision tape) + cysto for SUI')).toMatchObject({ match: 'full', guidance: ['IPG262'] });
  });

  it('reads a closure of a defect or appendage as its occlusion, both ways', () => {
    // Had been "not covered": the guidance says occlusion, coders say closure.
    expect(ask('left atrial appendage closure')).toMatchObject({ match: 'full', guidance: ['IPG349'] });
    expect(ask('LAA closure')).toMatchObject({ match: 'full', guidance: ['IPG349'] });
    expect(ask('percutaneous closure of PFO').guidance).toEqual(['IPG371']);
    // A brand name is still said as not mentioned.
    expect(ask('LAA closure with watchman device').notices.join(' ')).toMatch(/does not mention "watchman"/);
  });

  it('knows coders\' names for a condition and a dressing: tennis elbow is a tendinopathy, a VAC dressing negative pressure wound therapy', () => {
    // Each had been "not covered".
    expect(ask('autologous blood injection for tennis elbow')).toMatchObject({ answered: true, match: 'full', guidance: ['IPG438'] });
    expect(ask('VAC dressing open abdomen').guidance).toEqual(['IPG467']);
    expect(ask('codes for NPWT').guidance).toEqual(['IPG467']);
    expect(ask('laser revascularisation of the myocardium, what codes').guidance).toEqual(['IPG301']);
    // A tendon is not a tendinopathy: "tendonitis" would have made it one by its stem.
    expect(ask('ESWT achilles tendon, ultrasound guided').guidance).toEqual(['IPG312']);
    // Another kind of injection in words we have no concept for is not the title's own kind (autologous blood).
    expect(ask('PRP injection for tennis elbow')).toMatchObject({ answered: false, codes: [] });
    // Needle aspiration is a kind of biopsy: TBNA is IPG254, not transbronchial biopsy (IPG337), which it had tied with.
    expect(ask('EBUS TBNA codes').guidance).toEqual(['IPG254']);
    expect(ask("I've coded E48.4 Y53.2 for EBUS TBNA")).toMatchObject({ intent: 'code_check', guidance: ['IPG254'] });
    expect(ask('EBUS TBB for peripheral lung lesion').guidance).toEqual(['IPG337']);
  });

  it('knows robotic as an approach: laparoscopic guidance answers it, saying what it does not give', () => {
    const first = a.answer('lap nephrectomy for RCC');
    const r = a.answer('and robotic?', first.next).reply;
    expect(r).toMatchObject({ answered: true, guidance: ['IPG136'] });
    expect(r.notices.join(' ')).toMatch(/IPG136 gives no codes for a robotic approach/);
    expect(ask('robotic assisted radical prostatectomy codes').codes.map((c) => c.code)).toEqual(expect.arrayContaining(['M61.1', 'Y76.5']));
  });

  it('reads "the primary" after liver metastases as where they came from, not a new topic', () => {
    const first = a.answer('perc RFA of CRLM codes');
    // Had gone to endoscopic submucosal dissection of rectal lesions (IPG335).
    const r = a.answer('what if the primary was rectal', first.next).reply;
    expect(r.guidance).toEqual(['IPG327']);
    // "a primary liver tumour" is primary cancer: no RFA page for it is loaded.
    expect(a.answer('and for a primary liver tumour instead?', first.next).reply).toMatchObject({ answered: false, guidance: [] });
    // Said plainly, with no "what if": the codes again (had been ESD's rule, IPG335).
    const sigmoid = a.answer('the primary is sigmoid', first.next).reply;
    expect(sigmoid).toMatchObject({ intent: 'how_to_code', guidance: ['IPG327'] });
    expect(sigmoid.codes.map((c) => c.code)).toEqual(expect.arrayContaining(['C78.7', 'C18.-']));
    // After a page on liver metastases of any origin, the metastases stay what was treated (had
    // been microwave ablation of hepatocellular carcinoma, IPG214).
    const mwa = a.answer('how do I code microwave ablation of liver mets');
    expect(a.answer('primary was rectal', mwa.next).reply.guidance).toEqual(['IPG406']);
    // In one message: the organ written after "primary" is where they came from (had been a
    // partial match that "does not mention colorectal"). "underwent" is no search word either.
    expect(ask('MWA of 3 liver mets under US guidance, primary colorectal, underwent laparoscopically')).toMatchObject({ match: 'full', guidance: ['IPG406'] });
  });

  it('compares with the page on the conversation\'s organ, and moves to the page on the approach a follow-up names', () => {
    const sirt = a.answer('SIRT for colorectal liver mets');
    // Had been "No note on that in IPG401" ("compare" was a search word), then a choice of three RFA pages.
    const r = a.answer('how does that compare with RFA?', sirt.next).reply;
    expect(r.guidance.sort()).toEqual(['IPG327', 'IPG401']);
    expect(r.codes.map((c) => c.code)).toEqual(expect.arrayContaining(['J12.4', 'J12.3']));
    // Had stayed with laparoscopic nephrectomy, saying it gives no single-port code.
    const lap = a.answer('lap nephrectomy codes');
    expect(a.answer('what about single port?', lap.next).reply.guidance).toEqual(['IPG414']);
    // No page on the procedure done that way: the conversation's, saying so.
    expect(a.answer('and if it was open?', lap.next).reply.guidance).toEqual(['IPG136']);
  });

  it('gives the diagnosis code every matching page gives, asked with no procedure', () => {
    // Had been "Which guidance do you mean?" with five pages to choose from.
    const r = ask('what ICD-10 code for liver mets');
    expect(r.answered).toBe(true);
    expect(r.codes.map((c) => c.code)).toEqual(['C78.7']);
    expect(r.citations.length).toBeGreaterThanOrEqual(2);
    for (const c of r.citations) expect(c.quote).toContain('C78.7');
    expect(r.notices.join(' ')).toMatch(/also give C18\.- \(IPG327, IPG401\)/);
    expect(r.clarify?.options.length).toBeGreaterThanOrEqual(2);
    // Asked with a procedure, it is that procedure's answer.
    expect(ask('ICD-10 codes for RFA liver mets').guidance).toEqual(['IPG327']);
  });

  it("answers \"what's the ICD-10?\" and \"SNOMED?\" in a conversation from its guidance", () => {
    const first = a.answer('how do I code microwave ablation of liver mets');
    // Had been "Which code?" (a code search with nothing to search for).
    for (const q of ["what's the ICD-10?", 'what are the codes', "what's the diagnosis code"]) {
      expect(a.answer(q, first.next).reply, q).toMatchObject({ intent: 'how_to_code', guidance: ['IPG406'] });
    }
    const ire = a.answer('IRE for liver mets');
    expect(a.answer("what's the ICD-10?", ire.next).reply.codes.map((c) => c.code)).toContain('C78.7');
    // A rule question stays one.
    expect(a.answer('which site code?', first.next).reply.intent).toBe('rule_explanation');
    // Had listed the pages that give SNOMED CT terms.
    expect(a.answer('SNOMED?', first.next).reply.title).toBe('No SNOMED CT term in IPG406');
    const chemo = a.answer('heated intravesical chemo codes');
    expect(a.answer('and the snomed term?', chemo.next).reply.title).toBe('SNOMED CT terms from IPG235');
  });

  it("keeps the conversation's procedure for another organ, and says when no page has it there", () => {
    // Had been laparoscopic radical prostatectomy (IPG193), the only page on the prostate.
    const ire = a.answer('IRE of liver mets - codes?');
    expect(a.answer('and for prostate?', ire.next).reply).toMatchObject({ answered: false, codes: [], guidance: [] });
    // It says what it looked for in the title's own words, without what the title does it to (had
    // been "endoscopic submucosal dissection (esd) of gastric lesions, oesophagus").
    const esd = a.answer('ESD gastric lesion');
    expect(plainText(a.answer('what about in the oesophagus', esd.next).reply)).toContain('does not cover "endoscopic submucosal dissection (ESD), oesophagus"');
    // A mitral valve is not the aortic valve of TAVI (IPG421), whose summary it had been given.
    const tavi = a.answer('TAVI codes');
    expect(a.answer('what about mitral valve replacement?', tavi.next).reply).toMatchObject({ answered: false, codes: [], guidance: [] });
    expect(ask('MitraClip for mitral regurgitation').guidance).toEqual(['IPG309']);
  });

  it("compares the conversation's guidance with another one asked about, code by code", () => {
    const first = a.answer('HDR brachytherapy for cervical cancer codes');
    expect(first.reply.guidance).toEqual(['IPG160']);
    const r = a.answer('how does that compare with breast brachytherapy after local excision?', first.next).reply;
    expect(r).toMatchObject({ answered: true, title: 'How IPG268 and IPG160 are coded' });
    expect(r.codes.map((c) => c.code)).toEqual(expect.arrayContaining(['X65.3', 'X65.2', 'Z15.-', 'Z45.1']));
    const text = plainText(r);
    expect(text).toMatch(/Only IPG268 gives X65\.3, Y89\.-, Z15\.-, Z94\.-\./);
    expect(text).toMatch(/Only IPG160 gives X65\.2, Y89\.1, Z45\.1\./);
    expect(text).toMatch(/Both give Y35\.4\./);
  });

  it("looks for a code's rule in the conversation's guidance when the words find another page", () => {
    // "axillary clearance" finds the endoscopic axillary clearance page; the note on B27 is the mastectomy page's.
    const first = a.answer('endoscopic mastectomy codes');
    const r = a.answer('does B27 include the axillary clearance', first.next).reply;
    expect(r).toMatchObject({ intent: 'rule_explanation', answered: true, guidance: ['IPG296'] });
    expect(r.codes.map((c) => c.code)).toContain('T85-T87');
    expect(plainText(r)).toMatch(/do not include any associate lymph node removal/);
  });

  it('keeps the guidance for a follow-up that names one of its stages, with a word it lacks', () => {
    const first = a.answer('occipital nerve stimulator trial for migraine');
    expect(first.reply.codes.map((c) => c.code)).toContain('A70.4');
    // "pulse generator" is on no page: the stage, which the guidance has, keeps the conversation.
    const second = a.answer('and stage two once the pulse generator is in?', first.next).reply;
    expect(second).toMatchObject({ answered: true, guidance: ['IPG452'] });
    expect(second.codes.map((c) => c.code)).toEqual(expect.arrayContaining(['A70.1', 'Y71.1']));
  });

  it('keeps a rule question on the conversation’s guidance (not a spinal one)', async () => {
    const say = chat();
    expect((await say('IRE of liver mets codes')).guidance).toEqual(['IPG445']);
    const which = await say('which Y53 do I use?');
    expect(which.guidance).toEqual(['IPG445']);
    expect((await say('what about open?')).guidance).toEqual(['IPG445']);
  });

  it('reads words that describe the code asked about as the code, not a new topic', async () => {
    const say = chat();
    await say('irreversible electroporation of liver metastases codes');
    const r = await say('why is Y12.3 there, that is electrochemotherapy surely?');
    expect(r.guidance).toEqual(['IPG445']);
  });

  it('answers "is a Y code needed?" from the chapter the guidance gives, or says it gives none', async () => {
    const codesOf = (r: { codes: Array<{ code: string }> }) => r.codes.map((c) => c.code);
    // Had quoted "The OPCS-4 code for hysteroscopic metroplasty is:" as if it were a rule on Y codes.
    const none = ask('is a Y code needed for hysteroscopic metroplasty');
    expect(none).toMatchObject({ intent: 'rule_explanation', answered: true, title: 'No Y code in IPG510' });
    expect(codesOf(none)).toEqual(['Q17.5']);
    expect(plainText(none)).toContain('IPG510 (Hysteroscopic metroplasty of a uterine septum for recurrent miscarriage) gives no Y code');
    expect(ask('do we need a Z code for laterality in coblation tonsillectomy').title).toBe('No Z code in IPG9');
    // A page that names the chapter and no code in it is quoted, never said to give none.
    for (const q of ['which Z code for IPG155', 'PDT for localised inoperable endobronchial ca - which Z code?']) {
      const r = ask(q);
      expect(r.title, q).toMatch(/^Z code in IPG1(55|37)$/);
      expect(r.blocks.some((b) => b.type === 'rule' && /Chapter\s+‘Z’ code/.test(b.text)), q).toBe(true);
    }
    // A note that names such a code answers as before.
    expect(codesOf(ask('why do I need a Y code for RFA of liver mets'))).toContain('Y53.9');
    // Asked in a conversation, it is about its guidance's codes in that chapter (had been "Which code?").
    const say = chat();
    await say('lap nephrectomy');
    const ys = await say('any Y codes?');
    expect(ys).toMatchObject({ intent: 'rule_explanation', answered: true, guidance: ['IPG136'] });
    expect(codesOf(ys)).toEqual(['Y75.2', 'Y75.4']);
  });

  it('says what a follow-up names that the guidance does not, with what it rules out beside it', async () => {
    const say = chat();
    await say('code for hysteroscopic metroplasty');
    const r = await say('what about for infertility rather than miscarriage');
    expect(r).toMatchObject({ match: 'partial', guidance: ['IPG510'] });
    expect(r.notices.join(' ')).toMatch(/does not mention "infertility"\. /);
  });

  it('keeps a guidance on what is done during an operation for a follow-up naming another operation it is done during', async () => {
    const say = chat();
    expect((await say('cell salvage in radical prostatectomy')).guidance).toEqual(['IPG258']);
    // Had moved to laparoscopic cystectomy (IPG287): the cell salvage guidance covers cystectomy too.
    expect(await say('and for cystectomy?')).toMatchObject({ match: 'full', guidance: ['IPG258'] });
    // An operation it is not done during is not it.
    expect((await say('what about a hysterectomy')).guidance).not.toContain('IPG258');
  });

  it("offers the conversation's guidance as the nearest when a follow-up it does not cover shares its words", async () => {
    const say = chat();
    await say('nuss bar insertion');
    const r = await say('and removal of the bar later?');
    expect(r).toMatchObject({ answered: false, codes: [] });
    // Had offered three laparoscopic pages, through "removal" alone.
    expect(plainText(r)).toContain('The nearest loaded guidance is about something else: Placement of pectus bar for pectus excavatum (Nuss procedure) (IPG310). Its codes are not for this procedure.');
  });

  it('answers "is that the current guidance?" and "which guidance uses it?" about the conversation', async () => {
    const say = chat();
    await say('SILC codes');
    // Had summarised tDCS (IPG530), a direct current, for "current".
    const current = await say('is that the current guidance');
    expect(current).toMatchObject({ intent: 'guidance_summary', guidance: ['IPG346'] });
    expect(plainText(current)).toContain('Whether IPG346 is still current, the loaded text cannot say');
    expect(ask('is this NICE guidance current?').guidance).not.toContain('IPG530');
    expect(ask('tDCS for depression').guidance).toEqual(['IPG530']);
    const code = chat();
    await code('what is Z27.2');
    // Had been "not covered: uses".
    const uses = await code('which guidance uses it');
    expect(uses).toMatchObject({ intent: 'code_lookup', answered: true, guidance: ['IPG360'] });
  });

  it('takes a correction as a follow-up: the procedure meant, for what the conversation was about', async () => {
    const rfa = chat();
    await rfa('RFA of liver mets');
    // Had been "not covered" ("meant" was a search word), and a choice of three microwave pages.
    expect(await rfa('sorry I meant microwave')).toMatchObject({ match: 'full', guidance: ['IPG406'] });
    const lap = chat();
    await lap('lap nephrectomy codes');
    // Had been a greeting.
    expect(await lap('no sorry, single port')).toMatchObject({ intent: 'how_to_code', guidance: ['IPG414'] });
  });

  it('answers a follow-up saying how the procedure was done from the conversation, naming what its page lacks', async () => {
    const say = chat();
    await say('mechanical thrombectomy for stroke');
    // Had been "not covered": "stent" is a procedure of its own, which no page here pairs with clot retrieval.
    const r = await say("with a stent retriever under GA, what's the Y code");
    expect(r).toMatchObject({ intent: 'how_to_code', match: 'partial', guidance: ['IPG458'] });
    expect(r.notices.join(' ')).toMatch(/does not mention "stent"/);
  });

  it('keeps a conversation about a code on that code, and one about a page on that page', async () => {
    const code = chat();
    await code("what's Y53.4");
    // Had been "Which procedure?" and then "not something I can help with".
    expect(await code('what procedures need it')).toMatchObject({ intent: 'code_lookup', answered: true });
    const rule = await code('is it compulsory');
    expect(rule).toMatchObject({ intent: 'rule_explanation', answered: true });
    expect(rule.codes.map((c) => c.code)).toContain('Y53.-');
    const pdt = chat();
    await pdt('PDT for basal cell carcinoma');
    // Had been off topic; then a partial match that did not mention "many", "times".
    const times = await pdt('how many times should I code it for 3 treatments');
    expect(times).toMatchObject({ intent: 'how_to_code', match: 'full', guidance: ['IPG155'] });
  });

  it('answers "is that the same for open?" with the page\'s codes and that it gives none for open', async () => {
    const gastrectomy = chat();
    await gastrectomy('lap gastrectomy for stomach cancer');
    // Had been "No note on that in IPG269".
    const r = await gastrectomy('would that be the same if done open?');
    expect(r).toMatchObject({ intent: 'how_to_code', guidance: ['IPG269'] });
    expect(r.notices.join(' ')).toContain('IPG269 gives no codes for an open approach');
  });

  it('reads a detail of the case, told and not asked, as wanting the codes for it', async () => {
    const tonsils = chat();
    await tonsils('how do I code coblation tonsillectomy');
    // Had quoted IPG9's note on the adenoids as "the rule".
    const r = await tonsils('it was bilateral');
    expect(r).toMatchObject({ intent: 'how_to_code', guidance: ['IPG9'] });
    expect(r.codes.map((c) => c.code)).toContain('F34.7');
  });

  it('moves off the conversation\'s page for another operation named in a word we have no concept for', async () => {
    const mea = chat();
    await mea('microwave endometrial ablation codes');
    // Had been a partial match with IPG7 that "does not mention hysterectomy".
    const r = await mea('and if it failed and she then went on to a hysterectomy?');
    expect(r).toMatchObject({ intent: 'how_to_code', answered: false, codes: [] });
    expect(plainText(r)).toContain('hysterectomy');
  });

  it('keeps a follow-up on the conversation\'s page when that page has all it names', async () => {
    const knee = chat();
    await knee('arthroscopic washout of the knee for OA');
    // IPG230 is "with or without debridement"; pancreatic necrosectomy pages score higher for it.
    const r = await knee('and if a debridement was done as well?');
    expect(r).toMatchObject({ intent: 'how_to_code', guidance: ['IPG230'] });
  });

  it('carries the procedure of a question no page covered into a follow-up naming what it was for', async () => {
    const dbs = chat();
    expect(await dbs('deep brain stimulation in parkinsons disease, codes?')).toMatchObject({ answered: false });
    // Had been "not covered: essential tremor": the follow-up alone names no procedure.
    const r = await dbs('what about for essential tremor');
    expect(r).toMatchObject({ intent: 'how_to_code', match: 'partial', guidance: ['IPG188'] });
    // Nothing on it for that either: said with the procedure, not the follow-up's words alone.
    const other = chat();
    await other('how do I code TACE for HCC');
    expect(plainText(await other('and for liver mets?'))).toContain('does not cover "TACE, liver mets"');
  });

  it('reads a follow-up naming only another kind of patient as the same procedure for them', async () => {
    const ecmo = chat();
    expect(await ecmo('ECMO for acute heart failure in adults')).toMatchObject({ guidance: ['IPG482'] });
    // Had been answered from the hybrid procedure for hypoplastic left heart in neonates (IPG246).
    const r = await ecmo('what about in neonates?');
    expect(r).toMatchObject({ answered: false, codes: [] });
    expect(plainText(r)).toContain('does not cover "extracorporeal membrane oxygenation (ECMO), neonates"');
  });

  it("keeps a follow-up on the conversation's organ, and says what it adds that the page lacks", async () => {
    const prostate = chat();
    await prostate('what codes for robotic prostatectomy');
    // Had answered from axillary lymph node retrieval for breast cancer (IPG147).
    const nodes = await prostate('thanks, and what about for the lymph node dissection?');
    expect(nodes).toMatchObject({ answered: false, codes: [] });
    expect(plainText(nodes)).toContain('does not cover "laparoscopic radical prostatectomy, lymph node dissection"');
    expect(nodes.guidance).toEqual([]);
    const mea = chat();
    await mea('microwave endometrial ablation');
    // Had been a full answer from the microwave page, silent about the balloon.
    const balloon = await mea("and what if it's done with a thermal balloon instead");
    expect(balloon).toMatchObject({ match: 'partial', guidance: ['IPG7'] });
    expect(balloon.notices.join(' ')).toMatch(/does not mention "thermal", "balloon"/);
    // An intragastric balloon is in the stomach, not the Eustachian tube (had been a partial match with IPG409).
    expect(ask("what's the code for an intragastric balloon")).toMatchObject({ answered: false, codes: [] });
  });

  it('reads EVT, "converted to open" and "any diagnosis code given?" as coders mean them', async () => {
    // Had been "not covered": EVT is endovascular thrombectomy.
    expect(ask('how do i code EVT for stroke').guidance).toEqual(['IPG458']);
    expect(ask('thrombectomy for DVT')).toMatchObject({ answered: false, codes: [] });
    const say = chat();
    await say('single port nephrectomy');
    // Had been "not covered: converted to open".
    const open = await say('what if they converted to open');
    expect(open.guidance).toEqual(['IPG414']);
    expect(open.notices.join(' ')).toContain('IPG414 gives no codes for an open approach');
    // Had been "no matching codes".
    expect((await say('any diagnosis code given?')).notices.join(' ')).toContain('IPG414 gives no ICD-10 diagnosis code');
    // "extra" is no search word (a partial match had said it did not mention it).
    expect(ask('TOE during LAA occlusion - extra code?').match).toBe('full');
  });

  it('picks the choice a message fits after a list of choices, and leaves a new question alone', async () => {
    const pdt = chat();
    expect((await pdt('PDT for oesophageal cancer')).clarify).not.toBeNull();
    // Had been a greeting.
    expect(await pdt("it's early stage")).toMatchObject({ intent: 'how_to_code', guidance: ['IPG200'] });
    const dbs = chat();
    await dbs('DBS');
    // Had been "no note on that in IPG188".
    expect(await dbs('the patient has essential tremor')).toMatchObject({ intent: 'how_to_code', guidance: ['IPG188'] });
    const other = chat();
    await other('DBS');
    expect((await other('what about TAVI')).guidance).toEqual(['IPG421']);
  });

  it('does not carry a conversation over to a procedure it has no words for', async () => {
    const say = chat();
    expect((await say('how do I code corneal endothelial transplantation')).guidance).toEqual(['IPG304']);
    const next = await say('elbow replacement code');
    expect(next.codes).toEqual([]);
    expect((await say('hair transplant code')).codes).toEqual([]);
  });

  it('answers "what did that guidance replace?" about the guidance of the conversation', async () => {
    const say = chat();
    await say('rfa crlm codes?');
    expect((await say('what if the op note doesnt say what imaging was used')).guidance).toEqual(['IPG327']);
    expect((await say('and what did that guidance replace?')).guidance).toEqual(['IPG327']);
  });

  it('lets an old button ask about its own answer, after the conversation has moved on', async () => {
    const say = chat();
    const first = await say('how do I code percutaneous RFA of liver mets?');
    expect(first.context).toEqual({ guidance: 'IPG327', group: 0 });
    await say('how do I code radiofrequency ablation of varicose veins');
    const pressed = await say('Why do I need a Y53 code?', first.context);
    expect(pressed.guidance[0]).toBe('IPG327');
  });

  it('puts the answer’s guidance into every follow-up button, on both surfaces', () => {
    const r = ask('how do I code percutaneous RFA of liver mets?');
    const card = JSON.stringify(renderCard(r));
    expect(card).toContain('"guidance":"IPG327"');
    const blocks = renderBlocks(r).blocks as Array<{ type: string; elements?: Array<{ action_id?: string; value?: string }> }>;
    const askButtons = blocks.flatMap((b) => b.elements ?? []).filter((e) => e.action_id?.startsWith('codebot_ask'));
    expect(askButtons.length).toBeGreaterThan(0);
    for (const b of askButtons) expect(parseSlackAsk(b.value!)).toMatchObject({ guidance: 'IPG327' });
    // A button from before this change (a plain question) still works.
    expect(parseSlackAsk('Why do I need a Y53 code?')).toEqual({ codebot: 'ask', question: 'Why do I need a Y53 code?' });
  });
});

describe('understanding coders’ words', () => {
  it('does not count the chat around a question against a match ("I\'m new to coding", "ta")', () => {
    // Each had been a partial match that "does not mention" the chat.
    for (const q of ["hi, I'm new to this - how do I code lap chole with on table cholangiogram? ta", 'SILC codes please, ta']) {
      const r = ask(q);
      expect(r, q).toMatchObject({ match: 'full', guidance: ['IPG346'] });
    }
  });

  it('does not search for words that only say how a question is put ("separately", "specifically")', () => {
    // Had been "none of the loaded NICE guidance is about that": no IRE page mentions "separately".
    const r = ask('must the image guidance be coded separately for IRE?');
    expect(r).toMatchObject({ intent: 'rule_explanation', answered: true });
    expect(r.guidance[0]).toMatch(/^IPG44[45]$/);
    expect(r.codes.map((c) => c.code)).toContain('Y53.-');
  });

  it('reads HIE and short sightedness as the conditions their pages name in other words', () => {
    // IPG347 is for "hypoxic perinatal brain injury"; both had been not covered.
    expect(ask('whole body cooling for neonatal HIE, what codes')).toMatchObject({ answered: true, guidance: ['IPG347'] });
    const lasek = ask('LASEK for short sightedness');
    expect(lasek.answered).toBe(true);
    expect(lasek.guidance).toEqual(expect.arrayContaining(['IPG164']));
    // An American spelling in the vocabulary would stop the speller reading "ischemic" as "ischaemic".
    expect(ask('thrombectomy for acute ischemic stroke')).toMatchObject({ match: 'full', guidance: ['IPG458'] });
  });

  it('reads IONM as intraoperative nerve monitoring, which OPCS-4 cannot classify', () => {
    // Had been a partial match with video-assisted thyroidectomy (IPG499) and its codes.
    const r = ask('IONM during hemithyroidectomy - any opcs?');
    expect(r).toMatchObject({ answered: true, guidance: ['IPG255'] });
    expect(plainText(r)).toContain('It is not possible to classify the use of intraoperative nerve monitoring');
  });

  it('reads abbreviations a page defines for its own procedure', () => {
    expect(a.kb.abbreviations.get('npwt')).toBe('Negative pressure wound therapy');
    expect(ask('codes for NPWT').guidance).toEqual(['IPG467']);
    expect(ask('LUNA for pelvic pain').guidance).toEqual(['IPG234']);
    // Defined only as another page's comparator: not taken.
    expect(a.kb.abbreviations.has('tvt')).toBe(false);
    // Letters from inside a word count after each word's first: extraCorporeal membrane oxygenation.
    expect(a.kb.abbreviations.get('ecmo')).toBe('Extracorporeal membrane oxygenation');
    expect(ask('hello, is there guidance on ECMO?').guidance).toEqual(expect.arrayContaining(['IPG391', 'IPG482']));
    expect(ask('ECMO codes').codes.map((c) => c.code)).toContain('X58.1');
  });

  it('answers a bare procedure name, naming the other guidance when the condition is not said', () => {
    const r = ask('SIRT?');
    expect(r.intent).toBe('how_to_code');
    expect(r.answered).toBe(true);
    const other = r.guidance[0] === 'IPG459' ? 'IPG401' : 'IPG459';
    expect(r.notices.join(' ')).toContain(other);
    for (const q of ['TAVI', 'lap chole']) expect(ask(q).answered).toBe(true);
    // Two guidance on ESD (gastric, colorectal) are a near-tie: asked about, no codes guessed.
    const esd = ask('ESD');
    expect(esd.answered || esd.clarify !== null).toBe(true);
    expect(ask('lap chole').notices.join(' ')).toMatch(/IPG346 is about the single incision/);
  });

  it('says when the page is for the other side of a pair the question names (emergency, elective)', async () => {
    // Had answered the emergency caesarean page's codes for an elective section, silently.
    const say = chat();
    await say('fetal pillow at caesarean');
    const elective = await say('and for an elective section?');
    expect(elective.notices.join(' ')).toContain('IPG515 is for "emergency", and the question says "elective"');
    expect(ask('balloon to disimpact fetal head at emergency caesarean').notices.join(' ')).not.toMatch(/the question says/);
  });

  it('reads the operation another was done during as its setting, not what is asked about', () => {
    // Had been a partial match that "does not mention thyroidectomy", and "not covered".
    expect(ask('nerve monitoring during thyroidectomy is there a code')).toMatchObject({ match: 'full', guidance: ['IPG255'] });
    expect(ask('surgical AF ablation during CABG').guidance).toEqual(['IPG121']);
    expect(ask('cell salvage during radical prostatectomy').guidance).toEqual(['IPG258']);
    // What is asked about in words we have no concept for is still what is asked about: a surgical
    // LAA clip is not coded from off-pump CABG (had been a partial match with IPG377).
    expect(ask('surgical LAA clip during CABG')).toMatchObject({ answered: false, codes: [] });
  });

  it('reads what was done instead of something else as not done: its approach was not used, the rest is the story', () => {
    const codesOf = (q: string) => ask(q).codes.map((c) => c.code);
    // Had been "not something I can help with": the other technique's words read as off topic.
    expect(ask('coblation tonsillectomy rather than cold steel')).toMatchObject({ intent: 'how_to_code', match: 'full', guidance: ['IPG9'] });
    expect(ask('TAVI instead of SAVR')).toMatchObject({ match: 'full', guidance: ['IPG421'] });
    // The approach that was used picks the codes, whichever side of "rather than" the procedure is.
    expect(codesOf('transapical rather than transfemoral TAVI')).toContain('Y49.4');
    expect(codesOf('transapical rather than transfemoral TAVI')).not.toContain('Y79.-');
    expect(codesOf('transfemoral TAVI rather than transapical')).toContain('Y79.-');
    expect(codesOf('transfemoral TAVI rather than transapical')).not.toContain('Y49.4');
    expect(ask('lap rather than open nephrectomy')).toMatchObject({ match: 'full', guidance: ['IPG136'] });
    // An open nephrectomy is not coded from the laparoscopic guidance (had been a full match with it).
    expect(ask('open instead of lap nephrectomy')).toMatchObject({ answered: false, codes: [] });
    // "rather" and "does it matter" are not what a partial match does not mention.
    expect(ask('hysteroscopic metroplasty for infertility rather than miscarriage').notices.join(' ')).toMatch(/does not mention "infertility"\. /);
    expect(ask('does it matter if SIRT was for colorectal liver mets').match).toBe('full');
  });

  it('keeps the vocabulary as validated data, and refuses a code in it with the file and line', () => {
    expect(readVocabulary(VOCABULARY_FILE).length).toBeGreaterThan(100);
    const dir = knowledgeCopy();
    const file = path.join(dir, 'vocabulary.json');
    const broken = readFileSync(file, 'utf8').replace('"forms":["radiofrequency",', '"forms":["J12.4","radiofrequency",');
    writeFileSync(file, broken);
    expect(() => readVocabulary(file)).toThrow(VocabularyError);
    expect(() => readVocabulary(file)).toThrow(/vocabulary\.json:4 \(concepts\.0\.forms\.0\): a form must be words, not a code/);
    // An id that is also a capitals-only form would match the everyday word in lower case.
    writeFileSync(file, readFileSync(VOCABULARY_FILE, 'utf8').replace('{"id":"occipital nerve stimulation"', '{"id":"ons"'));
    expect(() => readVocabulary(file)).toThrow(/\(concepts\.\d+\.id\): "ons" is also a capitals-only form/);
  });
});

describe('a procedure named on its own, in the words of its guidance title', () => {
  it('reads a title\'s operation word as the page explains it in brackets', () => {
    // IPG510's description: "Surgical removal of the septum (metroplasty)". Had been not covered.
    expect(ask('removal of the uterine septum via hysteroscope')).toMatchObject({ intent: 'how_to_code', match: 'full', guidance: ['IPG510'] });
    expect(ask('excision of uterine septum')).toMatchObject({ answered: true, guidance: ['IPG510'] });
    expect(gloss('It is done when needed. Surgical removal of the septum (metroplasty) is usually considered.', 'metroplasty')).toBe('Surgical removal of the septum');
    expect(gloss('Septa may be treated by metroplasty (removal of the septum) in theatre.', 'metroplasty')).toBe('removal of the septum');
    // Only a clause, not a whole long sentence.
    expect(gloss('Women with a uterine septum and repeated adverse reproductive outcomes who were seen in clinic over ten years, had it (metroplasty).', 'metroplasty')).toBe('had it');
    expect(gloss('No brackets here about metroplasty.', 'metroplasty')).toBeUndefined();
  });

  it('answers a bare procedure name from the title that has it, not with a greeting', () => {
    expect(ask('falloposcopy')).toMatchObject({ intent: 'how_to_code', answered: true, guidance: ['IPG62'] });
    expect(ask('nuss bar')).toMatchObject({ intent: 'how_to_code', answered: true, guidance: ['IPG310'] });
    // An abbreviation no page defines or title spells, with the condition its guidance is for: a partial match, said so.
    const tms = ask('TCMS for severe depression');
    expect(tms.guidance).toEqual(['IPG242']);
    expect(tms.notices.join(' ')).toMatch(/Partial match: IPG242 .* does not mention "TCMS"/);
    // A small letter before a title's abbreviation says which kind: "rTMS" is repetitive TMS.
    expect(ask('rTMS for severe depression')).toMatchObject({ match: 'full', guidance: ['IPG242'] });
  });

  it('reads an abbreviation no page defines as the title words that spell it, when the question shares another word with that title', () => {
    // Whole runs of a title's words between small words; "twin-to-twin" gives its words' initials.
    const pages = (...titles: string[]) => titles.map((title) => ({ title, about: title }));
    const read = titleAcronyms(
      pages('Intrauterine laser ablation of placental vessels for the treatment of twin-to-twin transfusion syndrome', 'Off-pump coronary artery bypass grafting', 'Insertion of a balloon device to disimpact an engaged fetal head before an emergency caesarean section', 'Islet cell transplantation for type 1 diabetes mellitus'),
      new Set(['hat']),
    );
    expect(read.get('ttts')?.words).toBe('twin-to-twin transfusion syndrome');
    expect(read.get('ecs')?.words).toBe('emergency caesarean section');
    expect(read.get('t1dm')?.words).toBe('type 1 diabetes mellitus');
    expect(read.has('opcabg')).toBe(true);
    // Not the end of a run ("artery bypass grafting" is no "ABG"), nor a word the pages use.
    expect(read.has('abg')).toBe(false);
    expect(titleAcronyms(pages('Hypoxic ablation technique'), new Set(['hat'])).has('hat')).toBe(false);
    // Two runs spelled alike: neither is taken.
    expect(titleAcronyms(pages('Deep brain stimulation', 'Direct bladder stimulation'), new Set()).has('dbs')).toBe(false);
    // Written in capitals on its own page ("FMT") it is still an abbreviation, not a word.
    expect(a.kb.titleAcronyms.get('fmt')?.words).toBe('faecal microbiota transplant');
    expect(ask('FMT for recurrent c diff').guidance).toEqual(['IPG485']);
    expect(ask('islet cell transplant for T1DM')).toMatchObject({ match: 'full', guidance: ['IPG257'] });
    // What the page's description says it treats counts as another word of it (menorrhagia, IPG7).
    expect(ask('MEA for menorrhagia').guidance).toEqual(['IPG7']);
    // Had been "not covered" (TTTS a word nobody knows), a partial match "not mentioning" the
    // abbreviation, or another page's balloon (the Eustachian tube).
    expect(ask('laser for TTTS, US guided, which codes')).toMatchObject({ answered: true, match: 'full', guidance: ['IPG198'] });
    expect(ask('laser for TTTS, US guided, which codes').codes.map((c) => c.code)).toEqual(expect.arrayContaining(['R07.1', 'Y53.2']));
    expect(ask('TMS for depression')).toMatchObject({ match: 'full', guidance: ['IPG242'] });
    expect(ask('ECS balloon').guidance).toEqual(['IPG515']);
    // Only in capitals or with no vowel (as no word is), and only with another word of that title:
    // "DCD" in a liver transplant is not the discrete chondral defects of IPG493's title.
    expect(ask('laser for ttts').guidance).toEqual(['IPG198']);
    expect(ask('opcs code for tms depression')).toMatchObject({ match: 'full', guidance: ['IPG242'] });
    expect(ask('ecs balloon').guidance).not.toEqual(['IPG515']);
    // Chat shorthand and a swapped typo are not what a partial match "does not mention" (had been "wot", "cdoe").
    for (const q of ['wot codes 4 TAVI', 'how do i cdoe percutaenous radiofrequncy ablation of liver metastsis', 'have you got the nuss bar guidance']) expect(ask(q).match, q).toBe('full');
    // Nor are where on the organ, sizes, doses and how often ("segment 7", "L side", "2 GBq", "daily for 2 weeks").
    for (const q of ['RFA x3 liver lesions segment 7', 'lap nephrectomy L side', 'TAVI, valve size 26mm', 'SIRT for colorectal liver mets, 2 GBq', 'tDCS daily for 2 weeks']) expect(ask(q).match, q).toBe('full');
    // A case described, not asked, wants the procedure's codes, though "bilateral" reads like a rule question (had been IPG9's note on the adenoids).
    expect(ask('Coblation tonsillectomy bilateral in 6 yr old')).toMatchObject({ intent: 'how_to_code', guidance: ['IPG9'] });
    expect(ask('is a laterality code needed for coblation tonsillectomy?').intent).toBe('rule_explanation');
    // Read as off topic, a case that names a procedure in a title's words is still a coder's (had been
    // "not something I can help with"); chat about one is not.
    expect(ask('fetal pillow at caesarean')).toMatchObject({ intent: 'how_to_code', match: 'partial', guidance: ['IPG515'] });
    expect(ask('coblation tonsillectomy vs cold steel')).toMatchObject({ intent: 'how_to_code', guidance: ['IPG9'] });
    expect(ask('tell me a joke about TAVI').intent).toBe('out_of_scope');
    // Asking which code comes first is not a word of the topic (had been "not covered": "first for SIRT").
    expect(ask('which code goes first for SIRT').answered).toBe(true);
    expect(ask('FMT for first episode of c diff').codes).toEqual([]);
    // A page's own abbreviation in capitals with another beside it is a coder's message, not chat (had been smalltalk).
    expect(ask('VV ECMO').intent).toBe('how_to_code');
    expect(ask('need codes for ecmo resp failure adult').guidance).toEqual(['IPG391']);
    expect(ask('liver transplant from a DCD donor').guidance).not.toContain('IPG493');
    expect(ask('TTTS')).toMatchObject({ answered: false, codes: [] });
    // Alone, it is offered for what it may mean, never answered from (had been "not something I can help with").
    const mivat = ask('what is MIVAT');
    expect(mivat).toMatchObject({ intent: 'how_to_code', answered: false, codes: [] });
    expect(plainText(mivat)).toContain('If MIVAT means minimally invasive video-assisted thyroidectomy, ask about it in those words.');
    expect(mivat.suggestions).toContain('How do I code minimally invasive video-assisted thyroidectomy?');
    // "what is EVLA?": an abbreviation no page has is "not covered", not chat or "not sure" (it had been both).
    for (const q of ['what is EVLA', 'whats ECP', 'what is HIPEC']) expect(ask(q), q).toMatchObject({ intent: 'how_to_code', answered: false, codes: [] });
    expect(ask('what is TAVI').guidance).toEqual(['IPG421']);
    // Not beside another topic: "DCD" in a liver transplant is not offered as chondral defects.
    expect(plainText(ask('liver transplant from a DCD donor'))).not.toContain('If DCD means');
    // A code its pages give says which page as well as a word does, and picks the one that lists it
    // (had quoted the fetal valvuloplasty page's Y95 note, and been "not covered: TTTS").
    expect(ask('why do we code Y95 for TTTS').guidance[0]).toMatch(/^IPG19[89]$/);
    expect(ask('is R07.1 right for TTTS')).toMatchObject({ intent: 'code_check', guidance: ['IPG198'] });
    expect(ask('coded R07.1 Y53.2 for TTTS').guidance).toEqual(['IPG198']);
  });

  it('says a procedure the knowledge lacks is not covered, when it is named as coders do ("UAE for fibroids")', () => {
    for (const q of ['UAE for fibroids', 'LVRS for emphysema', 'carpal tunnel release', 'haemorrhoidectomy', 'EVLA?', 'TMS']) {
      const r = ask(q);
      expect(r).toMatchObject({ intent: 'how_to_code', answered: false, codes: [], guidance: [] });
      expect(plainText(r)).toMatch(/NHS Classifications Service/);
    }
    expect(ask('OK for Friday?').intent).toBe('smalltalk');
    // An abbreviation with a small letter first, and what it was for, even when read as chat and matched only in part.
    expect(ask('rTMS for treatment resistant depression, 20 sessions')).toMatchObject({ intent: 'how_to_code', answered: true, guidance: ['IPG242'] });
    // Coders' shorthand for a procedure the knowledge lacks is not covered, not "not something I can help with".
    expect(ask('EVLT to L GSV')).toMatchObject({ intent: 'how_to_code', answered: false, codes: [] });
    expect(ask('what does GMT mean').intent).not.toBe('how_to_code');
    // What it was for may be an eponym or an abbreviation itself.
    expect(ask('LLETZ for CIN3')).toMatchObject({ intent: 'how_to_code', answered: false, codes: [] });
    expect(ask("ECP for Crohn's disease")).toMatchObject({ intent: 'how_to_code', answered: true, guidance: ['IPG288'] });
    // One shared word ("artificial", IPG110's finger joints) is no partial match for another procedure.
    for (const q of ['artificial iris implant', 'how do I code an artificial iris implant']) {
      expect(ask(q)).toMatchObject({ intent: 'how_to_code', answered: false, codes: [], guidance: [] });
    }
  });

  it('still declines chat with capitals in it, and thanks stay thanks', () => {
    for (const q of ['ASAP please', 'BBC news please', 'is DVLA open today']) {
      expect(ask(q)).toMatchObject({ intent: 'out_of_scope', answered: false, codes: [] });
    }
    expect(ask('OMG thanks').intent).toBe('smalltalk');
    for (const q of ['superb', 'gracias', 'good stuff', 'OK', 'NHS']) expect(ask(q).intent).toBe('smalltalk');
    // Chat about a condition a guidance is for gets no codes from it: the condition is not the procedure.
    for (const q of ['is depression genetic', 'stroke symptoms', 'what causes glaucoma', 'how is depression treated', 'varicose veins exercises', 'diabetes', 'heart failure', 'balloon']) {
      expect(ask(q)).toMatchObject({ answered: false, codes: [] });
    }
    expect(ask('do you only do OPCS or ICD10 as well?').intent).toBe('help');
    // A question about codebot with a word some page uses ("made") is help, not "not covered".
    expect(ask('who made you').intent).toBe('help');
  });

  it('tells operation words by their endings and plain names, and not everyday words that look alike', () => {
    for (const w of ['Trabeculectomy', 'vertebroplasty', 'colonoscopies', 'arthrodesis', 'lithotripsy', 'circumcision', 'excision', 'repair', 'biopsies']) expect(namesOperation(w), w).toBe(true);
    for (const w of ['dichotomy', 'decision', 'precision', 'anatomy', 'telescope', 'philosophy', 'photography', 'procedure']) expect(namesOperation(w), w).toBe(false);
  });

  it('knows an operation by its name when no page has it, and says it is not covered rather than chat', () => {
    // No loaded page has these: each was read as a greeting, "not something I can help with" or a
    // guess at what was meant, before operation words counted as naming a procedure.
    for (const q of ['circumcision for phimosis', 'glaucoma trabeculectomy', 'vertebroplasty for osteoporotic fracture', 'ACL reconstruction with hamstring graft', 'dental extraction under GA', 'AV fistula formation for dialysis', 'rotator cuff repair arthroscopic']) {
      const r = ask(q);
      expect(r, q).toMatchObject({ intent: 'how_to_code', answered: false, match: 'none', codes: [], guidance: [] });
      expect(plainText(r)).toMatch(/NHS Classifications Service/);
    }
    // Chat with such a word in it stays chat.
    for (const q of ['what is a dichotomy', 'the printer needs a repair', 'thanks for the release notes']) {
      expect(CHAT_INTENTS.has(ask(q).intent), q).toBe(true);
    }
  });

  it('reads an unknown abbreviation as the procedure of a guidance only when its title could be abbreviated so', () => {
    expect(spells('TMS', ['transcranial', 'magnetic', 'stimulation'])).toBe(true);
    expect(spells('rTMS', ['transcranial', 'magnetic', 'stimulation'])).toBe(true);
    expect(spells('ECP', ['extracorporeal', 'photopheresis'])).toBe(true);
    expect(spells('ESWT', ['autologous', 'blood', 'injection'])).toBe(false);
    // Had autologous blood injection for plantar fasciitis (IPG437) as a partial match.
    expect(ask('ESWT plantar fasciitis')).toMatchObject({ answered: false, codes: [], guidance: [] });
    expect(ask('ESWT achilles tendon, ultrasound guided').guidance).toEqual(['IPG312']);
    // An abbreviation for what the procedure is for does not rule the guidance out: osteoarthritis.
    expect(ask('arthroscopic washout of knee OA').guidance).toEqual(['IPG230']);
    expect(ask('TAVI for OA')).toMatchObject({ answered: false, codes: [] });
  });

  it('takes the title words from the knowledge loaded: without the page, the word is not about coding', () => {
    const small = Assistant.create({ knowledgeDir: knowledgeCopy(['IPG327']), limits: null });
    const r = small.answer('nuss bar').reply;
    expect(r.intent).not.toBe('how_to_code');
    expect(r).toMatchObject({ answered: false, guidance: [], codes: [] });
    // An operation's name says it is about a procedure whatever is loaded: not covered, not chat.
    expect(small.answer('falloposcopy').reply).toMatchObject({ intent: 'how_to_code', answered: false, guidance: [], codes: [] });
  });
});

describe('the patient’s story, how far a disease has gone, and words nobody knows', () => {
  it('does not answer an operation named in a word we have no concept for from a page that lacks it', () => {
    // Had been a greeting, and with "codes" a partial match with Eustachian tube balloon dilatation.
    for (const q of ['balloon sinuplasty', 'balloon sinuplasty for chronic sinusitis - codes?']) {
      expect(ask(q), q).toMatchObject({ intent: 'how_to_code', answered: false, codes: [] });
    }
    // Unless the page has a word only it is about: the Eustachian tube page for a tuboplasty.
    expect(ask('balloon tuboplasty of the eustachian tube codes')).toMatchObject({ answered: true, guidance: ['IPG409'] });
  });

  it('reads a word we have no concept for after "in" as what the procedure was for, as after "for"', () => {
    // Each had been answered from the page on the procedure for another condition (DBS and ECMO in full).
    for (const q of ["DBS in Huntington's chorea", 'ECMO in sepsis', 'cryotherapy in retinoblastoma', 'occipital nerve stimulation in trigeminal neuralgia']) {
      expect(ask(q), q).toMatchObject({ answered: false, codes: [] });
    }
    // A site after "in" is still a site.
    expect(ask('ESD in the rectosigmoid')).toMatchObject({ answered: true, guidance: ['IPG335'] });
  });

  it('reads the organs of what a procedure was for as the disease, not as where it was done', () => {
    // IPG211's title names no condition: what the resection was for does not count against it. It
    // had been the laparoscopic page, which does not mention the Habib device's radiofrequency.
    const habib = ask('hepatic resection using the Habib probe for colorectal ca liver mets');
    expect(habib).toMatchObject({ intent: 'how_to_code', match: 'partial', guidance: ['IPG211'] });
    expect(habib.notices.join(' ')).toMatch(/does not mention .*"colorectal"/);
    expect(ask('liver resection with habib for bowel cancer metastases')).toMatchObject({ guidance: ['IPG211'] });
  });

  it('reads a prostatectomy or cystectomy as an operation on that organ, either of a title\'s alternatives', () => {
    // IPG258: "... during radical prostatectomy or radical cystectomy". Had been the laparoscopic
    // prostatectomy page, which does not mention cell salvage.
    expect(ask('red cell salvage at prostatectomy for prostate ca')).toMatchObject({ answered: true, guidance: ['IPG258'] });
    expect(ask('cell saver in a cystectomy for bladder cancer')).toMatchObject({ answered: true, guidance: ['IPG258'] });
  });

  it('takes help asked with a named procedure\'s codes as a question about them', () => {
    // Had been the help text, or a partial match that "does not mention 'help'".
    expect(ask('can you help me code a SILC please')).toMatchObject({ intent: 'how_to_code', match: 'full', guidance: ['IPG346'] });
    expect(ask('help me code TAVI')).toMatchObject({ match: 'full', guidance: ['IPG421'] });
    expect(ask('can you help me with coding?').intent).toBe('help');
  });

  it('does not read an operation as another that differs by two letters', () => {
    // "sterilisation" had been corrected to "stabilisation": non-rigid spinal stabilisation (IPG366), a full match.
    expect(ask('hysteroscopic sterilisation')).toMatchObject({ answered: false, codes: [], guidance: [] });
  });

  it('reads past greetings and apologies in a coding question', () => {
    // Had been partial matches that "do not mention 'morning', 'quick'".
    expect(ask('morning! quick one - codes for perc RFA liver mets?')).toMatchObject({ match: 'full', guidance: ['IPG327'] });
    expect(ask('sorry to bother you but how do I code a lap chole').match).toBe('full');
  });

  it('reads past sizes and the way it was done ("3cm", "en bloc", "route")', () => {
    // Each had been "not covered" or a partial match for these words alone.
    expect(ask('ESD of 3cm gastric lesion, en bloc, codes?')).toMatchObject({ match: 'full', guidance: ['IPG360'] });
    expect(ask('Pt 82F, TAVI via transfemoral route for severe AS, how to code')).toMatchObject({ match: 'full', guidance: ['IPG421'] });
  });

  it('does not let history in the question ("hx of rectal ca resected 2019") spoil a match', () => {
    const r = ask('pt had perc RFA to liver mets, hx of rectal ca resected 2019 - codes?');
    expect(r).toMatchObject({ match: 'full', guidance: ['IPG327'] });
    expect(r.codes.map((c) => c.code)).toContain('J12.4');
    // Nor what was ruled out: "not fit for resection" is not a resection.
    expect(ask('perc RFA liver mets, not fit for resection')).toMatchObject({ match: 'full', guidance: ['IPG327'] });
  });

  it('gives no codes for a procedure done for a condition it has no word for, when its guidance is for another', () => {
    // The only DBS guidance is for chronic pain; Parkinson's is not a word codebot knows.
    expect(ask("DBS for Parkinson's")).toMatchObject({ match: 'none', codes: [] });
    expect(ask('DBS for chronic pain').guidance).toEqual(['IPG382']);
  });

  it('never answers about what was ruled out', () => {
    const r = ask('not fit for TAVI, balloon valvuloplasty?');
    expect(r.guidance).not.toContain('IPG421');
    expect(r.codes).toEqual([]);
  });

  it('never lets an aside hide what the procedure was for', () => {
    // With nothing else named, the condition in the history is the indication: not colorectal mets.
    for (const q of ['hx of HCC, now RFA', 'known HCC for RFA']) expect(ask(q).guidance, q).not.toContain('IPG327');
  });

  it('reads radical, intractable and end stage as describing the case, not as the procedure', () => {
    expect(ask('radical laparoscopic nephrectomy codes').guidance).toEqual(['IPG136']);
    expect(ask('TMLR for intractable angina').guidance).toEqual(['IPG301']);
    expect(ask('miniature telescope implant for end-stage AMD').guidance).toEqual(['IPG272']);
  });

  it('ignores a spinal level such as L5/S1', () => {
    const r = ask('IDET at L5/S1 under fluoroscopy');
    expect(r.match).toBe('full');
    expect(r.guidance[0]).toBe('IPG319');
  });

  it('gives no codes when what was treated is a word it does not know and many guidance share the procedure', () => {
    const r = ask('laser for QZXW codes');
    expect(r).toMatchObject({ match: 'none', codes: [] });
  });

  it('reads a joint named with "replacement" or "arthroplasty" as that joint replaced', () => {
    expect(ask('wrist arthroplasty codes').guidance).toEqual(['IPG271']);
    expect(ask('finger joint replacement').guidance).toEqual(['IPG110']);
    // A wrist is not a finger joint, either way round.
    expect(ask('wrist arthroplasty codes').guidance).not.toContain('IPG110');
    expect(ask('finger joint replacement').guidance).not.toContain('IPG271');
  });

  it('reads coronary vessels as the heart, and the coronary sinus as the heart, not an artery', () => {
    expect(ask('CABG x3 to LAD and RCA, off pump').guidance).toEqual(['IPG377']);
    expect(ask('perc mitral annuloplasty via the coronary sinus').guidance).toEqual(['IPG352']);
  });

  it('never answers from a guidance that lacks the procedure named first, whatever else it shares', () => {
    // Corneal transplantation (IPG304) shares the graft, not the PRK.
    const r = ask('PRK after a corneal graft');
    expect(r.guidance).not.toContain('IPG304');
    expect(r.codes.filter((c) => c.guidance === 'IPG304')).toEqual([]);
  });

  it('gives the primary code near-tied guidance agree on, and asks which procedure for the rest', () => {
    const r = ask('necrosectomy of the pancreas - codes?');
    expect(r.answered).toBe(true);
    expect(r.codes.map((c) => c.code)).toEqual(['J57.6']);
    expect(r.citations.map((c) => c.guidance).sort()).toEqual(['IPG384', 'IPG411']);
    expect(r.clarify?.options.map((o) => o.label)).toEqual(['Percutaneous retroperitoneal endoscopic necrosectomy (IPG384)', 'Endoscopic transluminal pancreatic necrosectomy (IPG411)']);
    // Guidance that disagree on the primary code are asked about, with no code guessed.
    const esd = ask('ESD');
    if (!esd.answered) expect(esd.codes).toEqual([]);
  });

  it('carries the conversation’s procedure to a follow-up that names only where ("and the same for ...")', async () => {
    const say = chat();
    expect((await say('codes for endoscopic submucosal dissection of a stomach lesion')).guidance).toEqual(['IPG360']);
    // Words the conversation's guidance has ("clip") keep the conversation there.
    const clip = await say('the defect was clipped');
    expect(clip.guidance).toEqual(['IPG360']);
    expect(clip.codes.map((c) => c.code)).toContain('Y07.2');
    expect((await say('what about the same for a lesion in the caecum?')).guidance).toEqual(['IPG335']);
  });

  it('reads Doppler as ultrasound guidance, and picks the main group, not an add-on, for the procedure named', () => {
    const r = ask('haemorrhoidal artery ligation with a doppler probe - codes?');
    expect(r.match).toBe('full');
    expect(r.codes.map((c) => c.code)).toEqual(expect.arrayContaining(['L70.3', 'Y53.2']));
    // The page's add-on codes come with it, as an addition, never as an alternative.
    expect(r.codes.map((c) => c.code)).toContain('H53.8');
    expect(plainText(r)).toMatch(/In addition, where it applies/);
    expect(plainText(r)).not.toMatch(/Option 2/);
  });

  it('answers two procedures from one guidance each with its own group (segment and wedge)', () => {
    const r = ask('laparoscopic segment resection and a laparoscopic wedge resection of the liver, same operation');
    expect(r.guidance).toEqual(['IPG135']);
    expect(r.codes.map((c) => c.code)).toEqual(expect.arrayContaining(['J02.3', 'J02.4']));
  });

  it('lists the guidance on a procedure when asked which IPGs cover it, or whether there is one', () => {
    const r = ask('which IPGs cover electroporation?');
    expect(r.title).toMatch(/^Guidance loaded on/);
    expect(r.guidance).toEqual(expect.arrayContaining(['IPG444', 'IPG445']));
    expect(ask('is there an IPG for TAVI?')).toMatchObject({ intent: 'guidance_summary', guidance: ['IPG421'] });
    expect(ask('is there any guidance on carpal tunnel release')).toMatchObject({ answered: false, codes: [] });
  });

  it('reads ONS as occipital nerve stimulation, and never "one" as ONS', async () => {
    expect(ask('ONS codes').guidance).toEqual(['IPG452']);
    const say = chat();
    await say('codes for percutaneous retroperitoneal endoscopic necrosectomy');
    const r = await say('what did this one replace?');
    expect(r.intent).toBe('guidance_summary');
    expect(r.guidance).toEqual(['IPG384']);
  });

  it('quotes no rule about a procedure no guidance covers, even when another page’s rule shares a word', () => {
    const r = ask('why would an AAA repair need a supplementary code?');
    expect(r).toMatchObject({ answered: false, match: 'none', codes: [] });
  });

  it('answers from a guidance that names no condition whatever the procedure was done for, saying so', () => {
    const r = ask('Habib 4X assisted left hemihepatectomy for CRLM');
    expect(r.guidance).toEqual(['IPG211']);
    expect(r.match).toBe('partial');
    expect(r.codes.map((c) => c.code)).toContain('Y11.4');
  });

  it('reads "from a rectal primary" as where liver metastases came from, not primary liver cancer', () => {
    expect(ask('RFA to liver mets from a rectal primary')).toMatchObject({ match: 'full', guidance: ['IPG327'] });
  });

  it('answers one procedure at two sites from the guidance for each site', () => {
    const r = ask('two ESDs on one list: one in the stomach, the other in the caecum - codes for both');
    expect(r.guidance).toEqual(['IPG360', 'IPG335']);
    expect(r.codes.map((c) => c.code)).toEqual(expect.arrayContaining(['G42.1', 'H20.5']));
  });

  it('is not contradicted by an alternative the title offers, or by the route it names', () => {
    // "for primary or metastatic liver cancer", "via ... hepatic artery perfusion".
    const r = ask('chemosaturation for uveal melanoma liver metastases');
    expect(r.guidance).toEqual(['IPG488']);
    expect(r.match).toBe('partial');
    expect(r.unmatched).toContain('melanoma');
  });

  it('reads where metastases came from as an aside, and goes on from the best of tied guidance', async () => {
    const say = chat();
    const first = await say('PDT for lung cancer - codes?');
    expect(first.codes.map((c) => c.code)).toContain('E48.7');
    const r = await say('histology says the lung lesion is a secondary from the kidney - which diagnosis code?');
    expect(r.answered).toBe(true);
    expect(r.codes.map((c) => c.code)).toContain('C78.0');
  });

  it('asks which procedure when a question names only an organ that several guidance treat', () => {
    const r = ask('codes for the colon');
    expect(r.codes).toEqual([]);
    expect(r.clarify?.options.length).toBeGreaterThan(1);
  });

  it('quotes a note on the asked code from guidance on the same procedure, saying where it comes from', async () => {
    const say = chat();
    expect((await say('radical laparoscopic nephrectomy codes')).guidance).toEqual(['IPG136']);
    const r = await say('does the 4th character of M02 matter');
    expect(r.guidance).toEqual(['IPG136', 'IPG414']);
    expect(plainText(r)).toMatch(/IPG136 has no note on this code/);
    expect(plainText(r)).toMatch(/Another loaded guidance has a note on it: IPG414[\s\S]*fourth character must be selected/);
  });
});

describe('a procedure named with "codes"', () => {
  it.each(['codes: IRE of liver mets', 'irreversible electroporation for liver metastases, codes?', 'IRE liver mets - opcs codes please'])(
    '%s is read as how to code it',
    (q) => {
      const r = ask(q);
      expect(r.intent).toBe('how_to_code');
      expect(r.guidance).toEqual(['IPG445']);
    },
  );

  it('stays a search when said with a search word', () => {
    expect(ask('list codes containing stent').intent).toBe('code_lookup');
  });
});
