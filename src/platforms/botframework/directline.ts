// A small Direct Line 3.0 compatible endpoint, so the official Web Chat client can talk to the
// bot with no Azure account: conversations, posting activities, and polling with a watermark.
// Every activity goes through the same adapter and activity handler as /api/messages.
//
// Anyone who can reach it can use it, so it is bounded: activities are kept as JSON text and
// counted in bytes (per conversation and in total), each client address may hold a few live
// conversations and create only so many a minute, idle conversations expire, and one client can
// never push out another's conversation.

import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Activity, ActivityHandler } from 'botbuilder';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Logger } from '../../log.js';
import type { CodebotAdapter } from './adapter.js';

export interface DirectLineLimits {
  /** Bytes of activities kept over all conversations. */
  maxBytes: number;
  /** Bytes of activities kept per conversation; older ones (already delivered) go first. */
  conversationBytes: number;
  /** Live conversations one client address may hold; its own least recently used goes first. */
  perClient: number;
  /** New conversations one client address may open per minute. */
  createPerMinute: number;
  /** A conversation nobody has used for this long is forgotten. */
  idleMs: number;
  /** Lifetime of a token; refresh gives a new one. */
  tokenTtlSeconds: number;
}

export const DEFAULT_DIRECTLINE_LIMITS: DirectLineLimits = {
  maxBytes: 32 * 1024 * 1024,
  conversationBytes: 128 * 1024,
  perClient: 10,
  createPerMinute: 20,
  idleMs: 30 * 60 * 1000,
  tokenTtlSeconds: 3600,
};

interface Conversation {
  id: string;
  /** sha256 of the bearer token: the token itself is never kept. */
  tokenHash: Buffer;
  tokenExpires: number;
  userId: string;
  client: string;
  started: boolean;
  /** Activities in order, as JSON text; `base` is the watermark of the first one kept. */
  activities: string[];
  bytes: number;
  base: number;
  lastUsed: number;
}

/** V8 keeps a string in one or two bytes a character: count two, to stay under the bound. */
const sizeOf = (s: string) => s.length * 2;
const hashToken = (token: string) => createHash('sha256').update(token).digest();

export type CreateResult = { ok: true; conversation: Conversation; token: string } | { ok: false; status: 429 | 503; message: string };

export class DirectLineConversations {
  private readonly byId = new Map<string, Conversation>();
  private readonly byToken = new Map<string, Conversation>();
  private readonly created = new Map<string, number[]>();
  private bytesKept = 0;
  readonly limits: DirectLineLimits;
  readonly maxConversations: number;

  constructor(
    limits: Partial<DirectLineLimits> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.limits = { ...DEFAULT_DIRECTLINE_LIMITS, ...limits };
    // Every conversation may fill its own allowance without the total passing maxBytes.
    this.maxConversations = Math.max(1, Math.floor(this.limits.maxBytes / this.limits.conversationBytes));
  }

  private remove(c: Conversation): void {
    this.byId.delete(c.id);
    this.byToken.delete(c.tokenHash.toString('hex'));
    this.bytesKept -= c.bytes;
  }

  /** Forget idle conversations and old creation times. */
  sweep(): void {
    const now = this.now();
    for (const c of [...this.byId.values()]) if (now - c.lastUsed > this.limits.idleMs) this.remove(c);
    for (const [client, times] of this.created) {
      const recent = times.filter((t) => t > now - 60_000);
      if (recent.length === 0) this.created.delete(client);
      else this.created.set(client, recent);
    }
  }

  private issueToken(c: Conversation): string {
    this.byToken.delete(c.tokenHash.toString('hex'));
    const token = randomBytes(24).toString('base64url');
    c.tokenHash = hashToken(token);
    c.tokenExpires = this.now() + this.limits.tokenTtlSeconds * 1000;
    this.byToken.set(c.tokenHash.toString('hex'), c);
    return token;
  }

  create(client: string): CreateResult {
    const now = this.now();
    this.sweep();
    const times = this.created.get(client) ?? [];
    if (times.length >= this.limits.createPerMinute) {
      return { ok: false, status: 429, message: 'Too many new conversations from this address; try again in a minute' };
    }
    // A client over its allowance gives up its own oldest conversation, never anyone else's.
    const own = [...this.byId.values()].filter((c) => c.client === client).sort((a, b) => a.lastUsed - b.lastUsed);
    while (own.length >= this.limits.perClient) this.remove(own.shift()!);
    if (this.byId.size >= this.maxConversations) {
      return { ok: false, status: 503, message: 'The local chat is full; try again later' };
    }
    times.push(now);
    this.created.set(client, times);
    const c: Conversation = {
      id: randomUUID().replace(/-/g, ''),
      tokenHash: Buffer.alloc(0),
      tokenExpires: 0,
      userId: `dl_${randomBytes(6).toString('hex')}`,
      client,
      started: false,
      activities: [],
      bytes: 0,
      base: 0,
      lastUsed: now,
    };
    const token = this.issueToken(c);
    this.byId.set(c.id, c);
    return { ok: true, conversation: c, token };
  }

  get(id: string): Conversation | undefined {
    const c = this.byId.get(id);
    if (c && this.now() - c.lastUsed > this.limits.idleMs) {
      this.remove(c);
      return undefined;
    }
    if (c) c.lastUsed = this.now();
    return c;
  }

  /** The conversation a live token belongs to. */
  withToken(token: string): Conversation | 'expired' | undefined {
    const c = this.byToken.get(hashToken(token).toString('hex'));
    if (!c || !this.byId.has(c.id)) return undefined;
    return this.now() > c.tokenExpires ? 'expired' : c;
  }

  /** Does this token (compared in constant time) open this conversation? */
  authorises(c: Conversation, token: string | undefined): 'ok' | 'invalid' | 'expired' {
    if (!token) return 'invalid';
    if (!timingSafeEqual(hashToken(token), c.tokenHash)) return 'invalid';
    return this.now() > c.tokenExpires ? 'expired' : 'ok';
  }

  refresh(c: Conversation): string {
    return this.issueToken(c);
  }

  /** Keep an activity (as JSON text), dropping the conversation's oldest past its allowance. */
  push(c: Conversation, a: Partial<Activity>): { id: string } {
    const id = this.nextId(c);
    const json = JSON.stringify({ ...a, id, timestamp: new Date(this.now()).toISOString() });
    c.activities.push(json);
    c.bytes += sizeOf(json);
    this.bytesKept += sizeOf(json);
    while (c.bytes > this.limits.conversationBytes && c.activities.length > 1) {
      const old = c.activities.shift()!;
      c.bytes -= sizeOf(old);
      this.bytesKept -= sizeOf(old);
      c.base++;
    }
    return { id };
  }

  nextId(c: Conversation): string {
    return `${c.id}|${String(c.base + c.activities.length).padStart(7, '0')}`;
  }

  /** Activities from a watermark on, as one JSON array text. */
  since(c: Conversation, watermark: number): { json: string; watermark: string } {
    const from = Number.isFinite(watermark) && watermark > c.base ? watermark - c.base : 0;
    return { json: `[${c.activities.slice(from).join(',')}]`, watermark: String(c.base + c.activities.length) };
  }

  get size(): number {
    return this.byId.size;
  }

  get bytes(): number {
    return this.bytesKept;
  }
}

function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

/**
 * The part of a client activity the bot reads: validated, since it crosses a boundary. Anything
 * else (unknown fields, attachments, most of channelData) is dropped, not kept.
 */
const PostedActivity = z.object({
  type: z.string().max(40),
  text: z.string().max(20_000).optional(),
  textFormat: z.string().max(20).optional(),
  value: z
    .unknown()
    .optional()
    .refine((v) => v === undefined || JSON.stringify(v).length <= 4000, 'a button value of at most 4,000 characters'),
  locale: z.string().max(20).optional(),
  from: z.object({ id: z.string().max(200).optional(), name: z.string().max(200).optional() }).optional(),
  // Web Chat matches its own echo by clientActivityID; nothing else of channelData is kept.
  channelData: z
    .object({ clientActivityID: z.string().max(100).optional(), clientTimestamp: z.string().max(40).optional() })
    .optional()
    .catch(undefined),
  attachments: z.array(z.unknown()).max(0, 'attachments are not supported').optional(),
});

export interface DirectLineOptions {
  adapter: CodebotAdapter;
  bot: ActivityHandler;
  log: Logger;
  conversations?: DirectLineConversations;
}

export function directLineRouter(opts: DirectLineOptions): Router {
  const { adapter, bot, log } = opts;
  const store = opts.conversations ?? new DirectLineConversations();
  const sweeper = setInterval(() => store.sweep(), 60_000);
  sweeper.unref();
  const router = express.Router();
  router.use(express.json({ limit: '64kb' }));

  const bot$ = { id: 'codebot', name: 'codebot', role: 'bot' };
  const conversationJson = (c: Conversation, token: string) => ({ conversationId: c.id, token, expires_in: store.limits.tokenTtlSeconds });
  const client = (req: Request) => req.socket.remoteAddress ?? 'unknown';
  const error = (res: Response, status: number, code: string, message: string) => void res.status(status).json({ error: { code, message } });

  async function run(c: Conversation, req: Request, activity: Partial<Activity>): Promise<Partial<Activity>[]> {
    const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    const full: Partial<Activity> = {
      ...activity,
      channelId: 'webchat',
      serviceUrl: `${origin}/directline`,
      // The per-workspace limit for the web chat is per client address.
      conversation: { id: c.id, tenantId: `dl:${c.client}` } as Activity['conversation'],
      recipient: bot$ as Activity['recipient'],
    };
    return adapter.processLocal(full, (ctx) => bot.run(ctx));
  }

  const keepReplies = (c: Conversation, replies: Partial<Activity>[], replyToId: string | undefined) => {
    for (const r of replies) store.push(c, { ...r, from: bot$ as Activity['from'], conversation: { id: c.id } as Activity['conversation'], replyToId });
  };

  async function start(c: Conversation, req: Request): Promise<void> {
    if (c.started) return;
    c.started = true;
    const replies = await run(c, req, {
      type: 'conversationUpdate',
      id: randomUUID(),
      from: { id: c.userId, role: 'user' } as Activity['from'],
      membersAdded: [{ id: c.userId, name: 'You' }, { id: bot$.id, name: bot$.name }] as Activity['membersAdded'],
    });
    keepReplies(c, replies, undefined);
  }

  /** The conversation a request may act on, or an error response already sent. */
  function authorised(req: Request, res: Response): Conversation | undefined {
    const c = store.get(String(req.params.id));
    if (!c) return void error(res, 404, 'BadArgument', 'Conversation not found');
    const verdict = store.authorises(c, bearer(req));
    if (verdict === 'invalid') return void error(res, 403, 'TokenInvalid', 'Token not valid for this conversation');
    if (verdict === 'expired') return void error(res, 403, 'TokenExpired', 'Token expired; refresh it');
    return c;
  }

  function create(req: Request, res: Response): { c: Conversation; token: string } | undefined {
    const made = store.create(client(req));
    if (!made.ok) {
      log.warn({ status: made.status, conversations: store.size }, 'Direct Line conversation refused');
      if (made.status === 429) res.setHeader('retry-after', '60');
      return void error(res, made.status, made.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable', made.message);
    }
    return { c: made.conversation, token: made.token };
  }

  router.post('/tokens/generate', (req, res) => {
    // The client's own user id is not taken: it would let one client spend another's rate limit.
    const made = create(req, res);
    if (made) res.json(conversationJson(made.c, made.token));
  });

  router.post('/tokens/refresh', (req, res) => {
    const token = bearer(req);
    const c = token ? store.withToken(token) : undefined;
    if (!c) return error(res, 403, 'TokenInvalid', 'Unknown token');
    if (c === 'expired') return error(res, 403, 'TokenExpired', 'Token expired');
    res.json(conversationJson(c, store.refresh(c)));
  });

  router.post('/conversations', async (req, res, next) => {
    try {
      const token = bearer(req);
      let made: { c: Conversation; token: string } | undefined;
      if (token) {
        const c = store.withToken(token);
        if (!c) return error(res, 403, 'TokenInvalid', 'Unknown token');
        if (c === 'expired') return error(res, 403, 'TokenExpired', 'Token expired; refresh it');
        made = { c, token };
      } else {
        made = create(req, res);
        if (!made) return;
      }
      await start(made.c, req);
      res.status(201).json(conversationJson(made.c, made.token));
    } catch (err) {
      next(err);
    }
  });

  router.get('/conversations/:id', (req, res) => {
    const c = authorised(req, res);
    if (c) res.json({ conversationId: c.id, expires_in: Math.max(0, Math.round((c.tokenExpires - Date.now()) / 1000)) });
  });

  router.post('/conversations/:id/activities', async (req, res, next) => {
    try {
      const c = authorised(req, res);
      if (!c) return;
      const parsed = PostedActivity.safeParse(req.body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        log.warn({ field: issue.path.join('.') || 'body', conversation: c.id }, 'bad Direct Line activity');
        return error(res, 400, 'BadArgument', `${issue.path.join('.') || 'body'}: ${issue.message}`);
      }
      await start(c, req);
      const a = parsed.data;
      const activity: Partial<Activity> = {
        type: a.type,
        id: store.nextId(c),
        ...(a.text !== undefined ? { text: a.text } : {}),
        ...(a.textFormat !== undefined ? { textFormat: a.textFormat } : {}),
        ...(a.value !== undefined ? { value: a.value } : {}),
        ...(a.locale !== undefined ? { locale: a.locale } : {}),
        ...(a.channelData?.clientActivityID ? { channelData: { clientActivityID: a.channelData.clientActivityID } } : {}),
        from: { id: c.userId, role: 'user' } as Activity['from'],
        conversation: { id: c.id } as Activity['conversation'],
      };
      // The bot has answered (or apologised) by the time the post is acknowledged, as a bot
      // behind the real Direct Line would; the client polls for the reply.
      const replies = await run(c, req, activity);
      // A message the bot dropped (a flood past its slow-down reply) is not kept either.
      if (a.type !== 'message' || replies.length > 0) {
        const { id } = store.push(c, activity);
        keepReplies(c, replies, id);
        return void res.json({ id });
      }
      res.json({ id: activity.id });
    } catch (err) {
      next(err);
    }
  });

  router.get('/conversations/:id/activities', (req, res) => {
    const c = authorised(req, res);
    if (!c) return;
    const page = store.since(c, Number.parseInt(String(req.query.watermark ?? '0'), 10));
    res.type('json').send(`{"activities":${page.json},"watermark":${JSON.stringify(page.watermark)}}`);
  });

  router.post('/conversations/:id/upload', (_req, res) => {
    error(res, 415, 'NotSupported', 'codebot does not take attachments');
  });

  return router;
}
