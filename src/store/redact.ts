// Patient identifiers out of anything we store or log: NHS numbers (with a valid check digit),
// dates that look like dates of birth, and UK postcodes.

export type IdentifierKind = 'nhs_number' | 'date' | 'postcode';

export interface Redacted {
  text: string;
  found: IdentifierKind[];
}

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

// 10 digits, together or spaced/dashed as 3-3-4, not inside a longer number.
const NHS = /(?<![\d])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d])/g;
const MONTHS = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const DATES = [
  // 01/02/1960, 1-2-60, 01.02.1960
  /(?<!\d)(?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|1[0-2])[/.-](?:\d{4}|\d{2})(?!\d)/g,
  // 1960-02-01
  /(?<!\d)(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?!\d)/g,
  // 1 Feb 1960, 1st February 1960
  new RegExp(`(?<!\\d)(?:0?[1-9]|[12]\\d|3[01])(?:st|nd|rd|th)?\\s+${MONTHS}\\.?,?\\s+(?:19|20)\\d{2}(?!\\d)`, 'gi'),
];
// UK postcodes: outward code (A9, A99, A9A, AA9, AA99, AA9A) and inward code (9AA).
const POSTCODE = /\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s?\d[A-Z]{2}\b/gi;

export function redact(text: string): Redacted {
  const found = new Set<IdentifierKind>();
  let out = text.replace(NHS, (m, a: string, b: string, c: string) => {
    if (!validNhsNumber(`${a}${b}${c}`)) return m;
    found.add('nhs_number');
    return '[NHS number]';
  });
  for (const re of DATES) {
    out = out.replace(re, () => {
      found.add('date');
      return '[date]';
    });
  }
  // An OPCS-4 or ICD-10 code is never taken for a postcode: codes have no inward part ("9AB").
  out = out.replace(POSTCODE, () => {
    found.add('postcode');
    return '[postcode]';
  });
  return { text: out, found: [...found] };
}

export const IDENTIFIER_REMINDER =
  'Please do not share patient identifiers (NHS numbers, dates of birth, postcodes) in chat: they were removed before anything was stored or logged.';
