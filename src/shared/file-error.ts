/** A data file (knowledge, vocabulary, training utterances) refused at load: which file, line and field, and why. */
export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly field: string | null,
    detail: string,
  ) {
    super(`${file}${line === null ? '' : `:${line}`}${field ? ` (${field})` : ''}: ${detail}`);
    this.name = 'DataFileError';
  }
}
