// code_check: the coder's codes, in their order, against what the guidance states.

import { covers, sameCode, type CodeMatch } from '../../knowledge/codes.js';
import type { LoadedEntry } from '../../knowledge/load.js';
import type { CodeItem, Group, RuleCode } from '../../knowledge/schema.js';
import { keysOf } from '../../text/analyse.js';
import type { CheckItem } from '../reply.js';
import { chooseGroup, resolveGuidance, type Turn } from '../turn.js';
import { askWhich, entryName, NOT_COVERED, notFound } from './common.js';

type Stated = { code: CodeItem | RuleCode; group: number | null };

function statedCodes(le: LoadedEntry): Stated[] {
  const out: Stated[] = [];
  le.entry.groups.forEach((g, gi) => g.items.forEach((i) => i.type === 'code' && out.push({ code: i, group: gi })));
  for (const r of le.entry.rules) for (const c of r.codes) out.push({ code: c, group: null });
  return out;
}

function satisfied(item: CodeItem, g: Group, user: CodeMatch[]): boolean {
  const hit = (c: CodeItem) => user.some((u) => sameCode(c, u) || covers(c, u));
  if (hit(item)) return true;
  // An item is met by any of its alternatives ("Y75.2 ... or Y75.4 ...").
  return g.items.some(
    (o) => o.type === 'code' && ((o.alternativeTo !== null && g.items[o.alternativeTo] === item) || (item.alternativeTo !== null && g.items[item.alternativeTo] === o)) && hit(o),
  );
}

/** "C78.7 ... and a code from C18.-" needs both; "C22.0 ... or C78.7" needs one of them. */
function requiredSets(text: string, start: number, codes: RuleCode[]): RuleCode[][] {
  const sets: RuleCode[][] = [];
  codes.forEach((c, i) => {
    const prev = codes[i - 1];
    const between = prev ? text.slice(prev.end - start, c.start - start) : '';
    if (prev && /\bor\b/i.test(between) && !/\band\b/i.test(between)) sets.at(-1)!.push(c);
    else sets.push([c]);
  });
  return sets;
}

export function codeCheck(turn: Turn): void {
  const { kb, u, draft: d } = turn;
  const user = u.codes.length > 0 ? u.codes : [];
  if (user.length === 0) {
    d.answered = false;
    d.title = 'Which codes?';
    d.text('Give me the codes you chose and the procedure, e.g. "J12.4 Y53.9 C78.7 for perc RFA of liver mets: correct?"');
    return;
  }
  const r = resolveGuidance(turn, { codes: user });
  let others: LoadedEntry[] = [];
  let le: LoadedEntry;
  if (r.kind === 'ambiguous') {
    // The coder's codes say which of the pages that fit ("is E85.2 right for ECMO", two ECMO pages):
    // the one that states them; when none does, the check against the first says so for all.
    const lists = (x: LoadedEntry) => statedCodes(x).some((s) => user.some((c) => sameCode(s.code, c) || covers(s.code, c)));
    const stating = r.entries.filter(lists);
    if (stating.length > 1) return askWhich(turn, stating, (x) => `check ${user.map((c) => c.code).join(' ')} against ${x.entry.id}`);
    le = stating[0] ?? r.entries[0]!;
    if (stating.length === 0) others = r.entries.slice(1);
  } else if (r.kind === 'none') return notFound(turn, r, 'a check of these codes');
  else le = r.entry;
  const e = le.entry;
  if (others.length > 0) {
    d.notice(`${others.map((o) => entryName(o)).join('; ')} ${others.length === 1 ? 'also fits' : 'also fit'} the question, and ${others.length === 1 ? 'it does' : 'they do'} not list ${user.map((c) => c.code).join(' or ')} either.`);
  }
  d.answered = true;
  d.title = `Checking ${user.map((c) => c.code).join(' ')} against ${entryName(le)}`;
  d.cite(le, e.coding.start, e.coding.end);
  const stated = statedCodes(le);

  const check: CheckItem[] = user.map((c) => {
    const exact = stated.find((s) => sameCode(s.code, c));
    if (exact) {
      const rc = d.code(le, exact.code);
      return { code: c.code, verdict: 'confirmed', matched: rc.code, guidance: e.id, note: `${e.id} states ${rc.code}${rc.title ? ` ${rc.title}` : ''} (${rc.role}).` };
    }
    const cat = stated.find((s) => covers(s.code, c));
    if (cat) {
      const rc = d.code(le, cat.code);
      return {
        code: c.code,
        verdict: 'covered',
        matched: rc.code,
        guidance: e.id,
        note: `${e.id} gives the category ${rc.code}${rc.title ? ` ${rc.title}` : ''}; ${c.code} falls within it. The guidance does not name ${c.code} itself.`,
      };
    }
    const elsewhere = kb.lookup(c);
    const where = [...new Set(elsewhere.exact.map((o) => o.id))];
    if (where.length > 0) {
      return { code: c.code, verdict: 'not_in_guidance', matched: null, guidance: null, note: `not in ${e.id}; the loaded guidance uses it in ${where.slice(0, 4).join(', ')}.` };
    }
    return { code: c.code, verdict: 'unknown', matched: null, guidance: null, note: `not in ${e.id} nor anywhere in the loaded guidance.` };
  });
  d.check = check;

  // A code with an "or" beside it in the guidance, where the question's words fit the other one
  // better ("hand assisted" against Y75.2 or Y75.4): say which the guidance gives for that.
  const asked = new Set(turn.u.terms.filter((t) => t.category !== 'coding').map((t) => t.key));
  const fit = (title: string | null) => (title ? [...keysOf(title)].filter((k) => asked.has(k)).length : 0);
  for (const g of e.groups) {
    g.items.forEach((item, i) => {
      if (item.type !== 'code' || !user.some((c) => sameCode(item, c))) return;
      for (const [j, alt] of g.items.entries()) {
        if (alt.type !== 'code' || j === i || user.some((c) => sameCode(alt, c))) continue;
        if (alt.alternativeTo !== i && item.alternativeTo !== j) continue;
        if (fit(alt.title) > fit(item.title)) {
          d.cite(le, alt.start, alt.end);
          const ra = d.code(le, alt);
          d.notice(`${e.id} gives ${ra.code} ${ra.title ?? ''} as the alternative to ${item.code}, and your question's words fit it better: check which applies.`);
        }
      }
    });
  }

  // Codes the guidance lists that none of the user's codes meet: from the best-matching group.
  // The group for the approach the question names ("perc"), else the one the codes fit best.
  const byApproach = chooseGroup(le, turn.u.terms).index;
  // The question's words pick a group ("rigid scope") whose primary code the user did not give,
  // while their primary code is from another group ("fibreoptic"): say which the guidance gives.
  if (byApproach !== null) {
    const primaries = (g: (typeof e.groups)[number]) => g.items.filter((i): i is CodeItem => i.type === 'code' && /^primary/.test(i.role));
    const picked = e.groups[byApproach]!;
    const inPicked = primaries(picked).some((p) => user.some((c) => sameCode(p, c) || covers(p, c)));
    const elsewhere = e.groups.some((g, gi) => gi !== byApproach && primaries(g).some((p) => user.some((c) => sameCode(p, c))));
    if (!inPicked && elsewhere && primaries(picked).length > 0) {
      const codes = primaries(picked).map((p) => {
        d.cite(le, p.start, p.end);
        const rc = d.code(le, p);
        return `${rc.code} ${rc.title ?? ''}`.trim();
      });
      d.notice(`Your question's words fit the group of ${e.id} that gives ${codes.join(' or ')} as the primary procedure, not the one your primary code is from: check which applies.`);
    }
  }
  const groupHits = e.groups.map((g) => g.items.filter((i) => i.type === 'code' && satisfied(i, g, user)).length);
  const gi = byApproach ?? (groupHits.length > 0 ? groupHits.indexOf(Math.max(...groupHits)) : -1);
  const missing: Array<CodeItem | RuleCode> = [];
  if (gi >= 0) {
    const g = e.groups[gi]!;
    for (const i of g.items) {
      if (i.type !== 'code' || i.qualifier || i.alternativeTo !== null || satisfied(i, g, user)) continue;
      if (g.choice === 'one-of' && /^primary/.test(i.role) && user.some((c) => g.items.some((o) => o.type === 'code' && /^primary/.test(o.role) && (sameCode(o, c) || covers(o, c))))) continue;
      missing.push(i);
    }
  }
  for (const rule of e.rules.filter((x) => x.kind === 'diagnosis' && x.codes.length > 0 && !x.truncated)) {
    for (const set of requiredSets(rule.text, rule.start, rule.codes.filter((c) => c.system === 'ICD-10'))) {
      if (!set.some((c) => user.some((x) => sameCode(c, x) || covers(c, x)))) missing.push(...set);
    }
  }
  if (missing.length > 0) {
    d.codesBlock(`Also listed by ${e.id} and not in your codes`, missing.map((m) => d.code(le, m)));
  }

  // Sequencing: a method, site or diagnosis code given before the procedure.
  const firstUser = user[0]!;
  const firstStated = stated.find((s) => sameCode(s.code, firstUser) || covers(s.code, firstUser));
  const procedure = stated.find((s) => s.group !== null && /^primary/.test(s.code.role));
  if (firstStated && !/^(primary|procedure)/.test(firstStated.code.role) && procedure && user.length > 1) {
    d.notice(`${firstUser.code} is a ${firstStated.code.role} code in ${e.id}: the procedure code (${procedure.code.code}) should come first.`);
  }
  for (const rule of e.rules.filter((x) => x.kind === 'note' && x.codes.some((c) => user.some((uc) => sameCode(c, uc) || covers(c, uc))))) {
    d.rule(le, rule);
  }
  const verdicts = check.map((c) => c.verdict);
  d.text(
    verdicts.every((v) => v === 'confirmed' || v === 'covered') && missing.length === 0
      ? `All your codes match ${e.id}.`
      : verdicts.some((v) => v === 'not_in_guidance' || v === 'unknown')
        ? `Some of your codes are not what ${e.id} gives. ${NOT_COVERED}`
        : `Your codes match ${e.id} as far as they go; see what else it lists.`,
  );
  d.state = { guidance: e.id, codes: user.map((c) => c.code) };
  d.suggest(`How do I code ${e.title.text.trim()}?`);
}
