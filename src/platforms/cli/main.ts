// The terminal surface: ask, batch, chat and import. It translates arguments and stdin into
// inbound messages and prints replies; everything else happens in the assistant.

import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Assistant, DEFAULT_KNOWLEDGE } from '../../assistant/assistant.js';
import type { Reply } from '../../assistant/reply.js';
import { formatCatalogue } from '../../knowledge/catalogue.js';
import { Knowledge } from '../../knowledge/kb.js';
import { DataFileError } from '../../shared/file-error.js';
import { PageError } from '../../knowledge/parse.js';
import { importPages } from '../../knowledge/store.js';
import { buildReport, formatReport, parseSince } from '../../store/report.js';
import { plainText } from '../../render/plain-text.js';
import { describeTarget, isPostgresUrl, openStore } from '../../store/open.js';

const USAGE = `codebot: answers clinical coding questions from NICE interventional procedures guidance

Usage:
  codebot ask "QUESTION" [--json]     answer one question (--json: the Reply as JSON)
  codebot batch                       questions on stdin, one per line; one Reply JSON per line
  codebot chat                        a conversation in the terminal, with follow-ups
  codebot list [--json]               the loaded guidance, by OPCS-4 chapter of its main procedure code
  codebot import FILE... [--id IPGnnn [--title "..."]]  add NICE guidance pages to the knowledge
  codebot report [--since 7d] [--format text|json|csv] [--db FILE|URL]
                                      what was asked and not answered, intents, helpfulness, latency

Options:
  --knowledge DIR   knowledge folder (default: the repo's knowledge/)
  --db FILE|URL     the server's database for report: a SQLite file or a postgres:// URL
                    (default: CODEBOT_DB, else DATABASE_URL, else ./data/codebot.db)
  --json            JSON output (ask, list; batch always prints JSON)
  -h, --help        this help`;

class UsageError extends Error {}

/** Where the command reads and writes: the process's own streams, or a test's. */
export interface Io {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
}

const processIo = (): Io => ({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });

function render(reply: Reply, json: boolean): string {
  return json ? JSON.stringify(reply) : plainText(reply);
}

function create(knowledge: string): Assistant {
  // One person at a terminal: no flood limits, and nothing kept (an in-memory store).
  return Assistant.create({ knowledgeDir: knowledge, limits: null });
}

async function ask(io: Io, args: string[], knowledge: string, json: boolean): Promise<number> {
  if (args.length === 0) throw new UsageError('ask needs a question, e.g. codebot ask "what is Y53.9?"');
  const assistant = create(knowledge);
  const reply = await assistant.handle({ text: args.join(' '), conversation: { platform: 'cli', channel: 'ask', thread: null }, user: 'cli' });
  if (reply) io.stdout.write(`${render(reply, json)}\n`);
  return 0;
}

function list(io: Io, knowledge: string, json: boolean): number {
  // Only the knowledge is needed: no classifier to train.
  const groups = Knowledge.load(knowledge).catalogue();
  io.stdout.write(`${json ? JSON.stringify({ total: groups.reduce((n, g) => n + g.items.length, 0), chapters: groups }, null, 2) : formatCatalogue(groups)}\n`);
  return 0;
}

async function batch(io: Io, knowledge: string): Promise<number> {
  const assistant = create(knowledge);
  const rl = createInterface({ input: io.stdin, crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    // Each line is its own question (its own conversation), through the same pipeline as the server.
    const reply = await assistant.handle({ text: line, conversation: { platform: 'cli', channel: 'batch', thread: String(++n) }, user: 'cli' });
    if (reply) io.stdout.write(`${JSON.stringify(reply)}\n`);
  }
  return 0;
}

async function chat(io: Io, knowledge: string, json: boolean): Promise<number> {
  const assistant = create(knowledge);
  const conversation = { platform: 'cli', channel: 'chat', thread: String(process.pid) };
  const interactive = io.stdin.isTTY === true;
  if (interactive) {
    io.stdout.write(`codebot: ${assistant.loaded().entries} NICE guidance pages loaded. Ask a coding question ("help" for ideas, "exit" to leave).\n`);
  }
  const rl = createInterface({ input: io.stdin, output: interactive ? (io.stdout as NodeJS.WritableStream) : undefined, prompt: 'you> ', terminal: interactive });
  if (interactive) rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (/^(exit|quit|:q)$/i.test(text)) break;
    if (text.length > 0) {
      const reply = await assistant.handle({ text, conversation, user: 'cli' });
      if (reply) io.stdout.write(json ? `${JSON.stringify(reply)}\n` : `\n${plainText(reply)}\n\n`);
    }
    if (interactive) rl.prompt();
  }
  rl.close();
  return 0;
}

function runImport(io: Io, files: string[], knowledge: string, id: string | undefined, title: string | undefined): number {
  if (files.length === 0) throw new UsageError('import needs at least one NICE page file');
  if (title && !id) throw new UsageError('--title goes with --id: import FILE --id IPGnnn --title "..."');
  const results = importPages(knowledge, files, { ...(id ? { id } : {}), ...(title ? { title } : {}) });
  for (const r of results) {
    io.stdout.write(
      `${r.replaced ? 'updated' : 'added'} ${r.id} ${r.title}: ${r.codes} code mentions${r.complete ? '' : ' (text marked incomplete)'}\n  ${r.page}\n  ${r.entry}\n`,
    );
  }
  return 0;
}

async function runReport(io: Io, sinceText: string, format: string, db: string): Promise<number> {
  if (!['text', 'json', 'csv'].includes(format)) throw new UsageError(`--format must be text, json or csv (got "${format}")`);
  let since: Date;
  try {
    since = parseSince(sinceText);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (!isPostgresUrl(db) && !existsSync(db)) {
    io.stderr.write(`codebot: no database at ${db} (set --db, CODEBOT_DB or DATABASE_URL; the server creates it on first start)\n`);
    return 1;
  }
  const store = await openStore(db).catch((err: Error) => {
    // The message names the database without its password (a URL is never echoed whole).
    throw new Error(`${describeTarget(db)}: ${err.message}`);
  });
  try {
    io.stdout.write(`${formatReport(await buildReport(store, since), format as 'text' | 'json' | 'csv')}\n`);
  } finally {
    await store.close();
  }
  return 0;
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        knowledge: { type: 'string' },
        json: { type: 'boolean', default: false },
        id: { type: 'string' },
        title: { type: 'string' },
        since: { type: 'string', default: '7d' },
        format: { type: 'string', default: 'text' },
        db: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    io.stderr.write(`codebot: ${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return command === undefined && !values.help ? 2 : 0;
  }
  const knowledge = values.knowledge ?? DEFAULT_KNOWLEDGE;
  try {
    switch (command) {
      case 'ask':
        return await ask(io, rest, knowledge, values.json);
      case 'batch':
        return await batch(io, knowledge);
      case 'chat':
        return await chat(io, knowledge, values.json);
      case 'list':
        return list(io, knowledge, values.json);
      case 'import':
        return runImport(io, rest, knowledge, values.id, values.title);
      case 'report':
        // As the server chooses: CODEBOT_DB, else DATABASE_URL, else the default file.
        return await runReport(io, values.since, values.format, values.db ?? io.env.CODEBOT_DB ?? io.env.DATABASE_URL ?? './data/codebot.db');
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`codebot: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof DataFileError || err instanceof PageError) {
      io.stderr.write(`codebot: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
