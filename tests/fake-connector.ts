// A stand-in for the Bot Connector service that Teams' serviceUrl points at: it records what the
// bot posts and answers as the real service does. 127.0.0.1 only.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Posted {
  at: number;
  method: string;
  /** Decoded path, e.g. /v3/conversations/19:abc;messageid=1/activities/a1 */
  path: string;
  body: Record<string, unknown>;
}

export class FakeConnector {
  readonly posts: Posted[] = [];
  private server?: Server;
  private waiters: Array<() => void> = [];
  /** The next `n` posts fail with this status, as a Bot Connector under strain does. */
  private failing = { n: 0, status: 503 };
  failed = 0;
  url = '';

  failNext(n: number, status = 503): void {
    this.failing = { n, status };
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (d: Buffer) => (raw += d.toString()));
      req.on('end', () => {
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
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
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

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
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
