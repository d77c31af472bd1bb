// Abbreviations the pages define themselves: "ultrasound-guided foam sclerotherapy (UGFS)",
// "Negative pressure wound therapy (NPWT)". A question that uses one is read as if it had the
// words written out. Only where the initials spell the abbreviation, so glosses such as
// "blood vessels (arteries)" are not taken for one.

const SMALL = new Set(['of', 'for', 'the', 'and', 'with', 'in', 'to', 'on', 'a', 'an', 'by', 'or', 'at', 'via']);
/** "(ABBR)": the words before it are read back from there (a plain scan, no backtracking). */
const BRACKETED = /\(([A-Za-z][A-Za-z0-9]{1,9})\)/g;

/**
 * Every word gives its first letter, in order, and may give more from inside it: "ECMO" from
 * extraCorporeal membrane oxygenation, "ECP" from extraCorporeal photopheresis.
 */
function spelledBy(letters: string, words: string[], at = 0, w = 0): boolean {
  if (w === words.length) return at === letters.length;
  const word = words[w]!;
  if (letters[at] !== word[0]) return false;
  // The word's first letter, then any of its inner letters in order, then the next word.
  let next = at + 1;
  if (spelledBy(letters, words, next, w + 1)) return true;
  for (let i = 1; i < word.length && next < letters.length; i++) {
    if (word[i] !== letters[next]) continue;
    next++;
    if (spelledBy(letters, words, next, w + 1)) return true;
  }
  return false;
}

/** Some run of `words` (lower case, small words left out) spells the abbreviation, as a page would define it. */
export function spelledByRun(abbr: string, words: readonly string[]): boolean {
  const letters = abbr.toLowerCase().replace(/[^a-z]/g, '');
  const content = words.filter((w) => w && !SMALL.has(w));
  for (let i = 0; i < content.length; i++) for (let j = i + 1; j <= content.length; j++) if (spelledBy(letters, content.slice(i, j))) return true;
  return false;
}

/** The words before the brackets whose initials spell the abbreviation, or null. */
export function expansionOf(before: string, abbr: string): string | null {
  const letters = abbr.toLowerCase().replace(/[^a-z]/g, '');
  if (letters.length < 2 || (abbr.match(/[A-Z]/g) ?? []).length < 2) return null;
  const words = before.trim().split(/\s+/);
  for (let i = words.length - 1; i >= 0; i--) {
    const phrase = words.slice(i);
    if (SMALL.has(phrase[0]!.toLowerCase())) continue;
    for (const split of [false, true]) {
      const parts = split ? phrase.flatMap((w) => w.split('-')) : phrase;
      const words = parts.filter((w) => !SMALL.has(w.toLowerCase())).map((w) => w.toLowerCase());
      if (words.map((w) => w[0]).join('') === letters || spelledBy(letters, words)) return phrase.join(' ');
    }
  }
  return null;
}

/** Most of the words are in the title: the page defines its own procedure, not a comparator. */
function aboutPage(words: string, title: string): boolean {
  const t = new Set(title.toLowerCase().split(/[^a-z0-9]+/));
  const w = words.toLowerCase().split(/[^a-z0-9]+/).filter((x) => x.length > 2 && !SMALL.has(x));
  return w.length > 0 && w.filter((x) => t.has(x)).length * 2 > w.length;
}

/**
 * Abbreviation (lower case) -> its words, from pages in order; one spelled two ways is left out,
 * and so is one a page defines for something it is not about ("tension-free vaginal tape (TVT)"
 * named as the usual alternative).
 */
export function pageAbbreviations(pages: Array<{ id: string; title: string; text: string }>): Map<string, string> {
  const found = new Map<string, string>();
  const conflicting = new Set<string>();
  for (const p of pages) {
    for (const m of p.text.matchAll(BRACKETED)) {
      const abbr = m[1]!;
      if ((abbr.match(/[A-Z]/g) ?? []).length < 2) continue;
      // Up to ten words before the bracket, on the same line.
      const before = p.text.slice(Math.max(0, m.index - 120), m.index).split('\n').at(-1)!.split(/[^A-Za-z0-9'’-]+(?=[A-Za-z])/).slice(-10).join(' ').replace(/[^A-Za-z0-9'’ -]+/g, ' ');
      const words = expansionOf(before, abbr);
      if (!words || !aboutPage(words, p.title)) continue;
      const key = abbr.toLowerCase();
      const prev = found.get(key);
      if (prev !== undefined && prev.toLowerCase() !== words.toLowerCase()) conflicting.add(key);
      else if (prev === undefined) found.set(key, words);
    }
  }
  for (const k of conflicting) found.delete(k);
  return found;
}

/**
 * Abbreviations coders use that no page defines, read off the titles: a whole run of the title's
 * words between small words ("twin-to-twin transfusion syndrome" in "... for the treatment of
 * twin-to-twin transfusion syndrome", "type 1 diabetes mellitus") whose initials spell three
 * letters or more ("TTTS", "T1DM"). Only whole runs: "artery bypass grafting" is not "ABG". Lower
 * case -> the words and what the pages they are from are about (title and description); one
 * spelled by two runs, or that is a word the pages write in small letters, is left out: only a
 * clear reading is taken. With each, the code categories its pages give ("Y95"), which say which
 * page a question means as well as its words do.
 */
export function titleAcronyms(pages: ReadonlyArray<{ title: string; about: string; codes?: readonly string[] }>, words: ReadonlySet<string>): Map<string, { words: string; about: string[]; codes: string[] }> {
  const found = new Map<string, { words: string; about: string[]; codes: string[] }>();
  const conflicting = new Set<string>();
  for (const { title, about, codes = [] } of pages) {
    for (const run of title.split(RUN_BREAK)) {
      const units = run.trim().split(/\s+/);
      // "prior to emergency caesarean section": the run starts after every joining word.
      while (units.length > 0 && JOINING.has(units[0]!.toLowerCase())) units.shift();
      if (units.length < 2 || !units.every((u) => /^[A-Za-z0-9][A-Za-z0-9'’-]*$/.test(u))) continue;
      const letters = units.flatMap((u) => u.toLowerCase().split('-').filter((p) => p && !SMALL.has(p))).map((p) => p[0]).join('');
      // Three characters or more, two of them letters ("T1DM" has three).
      if (letters.length < 3 || letters.replace(/\d/g, '').length < 2 || words.has(letters)) continue;
      const text = units.join(' ').toLowerCase();
      const prev = found.get(letters);
      if (prev !== undefined && prev.words !== text) conflicting.add(letters);
      else if (prev !== undefined) {
        prev.about.push(about);
        for (const c of codes) if (!prev.codes.includes(c)) prev.codes.push(c);
      } else found.set(letters, { words: text, about: [about], codes: [...codes] });
    }
  }
  for (const k of conflicting) found.delete(k);
  return found;
}

/** Small words and the words that join a procedure to its use: a title's runs of words end at them. */
const JOINING = new Set([...SMALL, 'using', 'during', 'after', 'before', 'prior', 'treating', 'causing', 'excluding', 'following', 'including', 'other', 'from']);
const RUN_BREAK = new RegExp(`[,;:()]|\\s+(?:${[...JOINING].join('|')})\\s+`, 'i');
