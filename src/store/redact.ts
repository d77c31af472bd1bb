// Patient identifiers out of anything we store, log, report or read for meaning: NHS numbers
// (however they are grouped or spaced), dates that look like dates of birth, UK postcodes,
// hospital numbers named as such, and names after a title ("Mrs Jane Smith").

export type IdentifierKind = 'nhs_number' | 'date' | 'postcode' | 'hospital_number' | 'name';

export interface Redacted {
  text: string;
  found: IdentifierKind[];
}

/** The placeholders redaction leaves, which nothing downstream should read as words. */
export const PLACEHOLDERS: Record<IdentifierKind, string> = {
  nhs_number: '[NHS number]',
  date: '[date]',
  postcode: '[postcode]',
  hospital_number: '[hospital number]',
  name: '[name]',
};
export const PLACEHOLDER_PATTERN = /\[(?:NHS number|date|postcode|hospital number|name)\]/g;

/** Modulus 11 check: weights 10..2 over the first nine digits; 11 -> 0, 10 -> invalid. */
export function validNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  if (check === 10) return false;
  return check === Number(digits[9]);
}

// What copy and paste puts between digit groups: any Unicode space (\s covers no-break and thin
// spaces), zero-width characters, dots, hyphens and dashes.
const SEP = '[\\s\\u200b-\\u200d\\u2060.\\-\\u2010-\\u2015]';
/** A run of digit groups joined by at most three separator characters each. */
const DIGIT_RUN = new RegExp(`(?<![\\d])\\d+(?:${SEP}{1,3}\\d+)*(?![\\d])`, 'g');
/** "NHS number", "NHS no.": what follows is an NHS number even with a mistyped check digit. */
const NHS_CONTEXT = /\bnhs\s*(?:number|no\b\.?|num\b|#)\s*[:=]?\s*$/i;

function redactNhsNumbers(text: string, found: Set<IdentifierKind>): string {
  return text.replace(DIGIT_RUN, (run: string, offset: number) => {
    const groups: Array<{ start: number; end: number; digits: string }> = [];
    for (const m of run.matchAll(/\d+/g)) groups.push({ start: m.index, end: m.index + m[0].length, digits: m[0] });
    const named = NHS_CONTEXT.test(text.slice(Math.max(0, offset - 30), offset));
    let out = '';
    let from = 0;
    let i = 0;
    while (i < groups.length) {
      // Consecutive groups making exactly ten digits, however they are grouped (3-3-4, 2-2-2-2-2, 3-4-3).
      let digits = '';
      let j = i;
      while (j < groups.length && digits.length < 10) digits += groups[j++]!.digits;
      if (digits.length === 10 && (validNhsNumber(digits) || (named && i === 0))) {
        out += run.slice(from, groups[i]!.start) + PLACEHOLDERS.nhs_number;
        from = groups[j - 1]!.end;
        found.add('nhs_number');
        i = j;
      } else i++;
    }
    return out + run.slice(from);
  });
}

const MONTHS = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const DAY = '(?:0?[1-9]|[12]\\d|3[01])';
const MONTH_NUM = '(?:0?[1-9]|1[0-2])';
const DATES = [
  // 01/02/1960, 1-2-60, 01.02.1960
  new RegExp(`(?<![\\d])${DAY}\\s?[/.-]\\s?${MONTH_NUM}\\s?[/.-]\\s?(?:\\d{4}|\\d{2})(?![\\d])`, 'g'),
  // 1960-02-01, 1967/09/10, 1967.09.10
  new RegExp(`(?<![\\d])(?:19|20)\\d{2}\\s?[/.-]\\s?${MONTH_NUM}\\s?[/.-]\\s?${DAY}(?![\\d])`, 'g'),
  // 1 Feb 1960, 1st February 1960, 12th of March 1969, 8 Feb 66
  new RegExp(`(?<![\\d])${DAY}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTHS}\\.?,?\\s+(?:(?:19|20)\\d{2}|'?\\d{2})(?![\\d])`, 'gi'),
  // February 7, 1965; Feb 7th 1965
  new RegExp(`\\b${MONTHS}\\.?\\s+${DAY}(?:st|nd|rd|th)?,?\\s+(?:(?:19|20)\\d{2}|'\\d{2})(?![\\d])`, 'gi'),
];
// UK postcodes: outward code (A9, A99, A9A, AA9, AA99, AA9A) and inward code (9AA).
const POSTCODE = /\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)[\s\u200b]?\d[A-Z]{2}\b/gi;
// A hospital, unit or case-note number, or an MRN, named as such: the identifier after the name.
const HOSPITAL_NUMBER =
  /\b(?:(?:hospital|hosp|patient|pt|unit|case\s?notes?|medical\s+records?|record|k)\.?\s*(?:number|no\b\.?|num\b|#|id\b)|MRN|RTX|PAS\s*(?:number|no\b\.?|id\b))\s*[:#=.-]?\s*(?=[A-Z]{0,4}\s?\d)[A-Z]{0,4}\s?\d[\dA-Z/-]{2,}/gi;
// A name after a title, written as a name is written: "Mrs Jane Smith", "Dr O'Brien", "Mr Smith-Jones".
const NAME = /\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame)\.?\s+[A-Z][a-zA-Z'’-]+(?:\s+[A-Z][a-zA-Z'’-]+){0,2}/g;

export function redact(text: string): Redacted {
  const found = new Set<IdentifierKind>();
  const sub = (re: RegExp, kind: IdentifierKind) => (s: string) =>
    s.replace(re, () => {
      found.add(kind);
      return PLACEHOLDERS[kind];
    });
  let out = sub(HOSPITAL_NUMBER, 'hospital_number')(text);
  // NHS numbers before dates: a date pattern must never take part of one and leave the rest.
  out = redactNhsNumbers(out, found);
  for (const re of DATES) out = sub(re, 'date')(out);
  // An OPCS-4 or ICD-10 code is never taken for a postcode: codes have no inward part ("9AB").
  out = sub(POSTCODE, 'postcode')(out);
  out = sub(NAME, 'name')(out);
  return { text: out, found: [...found] };
}

export const IDENTIFIER_REMINDER =
  'Please do not share patient identifiers (NHS numbers, hospital numbers, names, dates of birth, postcodes) in chat: they were removed before anything was stored or logged.';
