// npm run bench: start-up, answer latency, throughput and memory of the core, on this machine.
// Prints a table and writes it to BENCHMARKS.md. A script, not a test: nothing here asserts.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Assistant } from '../src/assistant/assistant.js';
import { parseJsonl } from '../src/eval/score.js';
import { MemoryStore } from '../src/store/memory.js';
import { PgStore } from '../src/store/postgres.js';
import { SqliteStore } from '../src/store/sqlite.js';
import { FakeConnector, mention, teamsActivity } from '../tests/fake-connector.js';
import { eventBody, FakeSlack, signed, SIGNING_SECRET as SLACK_SIGNING_SECRET } from '../tests/fake-slack.js';
import { startPostgres } from '../tests/postgres-server.js';
import { START_FLAGS, startServer } from '../tests/server-helpers.js';
import { benchShared, NO_LIMITS, pct } from './bench-shared.js';
import { makeSyntheticKnowledge } from './synthetic.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const evalFile = [path.join(root, '..', 'shared', 'eval', 'dev.jsonl'), path.join(root, 'tests', 'fixtures', 'eval.jsonl')].find((f) => existsSync(f))!;
const questions = parseJsonl(readFileSync(evalFile, 'utf8'), evalFile).map((i) => i.q);
const bin = path.join(root, 'bin', 'codebot.js');
if (!existsSync(path.join(root, 'dist', 'platforms', 'cli', 'main.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

// Start-up to the first answer, as a user sees it: a fresh process answering one question.
const cold: number[] = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  execFileSync(process.execPath, [bin, 'ask', 'how do I code percutaneous RFA of liver mets?'], { stdio: 'pipe' });
  cold.push(performance.now() - t);
}

// Resident memory with all knowledge loaded, in a process that holds nothing else.
const rssScript = `const m = await import(${JSON.stringify(path.join(root, 'dist', 'assistant', 'assistant.js'))}); const a = m.Assistant.create(); a.answer('what is Y53.9'); globalThis.gc?.(); console.log(process.memoryUsage().rss);`;
const rss = Number(execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', rssScript], { encoding: 'utf8' }).trim());

const t0 = performance.now();
const assistant = Assistant.create();
const startup = performance.now() - t0;
for (const q of questions) assistant.answer(q);

const N = Math.max(10_000, questions.length * 200);
const byIntent = new Map<string, number[]>();
const all: number[] = [];
const t1 = performance.now();
for (let i = 0; i < N; i++) {
  const q = questions[i % questions.length]!;
  const s = performance.now();
  const { reply } = assistant.answer(q);
  const d = performance.now() - s;
  all.push(d);
  const list = byIntent.get(reply.intent) ?? [];
  list.push(d);
  byIntent.set(reply.intent, list);
}
const wall = performance.now() - t1;
// The same loop again, now that the first 10,000 answers have warmed the JIT up: what a server
// that has been running a while sees.
const warm: number[] = [];
for (let i = 0; i < N; i++) {
  const s = performance.now();
  assistant.answer(questions[i % questions.length]!);
  warm.push(performance.now() - s);
}
// The first 10,000 again in a fresh process with Node's default V8 pool (4 background threads), to
// show why npm start and this script set it to 1: on 2 cores the background compiler and GC threads
// preempt the thread answering questions.
const defaultPool = (() => {
  const probe = `const { Assistant } = await import(${JSON.stringify(path.join(root, 'dist', 'assistant', 'assistant.js'))});
    const qs = ${JSON.stringify(questions)};
    const a = Assistant.create();
    for (const q of qs) a.answer(q);
    const xs = [];
    for (let i = 0; i < ${N}; i++) { const s = performance.now(); a.answer(qs[i % qs.length]); xs.push(performance.now() - s); }
    xs.sort((x, y) => x - y);
    console.log(JSON.stringify({ p50: xs[Math.floor(xs.length / 2)], p99: xs[Math.floor(xs.length * 0.99)] }));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8', maxBuffer: 1 << 20 }).trim()) as { p50: number; p99: number };
})();

const rows: string[][] = [
  ['measure', 'value'],
  ['machine', `${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), Node ${process.version}`],
  ['knowledge', `${assistant.kb.entries.length} guidance entries, ${assistant.nlu.classifier.intents.length} intents`],
  ['start-up to first answer (CLI, fresh process, median of 5)', `${median(cold).toFixed(0)} ms`],
  ['load knowledge + train (in process)', `${startup.toFixed(0)} ms`],
  ['resident memory, all knowledge loaded', `${(rss / 1024 / 1024).toFixed(1)} MB`],
  [`answers in process (${N} over ${questions.length} eval questions)`, `p50 ${pct(all, 50).toFixed(3)} ms, p99 ${pct(all, 99).toFixed(3)} ms`],
  [`answers in process, the next ${N} (warm)`, `p50 ${pct(warm, 50).toFixed(3)} ms, p99 ${pct(warm, 99).toFixed(3)} ms`],
  [`the first ${N} with Node's default V8 pool (compiled, fresh process; the rows above ran with ${process.execArgv.filter((a) => START_FLAGS.includes(a)).join(' ') || "Node's defaults too"}; npm start uses ${START_FLAGS.join(' ')})`, `p50 ${defaultPool.p50.toFixed(3)} ms, p99 ${defaultPool.p99.toFixed(3)} ms`],
  ['questions per second, one core', `${Math.round((N / wall) * 1000)}`],
  ...[...byIntent.entries()].sort().map(([intent, xs]) => [`  ${intent} (${xs.length})`, `p50 ${pct(xs, 50).toFixed(3)} ms, p99 ${pct(xs, 99).toFixed(3)} ms`]),
];
// The store: audit rows per second into SQLite, and what a turn costs with the store behind it.
{
  const dir = mkdtempSync(path.join(os.tmpdir(), 'codebot-bench-'));
  const sqlite = new SqliteStore(path.join(dir, 'bench.db'));
  const n = 20_000;
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    await sqlite.audit({ at: new Date().toISOString(), platform: 'bench', userHash: 'h', channel: `c${i % 50}`, question: questions[i % questions.length]!, intent: 'how_to_code', confidence: 0.9, guidance: ['IPG327'], codes: ['J12.4', 'Y53.9'], answered: true, latencyMs: 0.3, knowledgeHash: 'k' });
  }
  rows.push(['store: audit rows written per second (SQLite, WAL, one by one)', `${Math.round((n / (performance.now() - t)) * 1000)}`]);
  const turn = async (a: Assistant, k: number) => {
    const xs: number[] = [];
    for (let i = 0; i < k; i++) {
      const s0 = performance.now();
      await a.handle({ text: questions[i % questions.length]!, conversation: { platform: 'bench', channel: `c${i % 20}`, thread: null }, user: 'u' });
      xs.push(performance.now() - s0);
    }
    return xs;
  };
  const withMemory = Assistant.create({ store: new MemoryStore(), limits: null });
  const withSqlite = Assistant.create({ store: sqlite, limits: null });
  await turn(withMemory, 200);
  await turn(withSqlite, 200);
  const mem = await turn(withMemory, 3000);
  const sql = await turn(withSqlite, 3000);
  rows.push(['store: cost per turn (handle with SQLite minus in memory, p50)', `${(median(sql) - median(mem)).toFixed(3)} ms (p50 ${median(sql).toFixed(3)} vs ${median(mem).toFixed(3)} ms)`]);
  await sqlite.close();
  rmSync(dir, { recursive: true, force: true });

  // The same on PostgreSQL: a throwaway server of Debian's binaries on 127.0.0.1 (as the tests start it).
  const pgServer = await startPostgres();
  try {
    const pgStore = await PgStore.open(await pgServer.database('bench'));
    const tp = performance.now();
    for (let i = 0; i < 5000; i++) {
      await pgStore.audit({ at: new Date().toISOString(), platform: 'bench', userHash: 'h', channel: `c${i % 50}`, question: questions[i % questions.length]!, intent: 'how_to_code', confidence: 0.9, guidance: ['IPG327'], codes: ['J12.4', 'Y53.9'], answered: true, latencyMs: 0.3, knowledgeHash: 'k' });
    }
    rows.push(['store: audit rows written per second (PostgreSQL 127.0.0.1, one by one, fsync off)', `${Math.round((5000 / (performance.now() - tp)) * 1000)}`]);
    const withPg = Assistant.create({ store: pgStore, limits: null });
    await turn(withPg, 200);
    const pgTurns = await turn(withPg, 3000);
    rows.push(['store: cost per turn (handle with PostgreSQL minus in memory, p50)', `${(median(pgTurns) - median(mem)).toFixed(3)} ms (p50 ${median(pgTurns).toFixed(3)} vs ${median(mem).toFixed(3)} ms)`]);
    const shared = Assistant.create({ store: pgStore });
    const tl = performance.now();
    for (let i = 0; i < 2000; i++) await shared.handle({ text: 'what is J12.4', conversation: { platform: 'bench', channel: `c${i % 20}`, thread: null }, user: `u${i % 200}` });
    rows.push(['store: turns per second with shared rate limits on PostgreSQL (one instance, one at a time)', `${Math.round((2000 / (performance.now() - tl)) * 1000)}`]);
    await pgStore.close();
    await benchShared(pgServer, rows);
  } finally {
    pgServer.stop();
  }
}

// The server as `npm start` runs it: process start to ready, and resident memory once ready.
const ready: number[] = [];
let serverRss = 0;
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  const srv = await startServer({ LOG_LEVEL: 'warn', ...NO_LIMITS });
  ready.push(performance.now() - t);
  const status = readFileSync(`/proc/${srv.proc.pid}/status`, 'utf8');
  serverRss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
  await srv.stop();
}
rows.push(['server: process start to ready (npm start, median of 3)', `${median(ready).toFixed(0)} ms`]);
rows.push(['server: resident memory after start', `${(serverRss / 1024 / 1024).toFixed(1)} MB`]);

// Teams path over HTTP: Teams-shaped activities into the real server, replies to a fake Bot
// Connector on 127.0.0.1; time from posting the activity to the reply reaching the connector.
const connector = await new FakeConnector().start();
const server = await startServer({ LOG_LEVEL: 'warn', ...NO_LIMITS });
const teams: number[] = [];
const teamsQs = ['how do I code percutaneous RFA of liver mets?', 'what is Y53.9?', 'why do I need a Y53 code?', 'check J12.4 C78.7'];
for (let i = 0; i < 200; i++) {
  const activity = teamsActivity(connector.url, mention(teamsQs[i % teamsQs.length]!));
  const before = connector.posts.length;
  const sent = performance.now();
  await fetch(`${server.base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  const posts = await connector.waitFor(before + 1);
  teams.push(posts[before]!.at - sent);
}
await server.stop();
await connector.stop();
rows.push(['Teams: activity to reply at the Bot Connector (200 over HTTP, 127.0.0.1)', `median ${median(teams).toFixed(1)} ms, p99 ${pct(teams, 99).toFixed(1)} ms`]);

// Slack path over HTTP: signed app_mention requests into the real server (Bolt), answers posted to
// a fake Slack Web API on 127.0.0.1; time from sending the request to chat.postMessage arriving.
const fakeSlack = await new FakeSlack().start();
const slackServer = await startServer({ LOG_LEVEL: 'warn', ...NO_LIMITS, SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-bench-not-real', SLACK_API_URL: `${fakeSlack.base}/api/` });
const slackTimes: number[] = [];
for (let i = 0; i < 200; i++) {
  const from = fakeSlack.calls.length;
  const body = eventBody({ type: 'app_mention', user: 'U1', channel: 'C1', ts: `1700000000.${String(i).padStart(6, '0')}`, text: `<@UBOT> ${teamsQs[i % teamsQs.length]}` });
  const sent = performance.now();
  await fetch(`${slackServer.base}/slack/events`, signed(body, 'application/json'));
  const posts = await fakeSlack.waitFor(from, 1);
  slackTimes.push(posts[0]!.at - sent);
}
await slackServer.stop();
await fakeSlack.stop();
rows.push(['Slack: signed request to answer at the Web API (200 over HTTP, 127.0.0.1)', `median ${median(slackTimes).toFixed(1)} ms, p99 ${pct(slackTimes, 99).toFixed(1)} ms`]);

// Over HTTP with a load generator (autocannon) on 127.0.0.1: the Teams endpoint, the Direct Line
// endpoint, and signed requests to the Slack endpoint, at 1, 10 and 50 connections.
{
  const connectorForLoad = await new FakeConnector().start();
  const slackForLoad = await new FakeSlack().start();
  const srv = await startServer({ LOG_LEVEL: 'error', ...NO_LIMITS, SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-bench-not-real', SLACK_API_URL: `${slackForLoad.base}/api/` });
  const { token } = (await (await fetch(`${srv.base}/directline/tokens/generate`, { method: 'POST' })).json()) as { token: string };
  const conv = (await (await fetch(`${srv.base}/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' })).json()) as { conversationId: string };
  let seq = 0;
  const targets: Array<{ name: string; opts: autocannon.Options }> = [
    {
      name: 'Teams /api/messages',
      opts: {
        url: `${srv.base}/api/messages`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(teamsActivity(connectorForLoad.url, mention('how do I code percutaneous RFA of liver mets?'))),
      },
    },
    {
      name: 'Direct Line activities',
      opts: {
        url: `${srv.base}/directline/conversations/${conv.conversationId}/activities`,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ type: 'message', text: 'what is Y53.9?', from: { id: 'u' } }),
      },
    },
    {
      name: 'Slack /slack/events (signed)',
      opts: {
        url: `${srv.base}/slack/events`,
        requests: [
          {
            method: 'POST',
            path: '/slack/events',
            // Each request a new event id and a fresh signature, as Slack sends them.
            setupRequest: (req) => {
              const body = eventBody({ type: 'app_mention', user: 'U1', channel: 'C1', ts: `1700000000.${String(++seq).padStart(6, '0')}`, text: '<@UBOT> what is J12.4' }, `EvLoad${seq}`);
              const init = signed(body, 'application/json');
              return { ...req, body, headers: init.headers as Record<string, string> };
            },
          },
        ],
      },
    },
  ];
  for (const t of targets) {
    for (const connections of [1, 10, 50]) {
      const r = await autocannon({ ...t.opts, connections, duration: 4 });
      const errors = r.errors + r.timeouts + r.non2xx;
      rows.push([`HTTP ${t.name}, ${connections} connection${connections > 1 ? 's' : ''}`, `${Math.round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, errors ${errors}`]);
    }
  }
  await srv.stop();
  await connectorForLoad.stop();
  await slackForLoad.stop();
}

// Scaling: the same in-process figures with 1x, 10x and 100x the knowledge (synthetic copies of the
// real pages, clearly marked, in a temporary folder; never loaded by default).
for (const factor of [1, 10, 100]) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `codebot-synthetic-${factor}x-`));
  const entries = makeSyntheticKnowledge(path.join(root, 'knowledge'), factor, dir);
  const probe = `const { Assistant } = await import(${JSON.stringify(path.join(root, 'dist', 'assistant', 'assistant.js'))});
    const qs = ${JSON.stringify(questions)};
    const t0 = performance.now();
    const a = Assistant.create({ knowledgeDir: ${JSON.stringify(dir)} });
    const startup = performance.now() - t0;
    for (let i = 0; i < 2000; i++) a.answer(qs[i % qs.length]);
    const xs = [];
    for (let i = 0; i < 2000; i++) { const s = performance.now(); a.answer(qs[i % qs.length]); xs.push(performance.now() - s); }
    xs.sort((x, y) => x - y);
    globalThis.gc?.();
    console.log(JSON.stringify({ startup, p50: xs[1000], p99: xs[1980], rss: process.memoryUsage().rss }));`;
  const r = JSON.parse(execFileSync(process.execPath, [...START_FLAGS, '--expose-gc', '--input-type=module', '-e', probe], { encoding: 'utf8', maxBuffer: 1 << 20 }).trim()) as { startup: number; p50: number; p99: number; rss: number };
  rows.push([`scaling ${factor}x knowledge (${entries} entries${factor > 1 ? ', synthetic copies' : ''}; 2,000 answers after 2,000 to warm up)`, `start-up ${r.startup.toFixed(0)} ms, answer p50 ${r.p50.toFixed(3)} ms, p99 ${r.p99.toFixed(3)} ms, ${(r.rss / 1024 / 1024).toFixed(0)} MB`]);
  rmSync(dir, { recursive: true, force: true });
}

const render = (rs: string[][]) => rs.map((r, i) => `| ${r.join(' | ')} |${i === 0 ? '\n|---|---|' : ''}`).join('\n');
const table = render(rows);
console.log(table);

// Quality and the peer, from the same run of the evaluation script.
const evalRun = JSON.parse(execFileSync(process.execPath, [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, 'scripts', 'eval.ts'), '--json'], { encoding: 'utf8', maxBuffer: 1 << 24 })) as {
  files: Array<{ file: string; total: number; intentAccuracy: number; answerAccuracy: number; confidentlyWrong: number; unsupportedCodes: number }>;
  kfoldIntentAccuracy: number;
  kfoldShuffled: { mean: number; min: number; max: number };
  trainMs: number;
  calibration: { ece: number; threshold: number; supportedThreshold: number; temperature: { inUse: number; fitted: number } };
  peer: { evalIntentAccuracy: { codebot: number; nlpjs: number }; classifyMs: { codebot: { p50: number; p99: number }; nlpjs: { p50: number; p99: number } };
    braun2017: { corpora: Array<{ corpus: string; codebot: number; nlpjs: number }>; overall: { codebot: number; nlpjs: number } } | string } | null;
};
const pc = (x: number) => `${(x * 100).toFixed(1)}%`;
const quality: string[][] = [['measure', 'codebot', 'NLP.js (node-nlp)']];
evalRun.files.forEach((f, i) => {
  const name = path.basename(f.file);
  quality.push([`${name}: right intent`, pc(f.intentAccuracy), i === 0 && evalRun.peer ? pc(evalRun.peer.evalIntentAccuracy.nlpjs) : 'n/a']);
  quality.push([`${name}: right answer (codes and guidance)`, pc(f.answerAccuracy), 'n/a (classifier only)']);
  quality.push([`${name}: confidently wrong`, pc(f.confidentlyWrong), 'n/a']);
  quality.push([`${name}: codes outside the cited text`, String(f.unsupportedCodes), 'n/a']);
});
quality.push(['5-fold over intents/, in file order', pc(evalRun.kfoldIntentAccuracy), '']);
quality.push(['5-fold over intents/, mean of 5 seeded shuffles (range)', `${pc(evalRun.kfoldShuffled.mean)} (${pc(evalRun.kfoldShuffled.min)}-${pc(evalRun.kfoldShuffled.max)})`, '']);
quality.push(['calibration: expected calibration error on the eval questions', evalRun.calibration.ece.toFixed(3), '']);
quality.push(['fallback threshold in use / supported by the reliability table', `${evalRun.calibration.threshold} / ${evalRun.calibration.supportedThreshold.toFixed(2)}`, '']);
quality.push(['training the classifier at start-up', `${evalRun.trainMs.toFixed(0)} ms`, '']);
if (evalRun.peer) {
  quality.push(['classify latency p50 / p99 (warm)', `${evalRun.peer.classifyMs.codebot.p50.toFixed(3)} / ${evalRun.peer.classifyMs.codebot.p99.toFixed(3)} ms`, `${evalRun.peer.classifyMs.nlpjs.p50.toFixed(3)} / ${evalRun.peer.classifyMs.nlpjs.p99.toFixed(3)} ms`]);
  if (typeof evalRun.peer.braun2017 !== 'string') {
    for (const c of evalRun.peer.braun2017.corpora) quality.push([`Braun et al. 2017 ${c.corpus}, micro-F1`, c.codebot.toFixed(3), c.nlpjs.toFixed(3)]);
    quality.push(['Braun et al. 2017 overall, micro-F1 (published: NLP.js 0.93, Watson 0.92, LUIS 0.91, Rasa 0.88)', evalRun.peer.braun2017.overall.codebot.toFixed(3), evalRun.peer.braun2017.overall.nlpjs.toFixed(3)]);
  }
}
const qualityTable = quality.map((r, i) => `| ${r.join(' | ')} |${i === 0 ? '\n|---|---|---|' : ''}`).join('\n');
console.log(`\n${qualityTable}`);
const doc = `# Benchmarks\n\nMeasured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} on this machine. Figures vary with the machine and its load; rerun to compare. The load generator and the fake Slack and Bot Connector servers run on the same 2 cores as the server.\n\n## Quality, side by side with NLP.js\n\n${qualityTable}\n\n## Speed and size\n\n${table}\n`;
// The tracked file changes only when asked: `npm run bench -- --write`.
if (process.argv.includes('--write')) {
  writeFileSync(path.join(root, 'BENCHMARKS.md'), doc);
  console.log('\nwritten to BENCHMARKS.md');
} else console.log('\n(not written: npm run bench -- --write updates BENCHMARKS.md)');
