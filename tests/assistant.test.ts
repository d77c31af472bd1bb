import type { Reply as ReplyT } from '../src/assistant/reply.js';
import { describe, expect, it } from 'vitest';
import { ReplySchema, type Reply } from '../src/assistant/reply.js';
import { EMPTY_STATE, type ConversationState } from '../src/shared/conversation.js';
import { MemoryConversationStore, MemoryStore } from '../src/store/memory.js';
import { findPageCodes } from '../src/knowledge/codes.js';
import { assistant, assistantWith } from './helpers.js';
import { TURN_STEPS, type TurnInProgress } from '../src/assistant/assistant.js';
import { deliver } from '../src/assistant/deliver.js';
import { plainText } from '../src/render/plain-text.js';
import { redact } from '../src/store/redact.js';

/** handle() with flood limits off never drops a message. */
async function must(p: Promise<ReplyT | null>): Promise<ReplyT> {
  const r = await p;
  if (!r) throw new Error('message dropped');
  return r;
}

const a = assistant();
const ask = (q: string, state: ConversationState = EMPTY_STATE): Reply => ReplySchema.parse(a.answer(q, state).reply);
const codes = (r: Reply) => r.codes.map((c) => c.code);

/** Principle 1: every code is in the text of a guidance the reply cites, and quotes are exact. */
function expectGrounded(r: Reply): void {
  for (const c of r.codes) {
    expect(r.guidance).toContain(c.guidance);
    const page = a.kb.get(c.guidance)!.page;
    expect(findPageCodes(page).map((m) => m.code)).toContain(c.code);
    if (c.title) expect(page).toContain(c.title);
  }
  for (const cit of r.citations) {
    expect(a.kb.get(cit.guidance)!.page.slice(cit.start, cit.end)).toBe(cit.quote);
  }
}

describe('how to code', () => {
  it('answers the canonical question from IPG327, citing its coding section', () => {
    const r = ask('how do I code percutaneous RFA of liver mets?');
    expect(r.intent).toBe('how_to_code');
    expect(r.answered).toBe(true);
    expect(codes(r)).toEqual(expect.arrayContaining(['J12.4', 'Y53.-', 'Y53.9', 'C78.7', 'C18.-']));
    expect(r.codes.find((c) => c.code === 'J12.4')).toMatchObject({ system: 'OPCS-4', role: 'primary procedure', guidance: 'IPG327' });
    expect(r.codes.find((c) => c.code === 'C78.7')).toMatchObject({ system: 'ICD-10', role: 'diagnosis' });
    expect(r.codes.find((c) => c.code === 'Y53.9')?.role).toMatch(/unspecified/);
    expect(r.citations[0]).toMatchObject({ guidance: 'IPG327', section: 'OPCS4.6 Code(s)', url: 'https://www.nice.org.uk/guidance/ipg327' });
    expect(plainText(r)).toContain('OPCS-4.6');
    expect(plainText(r)).toContain('NHS Classifications Service');
    expectGrounded(r);
  });

  it('leads with the group for the approach asked about', () => {
    const r = ask('open microwave ablation of HCC - which codes?');
    expect(r.guidance[0]).toBe('IPG214');
    expect(r.blocks.find((b) => b.type === 'codes')).toMatchObject({ label: expect.stringMatching(/^Open procedure/) });
    expect(codes(r)).toEqual(expect.arrayContaining(['J03.2', 'Y13.7']));
    expect(codes(r)).not.toContain('J12.7');
    expectGrounded(r);
  });

  it('asks which guidance when several match about equally, instead of guessing', () => {
    const none = ask('how do I code ablation of the liver');
    expect(none.answered).toBe(false);
    expect(none.codes).toEqual([]);
    expect(none.clarify?.options.length).toBeGreaterThan(1);
    // Two that agree on the primary code: that code, and the question of which for the rest.
    const r = ask('how do I code microwave ablation of the liver?');
    expect(r.codes.map((c) => c.code)).toContain('J12.7');
    expect(r.codes.every((c) => c.role.startsWith('primary'))).toBe(true);
    expect(r.clarify?.options.map((o) => o.label)).toEqual(expect.arrayContaining([expect.stringContaining('IPG214'), expect.stringContaining('IPG406')]));
    const chosen = ask(r.clarify!.options.find((o) => o.label.includes('IPG406'))!.value);
    expect(chosen.guidance[0]).toBe('IPG406');
    expect(chosen.answered).toBe(true);
  });

  it('says plainly when the knowledge does not cover a procedure, with no code', () => {
    for (const q of ['how do I code a carpal tunnel release', 'how do I code cryoablation of liver mets', 'codes for radiofrequency ablation of a thyroid nodule']) {
      const r = ask(q);
      expect(r.answered, q).toBe(false);
      expect(r.codes, q).toEqual([]);
      expect(plainText(r), q).toMatch(/NHS Classifications Service/);
    }
  });

  it('warns that an incomplete page is incomplete and points to the full guidance', () => {
    const r = ask('how do I code percutaneous microwave ablation of liver metastases?');
    expect(r.guidance[0]).toBe('IPG406');
    expect(codes(r)).toContain('J12.7');
    expect(r.notices.join(' ')).toMatch(/IPG406 is incomplete.*https:\/\/www\.nice\.org\.uk\/guidance\/ipg406/);
  });

  it('warns when the guidance has no codes for the approach asked about', () => {
    const r = ask('how do I code open RFA of colorectal liver mets');
    expect(r.guidance).toContain('IPG327');
    expect(r.notices.join(' ')).toMatch(/IPG327 gives no codes for an open approach/);
  });

  it('names the Y53 code the knowledge titles for the imaging method asked about', () => {
    const r = ask('How do you code a CT guided radiofrequency ablation of a colorectal liver metastasis?');
    expect(codes(r)).toEqual(expect.arrayContaining(['J12.4', 'Y53.-', 'Y53.3']));
    expect(r.codes.find((c) => c.code === 'Y53.3')!.guidance).toBe('IPG382');
    expectGrounded(r);
  });
});

describe('questions as coders type them', () => {
  it('repairs typos against the words the guidance uses', () => {
    const r = ask('radiofrequncy ablation liver metastases codes');
    expect(r.guidance[0]).toBe('IPG327');
    expect(codes(r)).toContain('J12.4');
  });

  it('does not answer a plain procedure from guidance about an imaging-specific one', () => {
    const plain = ask('how do I code a colonoscopy');
    expect(plain.answered).toBe(false);
    expect(plain.codes).toEqual([]);
    expect(ask('CT colonography codes').guidance[0]).toBe('IPG129');
  });

  it('says when the guidance is about one approach the question did not name', () => {
    const r = ask('mitral valve annuloplasty codes');
    expect(r.guidance[0]).toBe('IPG352');
    expect(r.notices.join(' ')).toMatch(/IPG352 is about the percutaneous procedure/);
  });
});

describe('code lookup', () => {
  it('gives a code title as the NICE text writes it, with every guidance that uses it', () => {
    const r = ask('what is J12.7');
    expect(r.intent).toBe('code_lookup');
    expect(r.codes[0]).toMatchObject({ code: 'J12.7', title: 'Percutaneous microwave ablation of lesion of liver' });
    expect(plainText(r)).toMatch(/IPG214, IPG406/);
    expectGrounded(r);
  });

  it('reports a subcode covered only by its category, without inventing a title', () => {
    const r = ask("what's C18.7?");
    expect(r.answered).toBe(true);
    expect(codes(r)).toEqual(['C18.-']);
    expect(plainText(r)).toMatch(/C18\.7 is not listed by itself.*C18\.- Malignant neoplasm of colon/);
  });

  it('lists the codes of a category', () => {
    const r = ask('look up Y53');
    expect(codes(r)).toEqual(expect.arrayContaining(['Y53.-', 'Y53.2', 'Y53.3', 'Y53.4', 'Y53.7', 'Y53.9']));
  });

  it('says an unknown code is unknown to the loaded guidance', () => {
    const r = ask('what is R10.4');
    expect(r.answered).toBe(false);
    expect(r.codes).toEqual([]);
    expect(plainText(r)).toMatch(/R10\.4 does not appear in the loaded NICE guidance/);
  });

  it('searches code titles by words', () => {
    const r = ask('which codes are there for microwave ablation of the liver?');
    expect(r.intent).toBe('code_lookup');
    expect(codes(r)).toEqual(expect.arrayContaining(['J12.7', 'J08.3']));
    expectGrounded(r);
  });
});

describe('rule explanation', () => {
  it('explains Y53 as a secondary code, quoting the note', () => {
    const r = ask('why do I need a Y53 code?');
    expect(r.intent).toBe('rule_explanation');
    expect(r.blocks.some((b) => b.type === 'rule' && /secondary codes/.test(b.text))).toBe(true);
    expect(codes(r)).toContain('Y53.9');
    expectGrounded(r);
  });

  it('answers Y53.9 when the imaging method is not recorded', () => {
    const r = ask("if the imaging method isn't recorded which Y53 do I use");
    expect(codes(r)).toContain('Y53.9');
  });

  it('explains the extra diagnosis code for colorectal liver metastases', () => {
    const r = ask('why do I have to add a C18 code as well as C78.7 for RFA of colorectal liver mets');
    expect(r.guidance[0]).toBe('IPG327');
    expect(codes(r)).toEqual(expect.arrayContaining(['C78.7', 'C18.-']));
  });
});

describe('rules from conditions on listed codes', () => {
  it('explains a code the list gives only "where necessary"', () => {
    const r = ask('do I always need the Y89 code for SIRT for colorectal liver mets');
    expect(r.intent).toBe('rule_explanation');
    expect(r.guidance[0]).toBe('IPG401');
    expect(r.blocks.some((b) => b.type === 'rule' && /Y89\.- Brachytherapy \(where necessary\)/.test(b.text))).toBe(true);
  });
});

describe('guidance summary', () => {
  it('says what a guidance is about, what it replaces and links to it', () => {
    const r = ask("what's IPG327 about");
    expect(r.intent).toBe('guidance_summary');
    expect(plainText(r)).toMatch(/Interventional Procedures Guidance no\. 92, September 2004/);
    expect(plainText(r)).toContain('https://www.nice.org.uk/guidance/ipg327');
    expect(codes(r)).toEqual(expect.arrayContaining(['J12.4', 'C78.7']));
  });
  it('answers what a guidance superseded first', () => {
    const r = ask('which guidance did IPG327 supersede');
    expect(r.blocks[0]).toMatchObject({ type: 'text', text: expect.stringContaining('It replaces the previous guidance') });
  });
});

describe('code check', () => {
  it('confirms codes, reports a category match and nothing missing', () => {
    const r = ask('I coded J12.4 Y53.9 C78.7 C18.9 for perc RFA of colorectal liver mets, correct?');
    expect(r.intent).toBe('code_check');
    expect(r.check?.map((c) => [c.code, c.verdict, c.matched])).toEqual([
      ['J12.4', 'confirmed', 'J12.4'],
      ['Y53.9', 'confirmed', 'Y53.9'],
      ['C78.7', 'confirmed', 'C78.7'],
      ['C18.9', 'covered', 'C18.-'],
    ]);
    expect(plainText(r)).toMatch(/All your codes match IPG327/);
  });

  it('finds the guidance from the codes alone and lists what is missing', () => {
    const r = ask('check J12.4 C78.7');
    expect(r.guidance[0]).toBe('IPG327');
    const missing = r.blocks.find((b) => b.type === 'codes' && b.label.startsWith('Also listed'));
    expect(missing && missing.type === 'codes' && missing.codes.map((c) => c.code)).toEqual(['Y53.-', 'C18.-']);
  });

  it('flags a code from another guidance and a secondary code given first', () => {
    const r = ask('is Y53.9 J12.7 right for RFA of colorectal liver mets');
    expect(r.check?.find((c) => c.code === 'J12.7')).toMatchObject({ verdict: 'not_in_guidance' });
    expect(r.notices.join(' ')).toMatch(/Y53\.9 is a secondary: image control .*J12\.4\) should come first/);
  });
});

describe('conversation', () => {
  it('follows up on the approach within the same guidance', async () => {
    const store = new MemoryConversationStore();
    const conv = { platform: 'test', channel: 'c1', thread: 't1' };
    const first = await must(a.handle({ text: 'microwave ablation of HCC codes', conversation: conv, user: 'u' }));
    expect(first.guidance[0]).toBe('IPG214');
    void store;
    const lap = await must(a.handle({ text: 'and laparoscopic?', conversation: conv, user: 'u' }));
    expect(lap.guidance[0]).toBe('IPG214');
    expect(codes(lap)).toContain('J08.3');
    expect(codes(lap)).not.toContain('J03.2');
    const why = await must(a.handle({ text: 'why Y53?', conversation: conv, user: 'u' }));
    expect(why.intent).toBe('rule_explanation');
    expect(why.guidance[0]).toBe('IPG214');
    const dx = await must(a.handle({ text: 'what about the diagnosis codes?', conversation: conv, user: 'u' }));
    expect(dx.guidance[0]).toBe('IPG214');
    expect(codes(dx)).toEqual(expect.arrayContaining(['C22.0', 'C78.7']));
  });

  it('takes a number or a place in the list after a choice as that choice', async () => {
    const conv = { platform: 'test', channel: 'c-choice', thread: null };
    const which = await must(a.handle({ text: 'tonsillectomy codes', conversation: conv, user: 'u' }));
    const options = which.clarify!.options;
    expect(options.length).toBe(2);
    // Had been read as a greeting.
    const second = await must(a.handle({ text: '2', conversation: conv, user: 'u' }));
    expect(second.title).toContain(options[1]!.label.replace(/^.*\((IPG\d+)\)$/, '$1'));
    expect(second.answered).toBe(true);
    // The answer offered no choice: a number is no longer one.
    expect((await must(a.handle({ text: '1', conversation: conv, user: 'u' }))).codes).toEqual([]);
    const again = a.answer('tonsillectomy codes');
    expect(a.answer('the first one', again.next).reply.title).toContain(options[0]!.label.replace(/^.*\((IPG\d+)\)$/, '$1'));
    // A number out of range asks again, keeping the choices (had been read as a greeting).
    const nine = a.answer('9', again.next);
    expect(nine.reply).toMatchObject({ title: 'Which one?', codes: [] });
    expect(nine.reply.clarify?.options.length).toBe(2);
    expect(a.answer('2', nine.next).reply.answered).toBe(true);
    // A follow-up that fits one of the choices is about it (had asked "which guidance?" again).
    const dbs = a.answer('DBS');
    expect(a.answer('for chronic pain', dbs.next).reply.guidance).toEqual(['IPG382']);
  });

  it('keeps conversations apart', async () => {
    await must(a.handle({ text: 'microwave ablation of HCC codes', conversation: { platform: 'test', channel: 'c2', thread: null }, user: 'u' }));
    const other = await must(a.handle({ text: 'and laparoscopic?', conversation: { platform: 'test', channel: 'c3', thread: null }, user: 'u' }));
    expect(other.guidance).not.toContain('IPG214');
  });
});

describe('help, smalltalk, out of scope', () => {
  it('never gives codes', () => {
    for (const [q, intent] of [
      ['what can I ask you', 'help'],
      ['good morning', 'smalltalk'],
      ['thank you!', 'smalltalk'],
      ['what time is it', 'out_of_scope'],
      ['how do I reset my NHSmail password', 'out_of_scope'],
    ] as const) {
      const r = ask(q);
      expect(r.intent, q).toBe(intent);
      expect(r.answered, q).toBe(false);
      expect(r.codes, q).toEqual([]);
    }
  });
});

describe('bad input', () => {
  it('answers empty and whitespace-only messages politely', () => {
    for (const q of ['', '   ', '\u200b\u200b']) {
      const r = ask(q);
      expect(r.answered).toBe(false);
      expect(plainText(r)).toMatch(/empty/);
    }
  });
  it('asks to shorten a huge message', () => {
    const r = ask('how do I code RFA '.repeat(500));
    expect(plainText(r)).toMatch(/Please shorten/);
    expect(r.codes).toEqual([]);
  });
  it('survives odd Unicode and markup and still finds the codes', () => {
    const r = ask('<!channel> what is j\u200b12.4 \u{1F600} <@U123> **bold**');
    expect(r.intent).toBe('code_lookup');
    expect(codes(r)).toEqual(['J12.4']);
  });
  it('falls back honestly on nonsense, with suggestions', () => {
    const r = ask('zxq qqq vvv');
    expect(r.answered).toBe(false);
    expect(r.codes).toEqual([]);
  });
});

describe('determinism', () => {
  it('gives the same reply byte for byte', () => {
    const qs = ['how do I code percutaneous RFA of liver mets?', 'look up Y53', 'check J12.4 C78.7', 'microwave ablation of the liver'];
    for (const q of qs) expect(JSON.stringify(ask(q))).toBe(JSON.stringify(ask(q)));
  });
});

describe('more ways coders ask', () => {
  it('lists every guidance when asked which guidance covers a procedure', () => {
    const r = ask('which guidance covers SIRT');
    expect(r.intent).toBe('guidance_summary');
    expect(r.guidance.sort()).toEqual(['IPG401', 'IPG459']);
    // Asked for one summary, it names the other page on the procedure (had left it unsaid).
    const one = ask('summary of SIRT guidance');
    expect(one.guidance).toHaveLength(1);
    const other = one.guidance[0] === 'IPG459' ? 'IPG401' : 'IPG459';
    expect(one.notices.join(' ')).toMatch(new RegExp(`other loaded guidance on the same procedure: ${other}`));
  });

  it('explains how a code is listed when no note gives a rule for it', () => {
    const r = ask('when should I use J12.8');
    expect(r.answered).toBe(true);
    expect(r.guidance).toEqual(['IPG444', 'IPG445']);
    expect(r.codes.map((c) => c.code)).toEqual(['J12.8']);
    expectGrounded(r);
  });
});

describe('a turn as every surface runs it (deliver)', () => {
  const lines: Array<{ level: string; obj: unknown; msg?: string }> = [];
  const log = {
    info: (obj: Record<string, unknown> | string, msg?: string) => lines.push({ level: 'info', obj, msg: typeof obj === 'string' ? obj : msg }),
    error: (obj: Record<string, unknown>, msg?: string) => lines.push({ level: 'error', obj, msg }),
  };
  const msg = (text: string, user = 'u-deliver') => ({ text, conversation: { platform: 'test', channel: 'c-deliver', thread: null }, user });

  it('delivers the reply, then logs it as answered', async () => {
    lines.length = 0;
    const sent: Reply[] = [];
    await deliver(a, msg('what is J12.4'), { reply: async (r) => void sent.push(r), apology: async () => undefined }, log);
    expect(sent).toHaveLength(1);
    expect(lines.map((l) => l.msg)).toEqual(['answered']);
  });

  it('apologises with the reference its log line carries when delivery fails, and does not log it as answered', async () => {
    lines.length = 0;
    const apologies: string[] = [];
    await deliver(a, msg('what is J12.4'), { reply: async () => Promise.reject(new Error('platform down')), apology: async (t) => void apologies.push(t) }, log);
    const ref = /reference ([0-9a-f]{8})/.exec(apologies[0] ?? '')?.[1];
    expect(ref).toBeDefined();
    expect(lines).toEqual([{ level: 'error', obj: expect.objectContaining({ ref }), msg: 'turn failed' }]);
  });

  it('sends one slow-down and then drops a flood, logging each drop', async () => {
    const limited = assistantWith({ limits: { perUser: 1, perWorkspace: 100, windowMs: 60_000 } });
    lines.length = 0;
    const sent: Reply[] = [];
    for (let i = 0; i < 4; i++) await deliver(limited, msg('what is J12.4', 'flooder'), { reply: async (r) => void sent.push(r), apology: async () => undefined }, log);
    expect(sent.map((r) => r.title)).toEqual([expect.stringMatching(/J12\.4/), 'Slow down, please']);
    expect(lines.filter((l) => l.msg === 'flood: message dropped after a slow-down reply')).toHaveLength(2);
  });
});

describe('the turn, step by step', () => {
  it('runs limit, redact, load state, understand, handle, save state and audit, in that order', () => {
    expect(TURN_STEPS.map((s) => s.name)).toEqual(['limit', 'redact', 'load state', 'understand', 'handle', 'save state', 'audit']);
  });

  it('understands, then handles: the intent first, the answer from its handler after, with a reference for its buttons', () => {
    const a = assistant();
    const step = (name: string) => TURN_STEPS.find((x) => x.name === name)!;
    const turn = (text: string): TurnInProgress => ({
      msg: { text, conversation: { platform: 'test', channel: 'c', thread: null }, user: 'u' },
      started: 0,
      key: 'k',
      redacted: redact(text),
      state: EMPTY_STATE,
      next: EMPTY_STATE,
      reply: undefined,
      settled: false,
    });
    const t = turn('why do I need a Y53 code for RFA of liver mets?');
    void step('understand').run(a, t);
    expect(t.understood).toMatchObject({ intent: 'rule_explanation', fallback: false });
    expect(t.reply).toBeUndefined();
    void step('handle').run(a, t);
    expect(t.reply).toMatchObject({ intent: 'rule_explanation', guidance: ['IPG327'] });
    expect(t.reply!.ref).toMatch(/^[\w-]{12}$/);
    expect(t.next.guidance).toBe('IPG327');
    // An empty message is answered by understanding alone; handling only gives it its reference.
    const empty = turn('   ');
    void step('understand').run(a, empty);
    expect(empty.understood).toBeUndefined();
    expect(empty.reply?.title).toBe('Ask me a coding question');
    void step('handle').run(a, empty);
    expect(empty.reply!.ref).toMatch(/^[\w-]{12}$/);
  });

  it('ends the turn at the limit: a slow-down or a dropped message leaves no state and no audit row', async () => {
    const store = new MemoryStore();
    const limited = assistantWith({ store, limits: { perUser: 1, perWorkspace: 100, windowMs: 60_000 } });
    const msg = { text: 'what is J12.4', conversation: { platform: 'test', channel: 'c-steps', thread: null }, user: 'u-steps' };
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await limited.handle(msg));
    expect(replies.map((r) => r?.title ?? null)).toEqual([expect.stringMatching(/J12\.4/), 'Slow down, please', null]);
    expect(await store.auditRows(new Date(0))).toHaveLength(1);
    expect(replies[1]!.ref).toBeNull();
  });
});
