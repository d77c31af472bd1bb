// A stand-in for Slack's Web API and response_url endpoints, on 127.0.0.1: it answers what Bolt
// asks (auth.test, chat.postMessage, chat.postEphemeral) and records every call.
import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LocalServer } from './local-server.js';

export interface SlackCall {
  at: number;
  method: string;
  body: Record<string, unknown>;
}

function parse(raw: string, type: string | undefined): Record<string, unknown> {
  if (type?.includes('application/json')) return JSON.parse(raw || '{}') as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    try {
      out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
    } catch {
      out[k] = v;
    }
  }
  return out;
}

export class FakeSlack extends LocalServer {
  readonly calls: SlackCall[] = [];

  /** The next `n` Web API calls (not auth.test) fail: 429 with Retry-After, a 5xx, or 200 with ok:false. */
  override failNext(n: number, status = 429): void {
    super.failNext(n, status);
  }

  protected handle(req: IncomingMessage, raw: string, res: ServerResponse): void {
    const method = (req.url ?? '').replace(/^\/api\//, '').replace(/\?.*$/, '');
    if (this.failing.n > 0 && method !== 'auth.test') {
      this.failing.n--;
      this.failed++;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (this.failing.status === 429) headers['retry-after'] = '1';
      const error = this.failing.status === 429 ? 'ratelimited' : this.failing.status === 200 ? 'channel_not_found' : 'internal_error';
      res.writeHead(this.failing.status, headers).end(JSON.stringify({ ok: false, error }));
      return;
    }
    this.calls.push({ at: performance.now(), method, body: parse(raw, req.headers['content-type']) });
    let reply: Record<string, unknown> = { ok: true };
    if (method === 'auth.test') reply = { ok: true, url: 'https://test.slack.com/', team: 'Test', user: 'codebot', team_id: 'T1', user_id: 'UBOT', bot_id: 'BBOT' };
    else if (method === 'chat.postMessage') reply = { ok: true, channel: 'C1', ts: `1700000001.${String(this.calls.length).padStart(6, '0')}` };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
  }

  /** Calls other than auth.test, from index `from` on. */
  posts(from = 0): SlackCall[] {
    return this.calls.slice(from).filter((c) => c.method !== 'auth.test');
  }

  async waitFor(from: number, n: number, ms = 10_000): Promise<SlackCall[]> {
    const deadline = Date.now() + ms;
    while (this.posts(from).length < n) {
      if (Date.now() > deadline) throw new Error(`expected ${n} Slack calls, got ${this.posts(from).length}: ${JSON.stringify(this.posts(from))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.posts(from);
  }
}

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';

/** A request signed as Slack signs them (v0, HMAC-SHA256 over timestamp and body). */
export function signed(body: string, contentType: string, opts: { secret?: string; ts?: number; retry?: number } = {}): RequestInit {
  const ts = String(opts.ts ?? Math.floor(Date.now() / 1000));
  const sig = `v0=${createHmac('sha256', opts.secret ?? SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  const headers: Record<string, string> = { 'content-type': contentType, 'x-slack-request-timestamp': ts, 'x-slack-signature': sig };
  if (opts.retry !== undefined) {
    headers['x-slack-retry-num'] = String(opts.retry);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  return { method: 'POST', headers, body };
}

let n = 0;
export function eventBody(event: Record<string, unknown>, eventId?: string): string {
  n++;
  return JSON.stringify({
    token: 'legacy',
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: eventId ?? `Ev${Date.now()}${n}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true }],
    event: { event_ts: `1700000000.${String(n).padStart(6, '0')}`, ...event },
  });
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}
