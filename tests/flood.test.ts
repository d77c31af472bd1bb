// The Direct Line flood from the security probe, against the real server process: one client
// opening conversations and posting 60 KB channelData as fast as it can, while another user's
// conversation (from another address) keeps asking. Resident memory must stay bounded and the
// other user must be answered throughout.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Running } from './server-helpers.js';

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

function call(url: string, opts: { method?: string; token?: string; body?: string; agent: Agent }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: opts.method ?? 'GET',
        agent: opts.agent,
        headers: { 'content-type': 'application/json', ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('a Direct Line flood from one client', () => {
  let s: Running;
  beforeAll(async () => {
    s = await startServer({ LOG_LEVEL: 'warn' });
  });
  afterAll(() => s.stop());

  it('keeps resident memory bounded and other users answered', async () => {
    const pid = s.proc.pid!;
    const attacker = new Agent({ keepAlive: true, maxSockets: 8, localAddress: '127.0.0.1' });
    const other = new Agent({ keepAlive: true, maxSockets: 1, localAddress: '127.0.0.2' });
    const open = async (agent: Agent) => {
      const r = await call(`${s.base}/directline/conversations`, { method: 'POST', agent, body: '{}' });
      return r.status === 201 ? (JSON.parse(r.body) as { conversationId: string; token: string }) : null;
    };
    const victim = (await open(other))!;
    // Warm up, then measure from there: the first answers allocate caches the flood does not add to.
    await call(`${s.base}/directline/conversations/${victim.conversationId}/activities`, { method: 'POST', agent: other, token: victim.token, body: JSON.stringify({ type: 'message', text: 'what is Y53.9' }) });
    const before = rssMb(pid);

    const junk = JSON.stringify({ type: 'message', text: 'what is J12.4', channelData: { clientActivityID: 'x', padding: 'x'.repeat(60_000) }, extra: { more: 'y'.repeat(2000) } });
    // Three seconds: long enough that keeping the payloads (the defect) would show in the bytes kept
    // many times over, short enough not to starve the test files running beside this one.
    const until = Date.now() + 3000;
    const statuses = new Map<number, number>();
    let sent = 0;
    const worker = async () => {
      let conv: { conversationId: string; token: string } | null = null;
      while (Date.now() < until) {
        if (!conv || Math.random() < 0.05) conv = (await open(attacker)) ?? conv;
        if (!conv) continue;
        const r = await call(`${s.base}/directline/conversations/${conv.conversationId}/activities`, { method: 'POST', agent: attacker, token: conv.token, body: junk });
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        sent++;
      }
    };
    let answered = 0;
    let asked = 0;
    const victimLoop = async () => {
      while (Date.now() < until) {
        await new Promise((r) => setTimeout(r, 250));
        asked++;
        const post = await call(`${s.base}/directline/conversations/${victim.conversationId}/activities`, { method: 'POST', agent: other, token: victim.token, body: JSON.stringify({ type: 'message', text: 'what is J12.4' }) });
        if (post.status !== 200) continue;
        const { id } = JSON.parse(post.body) as { id: string };
        const page = await call(`${s.base}/directline/conversations/${victim.conversationId}/activities?watermark=0`, { agent: other, token: victim.token });
        const acts = (JSON.parse(page.body) as { activities: Array<{ replyToId?: string }> }).activities;
        if (acts.some((a) => a.replyToId === id)) answered++;
      }
    };
    await Promise.all([...Array.from({ length: 6 }, worker), victimLoop()]);
    const after = rssMb(pid);
    const ready = JSON.parse((await call(`${s.base}/readyz`, { agent: other })).body) as { checks: { directLine: { bytes: number; maxBytes: number; conversations: number } } };
    attacker.destroy();
    other.destroy();
    console.log(`flood: ${sent} posts of ~62 KB (${[...statuses].map(([k, v]) => `${v}x${k}`).join(', ')}); RSS ${before.toFixed(0)} -> ${after.toFixed(0)} MB; Direct Line ${ready.checks.directLine.conversations} conversations, ${(ready.checks.directLine.bytes / 1024).toFixed(0)} KB kept; other user answered ${answered}/${asked}`);

    expect(sent).toBeGreaterThan(50);
    expect(answered).toBe(asked);
    // The other user asked throughout (every quarter second, fewer when the machine is busy with other tests).
    expect(asked).toBeGreaterThanOrEqual(3);
    expect(ready.checks.directLine.bytes).toBeLessThanOrEqual(ready.checks.directLine.maxBytes);
    // What is kept is tiny: the flood's payloads are not stored, and dropped messages are not either.
    expect(ready.checks.directLine.bytes).toBeLessThan(2 * 1024 * 1024);
    // Before the fix the same flood kept every payload: about 45 MB more a second, and out of memory in 70 seconds.
    expect(after - before).toBeLessThan(200);
  }, 30_000);
});
