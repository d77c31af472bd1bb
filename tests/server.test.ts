// The real server, started as `npm start` starts it, on an ephemeral port on 127.0.0.1.
import { createServer, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveInProcess } from './in-process.js';
import { directLineAsk, failToStart, startServer, type Running } from './server-helpers.js';

const cardText = (a: Record<string, unknown>) => JSON.stringify((a.attachments as Array<{ content: unknown }>)[0]!.content);

describe('the server in local mode', () => {
  let s: Running;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(async () => {
    await s.stop(); // (already stopped by the last case, unless it failed)
  });

  it('prints one line per surface, saying which are off and why', () => {
    expect(s.stdout()).toMatch(/on  Bot Framework .* at http:\/\/127\.0\.0\.1:\d+\/api\/messages: LOCAL MODE/);
    expect(s.stdout()).toMatch(/off Slack: SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are not set/);
    expect(s.stdout()).toMatch(/on  Local web chat at http:\/\/127\.0\.0\.1:\d+\//);
  });

  it('answers health and readiness', async () => {
    const h = await fetch(`${s.base}/healthz`);
    expect(h.status).toBe(200);
    expect(await h.json()).toMatchObject({ status: 'ok' });
    const r = await fetch(`${s.base}/readyz`);
    expect(await r.json()).toMatchObject({ ready: true, checks: { knowledge: { ok: true, entries: 126 }, classifier: { ok: true, intents: 8 }, store: { ok: true, kind: 'sqlite', queued: 0, lost: 0 } } });
  });

  it('answers the canonical question through Direct Line, as an Adaptive Card', async () => {
    const [answer] = await directLineAsk(s.base, 'how do I code percutaneous RFA of liver mets?');
    const card = cardText(answer!);
    expect((answer!.attachments as Array<{ contentType: string }>)[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card).toContain('"version":"1.5"');
    for (const code of ['J12.4', 'Y53.9', 'C78.7', 'C18.-', 'IPG327']) expect(card).toContain(code);
    expect(answer!.summary).toMatch(/IPG327/);
  });

  it('takes a card button press as the question it carries, and acknowledges feedback', async () => {
    const [answer] = await directLineAsk(s.base, { value: { codebot: 'ask', question: 'why do I need a Y53 code?' } });
    expect(cardText(answer!)).toMatch(/secondary codes/);
    const [thanks] = await directLineAsk(s.base, { value: { codebot: 'feedback', helpful: true, intent: 'how_to_code', guidance: ['IPG327'] } });
    expect(thanks!.text).toBe('Thanks for the feedback.');
  });

  it('answers Bot Framework activities on /api/messages, unauthenticated in local mode', async () => {
    const res = await fetch(`${s.base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: 'a1',
        text: 'what is Y53.9?',
        channelId: 'emulator',
        serviceUrl: 'http://127.0.0.1:9/',
        deliveryMode: 'expectReplies',
        from: { id: 'u1' },
        recipient: { id: 'codebot' },
        conversation: { id: 'c1' },
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { activities: Record<string, unknown>[] };
    expect(cardText(body.activities[0]!)).toContain('Unspecified approach to organ under image control');
  });

  it('posts replies to the channel service like Teams, through botbuilder', async () => {
    const posted: unknown[] = [];
    const channel = createServer((req: IncomingMessage, res) => {
      let b = '';
      req.on('data', (d) => (b += d));
      req.on('end', () => {
        posted.push({ url: req.url, body: JSON.parse(b) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"r1"}');
      });
    });
    await new Promise<void>((r) => channel.listen(0, '127.0.0.1', r));
    const port = (channel.address() as AddressInfo).port;
    const res = await fetch(`${s.base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message', id: 'm1', text: 'look up Y53', channelId: 'emulator', serviceUrl: `http://127.0.0.1:${port}/`,
        from: { id: 'u1' }, recipient: { id: 'codebot' }, conversation: { id: 'conv-1' },
      }),
    });
    expect(res.status).toBe(200);
    channel.close();
    expect(posted).toHaveLength(1);
    expect((posted[0] as { url: string }).url).toBe('/v3/conversations/conv-1/activities/m1');
    expect(JSON.stringify(posted[0])).toContain('Y53.2');
  });

  it('refuses malformed requests with a 4xx and keeps serving', async () => {
    const post = (body: string, type = 'application/json') => fetch(`${s.base}/api/messages`, { method: 'POST', headers: { 'content-type': type }, body });
    expect((await post('{not json')).status).toBe(400);
    expect((await post('{"text":"no type"}')).status).toBe(400);
    expect((await post('hello', 'text/plain')).status).toBe(415);
    expect((await post(JSON.stringify({ type: 'message', text: 'x'.repeat(300_000) }))).status).toBe(413);
    expect((await fetch(`${s.base}/nope`)).status).toBe(404);
    const dl = await fetch(`${s.base}/directline/conversations/unknown/activities`, { headers: { authorization: 'Bearer x' } });
    expect(dl.status).toBe(404);
    expect((await fetch(`${s.base}/healthz`)).status).toBe(200);
  });

  it('refuses malformed Direct Line and Slack requests with a 4xx', async () => {
    const { token, conversationId } = (await (await fetch(`${s.base}/directline/tokens/generate`, { method: 'POST' })).json()) as { token: string; conversationId: string };
    const dl = (body: string, type = 'application/json') =>
      fetch(`${s.base}/directline/conversations/${conversationId}/activities`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body });
    expect((await dl('{oops')).status).toBe(400);
    expect((await dl(JSON.stringify({ text: 'no type' }))).status).toBe(400);
    expect((await dl(JSON.stringify({ type: 'message', text: 1 }))).status).toBe(400);
    expect((await dl(JSON.stringify({ type: 'message', text: 'x'.repeat(100_000) }))).status).toBe(413);
    // Slack is not configured on this server: its path does not exist.
    expect((await fetch(`${s.base}/slack/events`, { method: 'POST', body: 'x' })).status).toBe(404);
    expect((await fetch(`${s.base}/healthz`)).status).toBe(200);
  });

  it('keeps Direct Line conversations private to their token', async () => {
    const a = (await (await fetch(`${s.base}/directline/tokens/generate`, { method: 'POST' })).json()) as { conversationId: string };
    const b = (await (await fetch(`${s.base}/directline/tokens/generate`, { method: 'POST' })).json()) as { token: string };
    const res = await fetch(`${s.base}/directline/conversations/${a.conversationId}/activities`, { headers: { authorization: `Bearer ${b.token}` } });
    expect(res.status).toBe(403);
  });

  it('logs JSON lines with a request id', () => {
    const lines = s.stdout().split('\n').filter((l) => l.startsWith('{'));
    const requests = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
    expect(requests.length).toBeGreaterThan(3);
    expect(requests.every((r) => typeof r.req === 'string')).toBe(true);
  });

  // Last: it stops the server this block shares.
  it('finishes a request in flight on SIGTERM, refuses new ones, and exits 0', async () => {
    const url = new URL(s.base);
    const body = JSON.stringify({
      type: 'message', id: 'x', text: 'what is J12.4', channelId: 'emulator', serviceUrl: 'http://127.0.0.1:9/', deliveryMode: 'expectReplies',
      from: { id: 'u' }, recipient: { id: 'b' }, conversation: { id: 'c' },
    });
    const socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((r) => socket.on('connect', () => r()));
    let response = '';
    socket.on('data', (d) => (response += d.toString()));
    // Headers and half the body now: the request is in flight when the signal arrives.
    socket.write(`POST /api/messages HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`);
    socket.write(body.slice(0, 40));
    await new Promise((r) => setTimeout(r, 200));
    s.proc.kill('SIGTERM');
    // The server says it stopped listening, and that this request was in flight when it did.
    const [stopping] = await s.waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('stopping'));
    expect(stopping!.inFlight).toBe(1);
    await expect(fetch(`${s.base}/healthz`)).rejects.toThrow();
    socket.write(body.slice(40));
    const code = await s.exited;
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    expect(response).toContain('J12.4');
    expect(code).toBe(0);
  });
});

describe('patient identifiers through the server', () => {
  it('answers with a reminder, and keeps the raw NHS number out of the logs and the database', async () => {
    const { tempDb } = await import('./server-helpers.js');
    const { readdirSync, readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const { SqliteStore } = await import('../src/store/sqlite.js');
    const db = tempDb();
    // In process, the real app with the SQLite store the server would open, every log line captured at trace.
    const store = new SqliteStore(db);
    const s = await serveInProcess({ LOG_LEVEL: 'trace' }, { store });
    const [answer] = await directLineAsk(s.base, 'patient NHS no 943 476 5919, DOB 01/02/1960, LS1 4AP: how do I code perc RFA of liver mets?');
    const card = cardText(answer!);
    expect(card).toContain('J12.4');
    expect(card).toMatch(/Please do not share patient identifiers/);
    await s.close();
    await store.close();
    const logs = JSON.stringify(s.logs);
    expect(s.logs.length).toBeGreaterThan(3);
    const dir = path.dirname(db);
    const bytes = readdirSync(dir).map((n) => readFileSync(path.join(dir, n)).toString('latin1')).join('');
    for (const raw of ['943 476 5919', '9434765919', '01/02/1960', 'LS1 4AP']) {
      expect(logs).not.toContain(raw);
      expect(bytes).not.toContain(raw);
    }
    expect(bytes).toContain('[NHS number]');
  });
});

describe('configuration', () => {
  it('names a bad value in one line and exits non-zero', async () => {
    const r = await failToStart({ PORT: 'abc' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('codebot: configuration error: PORT: must be a whole number from 0 to 65535 (got "abc")');
  });

  it('refuses production without Bot Framework credentials', async () => {
    const r = await failToStart({ NODE_ENV: 'production' });
    expect(r.stderr).toMatch(/MicrosoftAppId: required in production/);
  });

  it('never shows a secret, even when refusing to start', async () => {
    const r = await failToStart({ MicrosoftAppId: 'app-123', MicrosoftAppPassword: 'sup3r-s3cret-value', MicrosoftAppType: 'Nonsense' });
    expect(r.stderr).toMatch(/MicrosoftAppType: must be MultiTenant, SingleTenant or UserAssignedMSI/);
    expect(r.stderr + r.stdout).not.toContain('sup3r-s3cret-value');
  });

  it('stops on a broken knowledge file, naming the file and the reason', async () => {
    const r = await failToStart({ CODEBOT_KNOWLEDGE: '/nonexistent/knowledge' });
    expect(r.stderr).toMatch(/cannot start: \/nonexistent\/knowledge: knowledge folder has no entries\/ folder and no NICE page files/);
  });
});

describe('with Bot Framework credentials', () => {
  it('refuses unauthenticated requests with 401 and keeps the secret out of the logs', async () => {
    const s = await serveInProcess({ MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'pa55-w0rd-not-for-logs' });
    const res = await fetch(`${s.base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'hi', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/', from: { id: 'u' }, conversation: { id: 'c' }, recipient: { id: 'b' } }),
    });
    expect(res.status).toBe(401);
    const forged = await fetch(`${s.base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not.a.token' },
      body: JSON.stringify({ type: 'message', text: 'hi', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/', from: { id: 'u' }, conversation: { id: 'c' }, recipient: { id: 'b' } }),
    });
    expect(forged.status).toBe(401);
    expect(JSON.stringify(s.surfaces)).toMatch(/authenticated as app 00000000-0000-0000-0000-000000000001/);
    await s.close();
    expect(s.logs.filter((l) => l.msg === 'Bot Framework request refused: authentication failed')).toHaveLength(2);
    expect(JSON.stringify(s.logs)).not.toContain('pa55-w0rd-not-for-logs');
  });
});
