// "Which guidance do you know?", "what do you have on heart procedures?": what is loaded, by
// OPCS-4 chapter, or the guidance on one topic. Lists titles as the pages write them.

import { chaptersNamed, type CatalogueItem } from '../../knowledge/catalogue.js';
import { analyse } from '../../text/analyse.js';
import { hasTopic, topicOf, type Turn } from '../turn.js';
import { entryName, NOT_COVERED } from './common.js';

/** Questions about what codebot covers, rather than about one procedure or code. */
export const COVERAGE =
  /\b(?:which|what)\b[^?.]*\b(?:guidance|guidelines?|pages?|ipgs?|procedures|topics|areas|specialties)\b[^?.]*\b(?:do you|can you|have you|you|are|is)\s+(?:know|have|cover|hold|loaded|covered|support|got)\b|\bwhat (?:do|can) you (?:have|know|cover)\b|\bwhat(?:'s| is| are) (?:loaded|covered|in your knowledge)\b|\b(?:list|show)(?: me)? (?:all |every |the |your )*(?:[a-z]+ ){0,2}(?:guidance|guidelines|ipgs?|pages|procedures|topics)\b|\b(?:do|can) you (?:cover|have|know|do)\s+(?:any\s+)?(?:[a-z]+\s+){0,2}(?:procedures|guidance|guidelines|pages|ipgs|operations|surgery)\b|\bwhat (?:guidance|ipgs?|pages) (?:do you|have you|are there)\b|\bwhat do you know about\b|\b(?:which|what) (?:nice )?(?:guidance|guidelines|ipgs?|pages?) (?:cover|covers|mention|mentions|deal with|deals with|(?:is|are) (?:about|on|there (?:for|on|about)))\b|\b(?:is|are) there (?:an? |any )?(?:nice )?(?:ipgs?|guidance|guidelines?|pages?) (?:for|on|about|covering)\b|\bhow many (?:nice )?(?:ipgs?|guidance|guidelines|pages|procedures)\b/i;

/** Words of a question about what is loaded that name no topic ("how many IPGs are loaded"). */
const NO_TOPIC = /^(?:many|loaded|load|ipgs?|nice)$/i;

const MAX_LISTED = 30;

/** Words that ask about an area in general, not about a procedure in it. */
const GENERAL = /\b(?:procedures?|operations?|surgery|surgical|interventions?|guidance|guidelines?|pages?|topics?|codes?|coding|stuff|things|anything|area|specialty|side)\b/gi;

/** The chapters a question names, when it names nothing narrower ("heart procedures", not "heart valve repair"). */
function onlyChapters(turn: Turn): ReturnType<typeof chaptersNamed> {
  const named = chaptersNamed(turn.u.text, turn.kb.chapters);
  if (named.length === 0) return named;
  let rest = ` ${turn.u.text.toLowerCase()} `;
  for (const c of named) for (const w of [...c.words].sort((a, b) => b.length - a.length)) rest = rest.split(` ${w.toLowerCase()} `).join(' ').replace(new RegExp(`\\b${w}\\b`, 'g'), ' ');
  rest = rest.replace(COVERAGE, ' ').replace(GENERAL, ' ');
  return hasTopic(analyse(rest)) ? [] : named;
}

function line(turn: Turn, item: CatalogueItem): void {
  const le = turn.kb.get(item.id)!;
  turn.draft.cite(le, le.entry.title.start, le.entry.title.end, 'Title');
  turn.draft.text(`  ${entryName(le)}${item.mainCode ? `: ${item.mainCode}` : ''}${item.complete ? '' : ' (captured page incomplete)'}`);
}

export function coverage(turn: Turn): void {
  const { kb, u, draft: d } = turn;
  const groups = kb.catalogue();
  const total = kb.entries.length;
  // A list, not an answer about each page: incomplete pages are marked on their line instead.
  d.listing = true;
  const named = onlyChapters(turn);
  if (named.length > 0) {
    const letters = new Set(named.map((c) => c.letter));
    const items = groups.filter((g) => g.chapter !== null && letters.has(g.chapter)).flatMap((g) => g.items);
    const names = named.map((c) => `${c.title} (OPCS-4 chapter ${c.letter})`).join(', ');
    d.answered = items.length > 0;
    d.title = `Guidance loaded on ${names}`;
    if (items.length === 0) {
      d.text(`None of the ${total} loaded guidance pages has its main procedure code in ${names}. ${NOT_COVERED}`);
      return;
    }
    d.text(`${items.length} of the ${total} loaded guidance pages have their main procedure code in ${names}:`);
    for (const item of items.slice(0, MAX_LISTED)) line(turn, item);
    if (items.length > MAX_LISTED) d.text(`...and ${items.length - MAX_LISTED} more: \`codebot list\` shows them all.`);
    for (const item of items.slice(0, 2)) d.suggest(`Summarise ${item.id}`);
    return;
  }
  const terms = u.terms.filter((t) => !NO_TOPIC.test(u.text.slice(t.start, t.end)));
  if (hasTopic(terms)) {
    const hits = kb.index.search(terms).filter((h) => h.coverage >= 0.5);
    const topic = topicOf({ ...u, terms });
    if (hits.length === 0) {
      d.title = `Nothing loaded on "${topic}"`;
      d.text(`None of the ${total} loaded NICE guidance pages is about "${topic}". ${NOT_COVERED}`);
      d.suggest('Which guidance do you know?');
      return;
    }
    const all = groups.flatMap((g) => g.items);
    d.answered = true;
    d.title = `Guidance loaded on "${topic}"`;
    d.text(`${hits.length} of the ${total} loaded guidance pages match, best first:`);
    for (const h of hits.slice(0, MAX_LISTED)) line(turn, all.find((i) => i.id === h.id)!);
    for (const h of hits.slice(0, 2)) d.suggest(`Summarise ${h.id}`);
    return;
  }
  const incomplete = groups.reduce((n, g) => n + g.items.filter((i) => !i.complete).length, 0);
  d.answered = true;
  d.title = 'Guidance loaded';
  d.text(
    `I have ${total} NICE interventional procedures guidance pages loaded (${incomplete} of them captured incomplete), by the OPCS-4 chapter of each one's main procedure code:`,
  );
  for (const g of groups) {
    const ids = g.items.map((i) => i.id);
    d.text(`  ${g.chapter ? `${g.chapter} ` : ''}${g.title}: ${ids.length} (${ids.slice(0, 8).join(', ')}${ids.length > 8 ? ', ...' : ''})`);
  }
  d.text('Ask "what do you have on <heart, eye, urology...>?" for the titles in one area, or run `codebot list` for every title.');
  const first = groups.find((g) => g.chapter === 'K') ?? groups[0];
  if (first) d.suggest(`What do you have on ${first.title.toLowerCase()} procedures?`);
}
