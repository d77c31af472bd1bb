// From page text to a validated entry: header or inference for id, title, url and completeness,
// then the overrides file for pages the parser reads wrongly.

import { parsePage, PageError } from './parse.js';
import { EntrySchema, type Entry, type Override, type Span } from './schema.js';

export interface BuildOptions {
  /** Used when the page has no header naming its id. */
  id?: string;
  overrides?: Override[];
}

function inferId(text: string): string | undefined {
  const m =
    /interventional procedures? guidance \[(IPG\d+)\]/i.exec(text) ??
    /nice\.org\.uk\/guidance\/(ipg\d+)/i.exec(text);
  return m ? m[1]!.toUpperCase() : undefined;
}

function inferTitle(text: string, bodyStart: number): Span | undefined {
  const m = /has issued full guidance to the NHS in [^.]*? on ([^\n]+?)\.(?:\s|$)/.exec(text.slice(bodyStart));
  if (!m) return undefined;
  const start = bodyStart + m.index + m[0].indexOf(m[1]!);
  return { text: m[1]!, start, end: start + m[1]!.length };
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): boolean {
  const parts = path.split('.');
  let node: unknown = target;
  for (const p of parts.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<string, unknown>)[p];
  }
  const last = parts.at(-1)!;
  if (node === null || typeof node !== 'object' || !(last in (node as object))) return false;
  (node as Record<string, unknown>)[last] = value;
  return true;
}

export function buildEntry(text: string, file: string, opts: BuildOptions = {}): Entry {
  const { entry, header } = parsePage(text, file);
  const bodyStart = header?.bodyStart ?? 0;
  const id = (header?.ipg?.text ?? opts.id ?? inferId(text))?.toUpperCase();
  if (!id) throw new PageError(file, null, 'cannot tell which guidance this is: give --id IPGnnn');
  if (!/^IPG\d+$/.test(id)) throw new PageError(file, null, `"${id}" is not a guidance id like IPG327`);
  const title = header?.title ?? inferTitle(text, bodyStart);
  if (!title) throw new PageError(file, null, 'cannot find the guidance title: give --title "..." (with --id), or add a header block with "title:"');
  const completeText = header?.complete?.text.toLowerCase();
  const full = {
    ...entry,
    id,
    source: file.replace(/^.*\//, ''),
    url: header?.url?.text ?? `https://www.nice.org.uk/guidance/${id.toLowerCase()}`,
    title,
    // Without a header nobody has said the capture is whole, so it is not claimed.
    complete: completeText === undefined ? false : completeText === 'yes' || completeText === 'true',
  };
  for (const o of opts.overrides ?? []) {
    if (o.id !== id) continue;
    if (!setPath(full as unknown as Record<string, unknown>, o.path, o.value)) {
      throw new PageError(file, null, `override for ${id} names a path that does not exist: ${o.path}`);
    }
    full.overrides.push(o.reason);
  }
  const parsed = EntrySchema.safeParse(full);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PageError(file, null, `entry field ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}
