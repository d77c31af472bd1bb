// Line numbers for JSON: a syntax error's position, or where a field that failed validation sits.

export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The line of a syntax error from JSON.parse's message (Node reports a position), if any. */
export function syntaxErrorLine(text: string, err: unknown): number | null {
  const m = /position (\d+)/.exec(String((err as Error)?.message ?? err));
  if (m) return lineAt(text, Number(m[1]));
  const lc = /line (\d+) column/.exec(String((err as Error)?.message ?? err));
  return lc ? Number(lc[1]) : null;
}

/**
 * The line where the value at `path` starts. A small scanner over valid JSON: it skips strings
 * and counts keys and array items, so it needs no second parser.
 */
export function lineOfPath(text: string, path: ReadonlyArray<PropertyKey>): number | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const skipString = () => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
  };
  const skipValue = (): void => {
    ws();
    const c = text[i];
    if (c === '"') return skipString();
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (c === '{') {
          skipString();
          ws();
          i++; // colon
        }
        skipValue();
        ws();
        if (text[i] === ',') i++;
        else {
          i++;
          return;
        }
      }
    }
    while (i < text.length && !/[,\]}\s]/.test(text[i]!)) i++;
  };
  for (const key of path) {
    ws();
    if (text[i] === '{') {
      i++;
      for (;;) {
        ws();
        if (text[i] !== '"') return null;
        const s = i + 1;
        skipString();
        const name = text.slice(s, i - 1);
        ws();
        i++;
        ws();
        if (name === String(key)) break;
        skipValue();
        ws();
        if (text[i] === ',') i++;
        else return null;
      }
    } else if (text[i] === '[') {
      i++;
      const want = Number(key);
      for (let n = 0; n < want; n++) {
        skipValue();
        ws();
        if (text[i] === ',') i++;
        else return null;
      }
      ws();
    } else return null;
  }
  ws();
  return lineAt(text, i);
}
