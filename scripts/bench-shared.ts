// The figures for running more than one instance on one PostgreSQL (part of npm run bench; also
// `tsx scripts/bench-shared.ts` alone): shared rate limits, ours against rate-limiter-flexible's
// PostgreSQL backend, and the Slack path's requests per second with one instance and with two.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import autocannon from 'autocannon';
import pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Verdict } from '../src/shared/limits.js';
import { PgStore } from '../src/store/postgres.js';
import { eventBody, FakeSlack, signed, SIGNING_SECRET } from '../tests/fake-slack.js';
import type { PgServer } from '../tests/postgres-server.js';
import { startServer } from '../tests/server-helpers.js';

// Load tests one user at a time would trip the flood limits; the limits are measured by tests, not here.
export const NO_LIMITS = { CODEBOT_RATE_PER_USER: '1000000', CODEBOT_RATE_PER_WORKSPACE: '10000000' };

export function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

type Check = (user: string, workspace: string) => Promise<Verdict>;

/** One check at a time (latency), then `parallel` at once (throughput), over `users` users in 10 workspaces. */
async function measure(check: Check, n: number, parallel: number): Promise<{ p50: number; p99: number; perSecond: number }> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await check(`u${i % 200}`, `w${i % 10}`);
    xs.push(performance.now() - t);
  }
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < n) {
        const i = next++;
        await check(`p${i % 200}`, `q${i % 10}`);
      }
    }),
  );
  return { p50: pct(xs, 50), p99: pct(xs, 99), perSecond: Math.round((n / (performance.now() - t0)) * 1000) };
}

export async function benchShared(server: PgServer, rows: string[][]): Promise<void> {
  const limits = { perUser: 1_000_000, perWorkspace: 10_000_000, windowMs: 60_000 };
  const n = 2000;

  // Ours: one transaction, advisory locks on the user and the workspace, a sliding minute.
  const store = await PgStore.open(await server.database('bench_limits_ours'));
  const ours = await measure((u, w) => store.limiter!.check(u, w, limits, Date.now()), n, 10);
  await store.close();

  // rate-limiter-flexible: one upsert per key (a fixed window). Our rule needs a third limiter for
  // "tell once, then drop", and the library counts rejected attempts too.
  const pool = new pg.Pool({ connectionString: await server.database('bench_limits_rlf'), max: 10 });
  const made = (keyPrefix: string, points: number) =>
    new Promise<RateLimiterPostgres>((resolve, reject) => {
      const rl: RateLimiterPostgres = new RateLimiterPostgres({ storeClient: pool, tableName: 'rate_limits', keyPrefix, points, duration: 60 }, (err?: Error) => (err ? reject(err) : resolve(rl)));
    });
  const [perUser, perWorkspace, warned] = [await made('u', limits.perUser), await made('w', limits.perWorkspace), await made('warn', 1)];
  const rlf: Check = async (u, w) => {
    try {
      await Promise.all([perUser.consume(u), perWorkspace.consume(w)]);
      return 'ok';
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      return warned.consume(u).then(
        () => 'warn',
        () => 'drop',
      );
    }
  };
  const lib = await measure(rlf, n, 10);
  await pool.end();
  const fmt = (r: { p50: number; p99: number; perSecond: number }) => `p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms one at a time; ${r.perSecond} checks/s 10 at once`;
  rows.push(['shared rate limits on PostgreSQL: ours (sliding minute, one transaction)', fmt(ours)]);
  rows.push(['shared rate limits on PostgreSQL: rate-limiter-flexible 11 (fixed window, user and workspace upserts)', fmt(lib)]);

  // The Slack path with one instance, then two on one database, under the same load generator:
  // autocannon at 10 connections to one, or 5 to each of two at once (summed).
  const db = await server.database('bench_two_instances');
  const slack = await new FakeSlack().start();
  const env = { LOG_LEVEL: 'error', ...NO_LIMITS, CODEBOT_DB: db, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-bench-not-real', SLACK_API_URL: `${slack.base}/api/` };
  const [a, b] = await Promise.all([startServer(env), startServer(env)]);
  let seq = 0;
  const load = (base: string, connections: number) =>
    autocannon({
      url: `${base}/slack/events`,
      connections,
      duration: 5,
      requests: [
        {
          method: 'POST',
          path: '/slack/events',
          // A new event id and a fresh signature each time, as Slack sends them.
          setupRequest: (req) => {
            const body = eventBody({ type: 'app_mention', user: `U${seq % 50}`, channel: 'C1', ts: `1700000000.${String(++seq).padStart(6, '0')}`, text: '<@UBOT> what is J12.4' }, `EvShared${seq}`);
            return { ...req, body, headers: signed(body, 'application/json').headers as Record<string, string> };
          },
        },
      ],
    });
  // CPU seconds of a process so far (/proc, in clock ticks of 10 ms): to tell a server that is busy
  // from a load generator that is (both share this machine's 2 cores).
  const cpu = (pid: number) => {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  };
  const busy = async <T>(run: () => Promise<T>): Promise<{ result: T; share: string }> => {
    const pids = [a.proc.pid!, b.proc.pid!];
    const before = pids.map(cpu);
    const self = process.cpuUsage();
    const machine = () => readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
    const m0 = machine();
    const t = performance.now();
    const result = await run();
    const secs = (performance.now() - t) / 1000;
    const used = pids.map((p, i) => Math.round(((cpu(p) - before[i]!) / secs) * 100));
    const gen = process.cpuUsage(self);
    const m1 = machine();
    const total = m1.reduce((x, v) => x + v, 0) - m0.reduce((x, v) => x + v, 0);
    const idle = m1[3]! + m1[4]! - (m0[3]! + m0[4]!);
    return {
      result,
      share: `CPU: instances ${used.join('% / ')}%, load generator and fake Slack ${Math.round(((gen.user + gen.system) / 1e6 / secs) * 100)}%; machine ${Math.round((1 - idle / total) * 100)}% busy of ${os.cpus().length} cores`,
    };
  };
  try {
    await load(a.base, 2); // warm up both the JIT and the pool
    await load(b.base, 2);
    const { result: one, share: oneCpu } = await busy(() => load(a.base, 10));
    const { result: both, share: bothCpu } = await busy(() => Promise.all([load(a.base, 5), load(b.base, 5)]));
    const errs = (r: autocannon.Result) => r.errors + r.timeouts + r.non2xx;
    const sum = both.reduce((s, r) => s + r.requests.average, 0);
    rows.push(['HTTP Slack /slack/events on PostgreSQL, one instance, 10 connections', `${Math.round(one.requests.average)} req/s, p50 ${one.latency.p50} ms, p99 ${one.latency.p99} ms, errors ${errs(one)}; ${oneCpu}`]);
    rows.push([
      'HTTP Slack /slack/events on PostgreSQL, two instances on one database, 5 connections each',
      `${Math.round(sum)} req/s in all (${both.map((r) => Math.round(r.requests.average)).join(' + ')}), p99 ${Math.max(...both.map((r) => r.latency.p99))} ms, errors ${both.reduce((s, r) => s + errs(r), 0)}; ${bothCpu}`,
    ]);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await slack.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { startPostgres } = await import('../tests/postgres-server.js');
  const server = await startPostgres();
  const rows: string[][] = [];
  try {
    await benchShared(server, rows);
  } finally {
    server.stop();
  }
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}
