// Line numbers for JSON: a syntax error's position, or where a field that failed validation sits.
// jsonc-parser reads the positions (strict JSON: no comments, no trailing commas).

import { findNodeAtLocation, parse, parseTree, type ParseError } from 'jsonc-parser';

const STRICT = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };

export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The line of the first syntax error in `text`, or null when it has none. */
export function syntaxErrorLine(text: string): number | null {
  const errors: ParseError[] = [];
  parse(text, errors, STRICT);
  return errors.length > 0 ? lineAt(text, errors[0]!.offset) : null;
}

/** The line where the value at `path` (as zod reports it) starts, or null if the text has no such value. */
export function lineOfPath(text: string, path: ReadonlyArray<PropertyKey>): number | null {
  const tree = parseTree(text, [], STRICT);
  if (!tree) return null;
  const node = findNodeAtLocation(
    tree,
    path.map((k) => (typeof k === 'number' ? k : String(k))),
  );
  return node ? lineAt(text, node.offset) : null;
}
