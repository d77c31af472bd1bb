// A stand-in for the Bot Connector service that Teams' serviceUrl points at: it records what the
// bot posts and answers as the real service does. 127.0.0.1 only.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LocalServer } from './local-server.js';

export interface Posted {
  at: number;
  method: string;
  /** Decoded path, e.g. /v3/conversations/19:abc;messageid=1/activities/a1 */
  path: string;
  body: Record<string, unknown>;
}

export class FakeConnector extends LocalServer {
  readonly posts: Posted[] = [];
  private waiters: Array<() => void> = [];
  /** The Bot Connector's base URL, as an activity's serviceUrl names it. */
  url = '';

  /** The next `n` posts fail with this status, as a Bot Connector under strain does. */
  override failNext(n: number, status = 503): void {
    super.failNext(n, status);
  }

  override async start(): Promise<this> {
    await super.start();
    this.url = `${this.base}/`;
    return this;
  }

  protected handle(req: IncomingMessage, raw: string, res: ServerResponse): void {
    let body: Record<string, unknown> = {};
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      body = { unparsable: raw };
    }
    if (this.failing.n > 0) {
      this.failing.n--;
      this.failed++;
      res.writeHead(this.failing.status, { 'content-type': 'application/json' }).end('{"error":{"code":"ServiceError","message":"try again"}}');
      return;
    }
    this.posts.push({ at: performance.now(), method: req.method ?? '', path: decodeURIComponent(req.url ?? ''), body });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `reply-${this.posts.length}` }));
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves once `n` posts in all have arrived. */
  async waitFor(n: number, ms = 10_000): Promise<Posted[]> {
    const deadline = Date.now() + ms;
    while (this.posts.length < n) {
      if (Date.now() > deadline) throw new Error(`expected ${n} posts, got ${this.posts.length}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
    return this.posts;
  }
}

let seq = 0;
/** A Teams-shaped activity: tenant, team and channel data, the bot as recipient. */
export function teamsActivity(serviceUrl: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  seq++;
  return {
    type: 'message',
    id: `1700000000${String(seq).padStart(3, '0')}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from: { id: '29:user-1', name: 'A Coder', aadObjectId: 'aad-user-1' },
    recipient: { id: '28:codebot-bot-id', name: 'codebot' },
    conversation: { id: '19:general@thread.tacv2;messageid=1700000000000', conversationType: 'channel', tenantId: 'tenant-1', isGroup: true },
    channelData: { tenant: { id: 'tenant-1' }, team: { id: '19:team@thread.tacv2', name: 'Coding team' }, channel: { id: '19:general@thread.tacv2', name: 'General' } },
    locale: 'en-GB',
    ...over,
  };
}

export function mention(text: string): Record<string, unknown> {
  return {
    text: `<at>codebot</at> ${text}`,
    entities: [{ type: 'mention', text: '<at>codebot</at>', mentioned: { id: '28:codebot-bot-id', name: 'codebot' } }],
  };
}
