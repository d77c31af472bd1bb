// npm run soak -- --minutes 10 [--rate 20]: steady mixed traffic on the Teams, Direct Line and
// Slack endpoints of a real server on 127.0.0.1, then requests, errors, p99 and resident memory per
// minute. Bounded in time and count; stops by itself. A script, not a test.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FakeConnector, mention, teamsActivity } from '../tests/fake-connector.js';
import { eventBody, FakeSlack, signed, SIGNING_SECRET } from '../tests/fake-slack.js';
import { startServer } from '../tests/server-helpers.js';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, rate: { type: 'string', default: '20' } } });
const minutes = Math.min(120, Math.max(0.1, Number(values.minutes)));
const rate = Math.min(500, Math.max(1, Number(values.rate)));
const total = Math.round(minutes * 60 * rate);

const QUESTIONS = [
  'how do I code percutaneous RFA of liver mets?',
  'what is Y53.9?',
  'why do I need a Y53 code?',
  'check J12.4 Y53.9 C78.7 C18.9',
  'summarise IPG214',
  'open microwave ablation of HCC',
  'how do I code a knee arthroscopy',
  'thanks',
];

const connector = await new FakeConnector().start();
const slack = await new FakeSlack().start();
const server = await startServer({
  LOG_LEVEL: 'error',
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_BOT_TOKEN: 'xoxb-soak-not-real',
  SLACK_API_URL: `${slack.base}/api/`,
  CODEBOT_RATE_PER_USER: '1000000',
  CODEBOT_RATE_PER_WORKSPACE: '10000000',
});
const { token } = (await (await fetch(`${server.base}/directline/tokens/generate`, { method: 'POST' })).json()) as { token: string };
const conv = (await (await fetch(`${server.base}/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' })).json()) as { conversationId: string };

function rssMb(): number {
  const status = readFileSync(`/proc/${server.proc.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function one(i: number): Promise<boolean> {
  const q = QUESTIONS[i % QUESTIONS.length]!;
  const kind = i % 3;
  let res: Response;
  if (kind === 0) {
    res = await fetch(`${server.base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(teamsActivity(connector.url, mention(q))) });
  } else if (kind === 1) {
    res = await fetch(`${server.base}/directline/conversations/${conv.conversationId}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: q, from: { id: 'soak' } }),
    });
  } else {
    const body = eventBody({ type: 'app_mention', user: 'U1', channel: 'C1', ts: `1700000000.${String(i).padStart(6, '0')}`, text: `<@UBOT> ${q}` }, `EvSoak${i}`);
    res = await fetch(`${server.base}/slack/events`, signed(body, 'application/json'));
  }
  await res.arrayBuffer();
  return res.status === 200;
}

interface Minute {
  requests: number;
  errors: number;
  latencies: number[];
}
const perMinute: Minute[] = [];
const started = performance.now();
const inFlight = new Set<Promise<void>>();
let reported = -1;
console.log(`soak: ${minutes} min at ${rate} requests/s (${total} requests) on ${server.base}, Teams / Direct Line / Slack in turn`);
console.log('minute  requests  errors  p99 ms  rss MB');
for (let i = 0; i < total; i++) {
  // A steady rate: request i leaves at i/rate seconds, whatever the answers take.
  const due = started + (i / rate) * 1000;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const minute = Math.floor((performance.now() - started) / 60_000);
  const m = (perMinute[minute] ??= { requests: 0, errors: 0, latencies: [] });
  const t = performance.now();
  const p = one(i)
    .then((ok) => {
      m.requests++;
      if (!ok) m.errors++;
      m.latencies.push(performance.now() - t);
    })
    .catch(() => {
      m.requests++;
      m.errors++;
    })
    .finally(() => inFlight.delete(p));
  inFlight.add(p);
  // At each minute's end, report the minute that just closed.
  const next = Math.floor((performance.now() - started + 1000 / rate) / 60_000);
  if ((next > minute || i === total - 1) && minute > reported) {
    reported = minute;
    await Promise.all(inFlight);
    const s = [...m.latencies].sort((a, b) => a - b);
    const p99 = s[Math.min(s.length - 1, Math.floor(0.99 * s.length))] ?? 0;
    perMinute[minute]!.latencies = s;
    console.log(`${String(minute + 1).padStart(6)}  ${String(m.requests).padStart(8)}  ${String(m.errors).padStart(6)}  ${p99.toFixed(1).padStart(6)}  ${rssMb().toFixed(1).padStart(6)}`);
  }
}
await Promise.all(inFlight);
const requests = perMinute.reduce((s, m) => s + m.requests, 0);
const errors = perMinute.reduce((s, m) => s + m.errors, 0);
console.log(`total: ${requests} requests, ${errors} errors${errors === 0 ? '' : ' (should be 0)'}; resident memory at the end ${rssMb().toFixed(1)} MB`);
await server.stop();
await connector.stop();
await slack.stop();
process.exit(errors === 0 ? 0 : 1);
