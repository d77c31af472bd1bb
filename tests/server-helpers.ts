// Starting the real server (compiled, as `npm start` runs it) on an ephemeral port.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './helpers.js';

export interface Running {
  proc: ChildProcess;
  base: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  stop: () => Promise<number | null>;
  /**
   * Waits until the server has logged `count` lines that `match` (parsed JSON lines), and returns
   * them: a negative assertion waits for the server to say it decided, never for a fixed time.
   */
  waitForLog: (match: (line: Record<string, unknown>) => boolean, count?: number, timeoutMs?: number) => Promise<Array<Record<string, unknown>>>;
}

/** The JSON log lines in a server's output that `match`. */
export function logLines(out: string, match: (line: Record<string, unknown>) => boolean): Array<Record<string, unknown>> {
  return out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter(match);
}

const BASE_ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', LOG_LEVEL: 'info' };

let dbs = 0;
/** A fresh database file per server unless the test gives one. */
export function tempDb(): string {
  return path.join(tmpdir(), `codebot-test-${process.pid}-${Date.now()}-${++dbs}`, 'codebot.db');
}

/** The Node flags `npm start` gives the server (package.json's start script): tests and the bench run it the same way. */
export const START_FLAGS: string[] = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start
  .split(/\s+/)
  .filter((a) => a.startsWith('--'));

export function startServer(env: Record<string, string> = {}): Promise<Running> {
  const proc = spawn(process.execPath, [...START_FLAGS, path.join(ROOT, 'dist', 'server', 'main.js')], {
    cwd: ROOT,
    env: { ...BASE_ENV, CODEBOT_DB: tempDb(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}\n${err}`)), 15_000);
    const check = () => {
      const m = /ready at (http:\/\/[^ ]+) in/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          proc,
          base: m[1]!,
          stdout: () => out,
          stderr: () => err,
          exited,
          stop: async () => {
            if (proc.exitCode === null) proc.kill('SIGTERM');
            return exited;
          },
          waitForLog: (match, count = 1, timeoutMs = 10_000) =>
            new Promise((done, fail) => {
              const check = () => {
                const found = logLines(out, match);
                if (found.length < count) return false;
                proc.stdout!.off('data', check);
                clearTimeout(timer);
                done(found);
                return true;
              };
              const timer = setTimeout(() => {
                proc.stdout!.off('data', check);
                fail(new Error(`waited ${timeoutMs} ms for ${count} log line(s); output:\n${out.slice(-2000)}`));
              }, timeoutMs);
              if (!check()) proc.stdout!.on('data', check);
            }),
        });
      }
    };
    proc.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      if (!/ready at/.test(out)) reject(Object.assign(new Error(`server exited with ${code}:\n${err}`), { code, stderr: err, stdout: out }));
    });
  });
}

/** Run the server expecting it to refuse to start; returns its exit code and output. */
export async function failToStart(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  try {
    const r = await startServer(env);
    await r.stop();
    throw new Error('server started but should not have');
  } catch (e) {
    const err = e as { code?: number | null; stderr?: string; stdout?: string };
    if (err.stderr === undefined) throw e;
    return { code: err.code ?? null, stderr: err.stderr, stdout: err.stdout ?? '' };
  }
}

export async function directLineAsk(base: string, question: string | { value: unknown }): Promise<Record<string, unknown>[]> {
  const { token } = (await (await fetch(`${base}/directline/tokens/generate`, { method: 'POST' })).json()) as { token: string };
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const conv = (await (await fetch(`${base}/directline/conversations`, { method: 'POST', headers: auth, body: '{}' })).json()) as { conversationId: string };
  const body = typeof question === 'string' ? { type: 'message', text: question, from: { id: 'u1' } } : { type: 'message', value: question.value, from: { id: 'u1' } };
  const post = await fetch(`${base}/directline/conversations/${conv.conversationId}/activities`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
  if (!post.ok) throw new Error(`post failed: ${post.status}`);
  const { id } = (await post.json()) as { id: string };
  for (let i = 0; i < 50; i++) {
    const page = (await (await fetch(`${base}/directline/conversations/${conv.conversationId}/activities?watermark=0`, { headers: auth })).json()) as {
      activities: Record<string, unknown>[];
    };
    const answers = page.activities.filter((a) => a.replyToId === id);
    if (answers.length > 0) return answers;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no answer arrived');
}
