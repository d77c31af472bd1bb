// The command-line contract: the commands run in process through main() with their own stdin,
// stdout and stderr; one runs as other tools run it, as a subprocess of bin/codebot.js.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReplySchema } from '../src/assistant/reply.js';
import { knowledgeCopy, ROOT, runCli } from './helpers.js';

const BIN = path.join(ROOT, 'bin', 'codebot.js');
const run = runCli;

describe('codebot ask', () => {
  it('prints a readable answer', async () => {
    const r = await run(['ask', 'how do I code percutaneous RFA of liver mets?']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/J12\.4 +Percutaneous radiofrequency ablation of lesion of liver/);
    expect(r.stdout).toMatch(/IPG327/);
  });

  it('prints only the Reply JSON with --json, from any working directory (as a subprocess)', async () => {
    const p = spawnSync(process.execPath, [BIN, 'ask', '--json', 'what is Y53.9?'], { cwd: '/', encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const r = { code: p.status, stdout: p.stdout };
    expect(r.code).toBe(0);
    const reply = ReplySchema.parse(JSON.parse(r.stdout));
    expect(reply.intent).toBe('code_lookup');
    expect(reply.codes[0]!.code).toBe('Y53.9');
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a missing question with usage and exit code 2', async () => {
    const r = await run(['ask']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ask needs a question/);
    expect((await run(['frobnicate'])).code).toBe(2);
  });
});

describe('codebot batch', () => {
  it('prints one Reply JSON per input line, in order', async () => {
    const r = await run(['batch'], 'what is J12.4\n\nhello\nhow do I code a carpal tunnel release\n');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => ReplySchema.parse(JSON.parse(l)));
    expect(lines.map((l) => l.intent)).toEqual(['code_lookup', 'help', 'smalltalk', 'how_to_code']);
    expect(lines[3]!.answered).toBe(false);
  });
});

describe('codebot chat', () => {
  it('carries context between turns', async () => {
    const r = await run(['chat', '--json'], 'microwave ablation of HCC codes\nand laparoscopic?\nexit\nnot read\n');
    expect(r.code).toBe(0);
    const replies = r.stdout.trim().split('\n').map((l) => ReplySchema.parse(JSON.parse(l)));
    expect(replies).toHaveLength(2);
    expect(replies[1]!.guidance[0]).toBe('IPG214');
    expect(replies[1]!.codes.map((c) => c.code)).toContain('J08.3');
  });
});

describe('codebot import and --knowledge', () => {
  it('imports a page into the knowledge folder it is given', async () => {
    const dir = knowledgeCopy();
    const page = path.join(dir, 'pages', 'ipg327.txt');
    const text = readFileSync(page, 'utf8');
    rmSync(page);
    rmSync(path.join(dir, 'entries', 'ipg327.json'));
    const src = path.join(dir, 'new.txt');
    writeFileSync(src, text);
    const r = await run(['import', src, '--knowledge', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/added IPG327/);
    const ask = await run(['ask', '--json', '--knowledge', dir, 'what is J12.4']);
    expect(JSON.parse(ask.stdout).guidance).toEqual(['IPG327']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a broken knowledge folder, naming the file and line', async () => {
    const dir = knowledgeCopy();
    const file = path.join(dir, 'entries', 'ipg214.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"id": "IPG214"', '"id": "214"'));
    const r = await run(['ask', '--knowledge', dir, 'what is J12.7']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ipg214\.json:3 \(id\): must look like IPG327/);
    expect(r.stdout).toBe('');
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a page with no header given --id, its title from --title or its first line', async () => {
    const dir = knowledgeCopy();
    const body = 'Coding recommendations\n\nJ12.4 Percutaneous radiofrequency ablation of lesion of liver\n';
    const plain = path.join(dir, 'plain.txt');
    writeFileSync(plain, `Some text about the procedure.\n\n${body}`);
    const refused = await run(['import', plain, '--id', 'IPG998', '--knowledge', dir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/give --title/);
    const titled = await run(['import', plain, '--id', 'IPG998', '--title', 'Widget ablation of liver lesions', '--knowledge', dir]);
    expect(titled.code).toBe(0);
    expect(titled.stdout).toMatch(/added IPG998 Widget ablation of liver lesions/);
    const headed = path.join(dir, 'headed.txt');
    writeFileSync(headed, `Gadget ablation of liver lesions\n\n${body}`);
    expect((await run(['import', headed, '--id', 'IPG997', '--knowledge', dir])).stdout).toMatch(/added IPG997 Gadget ablation of liver lesions/);
    expect(readFileSync(path.join(dir, 'pages', 'ipg997.txt'), 'utf8')).toMatch(/^url: https:\/\/www\.nice\.org\.uk\/guidance\/ipg997\nipg: IPG997\ntitle: Gadget ablation of liver lesions\ncomplete: unknown\n---\n/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a page with no coding section', async () => {
    const dir = knowledgeCopy();
    const bad = path.join(dir, 'bad.txt');
    writeFileSync(bad, 'Some page with no coding section at all.\n');
    const r = await run(['import', bad, '--knowledge', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.txt: no coding section/);
    rmSync(dir, { recursive: true, force: true });
  });
});

it('prints usage for --help', async () => {
  expect((await run(['--help'])).stdout).toMatch(/codebot ask "QUESTION"/);
});
