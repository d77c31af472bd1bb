// Text as people type it in chat: smart quotes, zero-width characters, odd spaces, emoji.

const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u00ad\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u206f\ufeff]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Mentions and channel pings as chat platforms encode them: never part of a question. */
const MENTIONS = /<[@!#][^<>\s]{0,80}>|<at>[^<]{0,200}<\/at>/gi;

/** NFKC, straight quotes and dashes, no control or invisible characters, single spaces. */
export function normalise(text: string): string {
  return text
    .replace(MENTIONS, ' ')
    .replace(LONE_SURROGATE, '')
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/[\u2018\u2019\u201b\u2032`]/g, "'")
    .replace(/[\u201c\u201d\u201f\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}
