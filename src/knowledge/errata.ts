// Known errors in the published NICE text (knowledge/errata.json): the page is never changed, the
// answer that uses a wrong code or span says so.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { lineOfPath } from '../text/jsonpos.js';
import { KnowledgeError, validatedJson } from './load.js';

const ErratumSchema = z
  .object({
    id: z.string().regex(/^IPG\d+$/, 'must look like IPG327'),
    /** A code as the knowledge writes it, e.g. "C53.-". */
    code: z.string().regex(/^[A-Z]\d\d(?:\.(?:\d{1,2}|X|-))?$/, 'not a code').optional(),
    /** Or a span of the page text, e.g. "organNOC". */
    span: z.string().min(3).optional(),
    what: z.string().min(10),
    why: z.string().min(10),
  })
  .refine((e) => (e.code === undefined) !== (e.span === undefined), { message: 'give either code or span' });
export type Erratum = z.infer<typeof ErratumSchema>;

const ErrataFileSchema = z.object({ source: z.string().min(20), errata: z.array(ErratumSchema) });

/** The knowledge folder's errata.json (none when it has no such file); checked against the pages. */
export function readErrata(dir: string, pageOf: (id: string) => string | undefined): Erratum[] {
  const file = path.join(dir, 'errata.json');
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const { errata } = validatedJson(file, text, ErrataFileSchema);
  errata.forEach((e, i) => {
    const page = pageOf(e.id);
    if (page === undefined) return;
    const needle = e.span ?? e.code!.replace(/\.-$/, '');
    if (!page.includes(needle)) throw new KnowledgeError(file, lineOfPath(text, ['errata', i]), `errata.${i}`, `"${needle}" is not in the text of ${e.id}`);
  });
  return errata;
}
