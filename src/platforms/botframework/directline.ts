// A small Direct Line 3.0 compatible endpoint, so the official Web Chat client can talk to the
// bot with no Azure account: conversations, posting activities, and polling with a watermark.
// Every activity goes through the same adapter and activity handler as /api/messages.

import { randomBytes, randomUUID } from 'node:crypto';
import type { Activity, ActivityHandler } from 'botbuilder';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Logger } from '../../log.js';
import type { CodebotAdapter } from './adapter.js';

const TOKEN_TTL_SECONDS = 3600;
const MAX_CONVERSATIONS = 1000;
const MAX_ACTIVITIES = 500;

interface Conversation {
  id: string;
  token: string;
  userId: string;
  started: boolean;
  /** Activities in order; `base` is the watermark of the first one kept. */
  activities: Partial<Activity>[];
  base: number;
  lastUsed: number;
}

/** The part of a client activity we read: validated, since it crosses a boundary. */
const PostedActivity = z.object({
  type: z.string().max(40),
  text: z.string().max(20_000).optional(),
  textFormat: z.string().max(20).optional(),
  value: z.unknown().optional(),
  locale: z.string().max(20).optional(),
  from: z.object({ id: z.string().max(200).optional(), name: z.string().max(200).optional() }).passthrough().optional(),
  channelData: z.record(z.string(), z.unknown()).optional(),
  attachments: z.array(z.unknown()).max(0, 'attachments are not supported').optional(),
});

export class DirectLineConversations {
  private readonly byId = new Map<string, Conversation>();

  create(userId?: string): Conversation {
    const c: Conversation = {
      id: randomUUID().replace(/-/g, ''),
      token: randomBytes(24).toString('base64url'),
      userId: userId ?? `dl_${randomBytes(6).toString('hex')}`,
      started: false,
      activities: [],
      base: 0,
      lastUsed: Date.now(),
    };
    this.byId.set(c.id, c);
    // Bounded: the least recently used conversation goes first.
    while (this.byId.size > MAX_CONVERSATIONS) this.byId.delete(this.byId.keys().next().value!);
    return c;
  }

  get(id: string): Conversation | undefined {
    const c = this.byId.get(id);
    if (c) {
      c.lastUsed = Date.now();
      this.byId.delete(id);
      this.byId.set(id, c);
    }
    return c;
  }

  byToken(token: string): Conversation | undefined {
    for (const c of this.byId.values()) if (c.token === token) return c;
    return undefined;
  }

  get size(): number {
    return this.byId.size;
  }
}

function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

function push(c: Conversation, a: Partial<Activity>): Partial<Activity> {
  const seq = c.base + c.activities.length;
  const stored: Partial<Activity> = { ...a, id: `${c.id}|${String(seq).padStart(7, '0')}`, timestamp: new Date() };
  c.activities.push(stored);
  if (c.activities.length > MAX_ACTIVITIES) {
    c.activities.shift();
    c.base++;
  }
  return stored;
}

export interface DirectLineOptions {
  adapter: CodebotAdapter;
  bot: ActivityHandler;
  log: Logger;
  conversations?: DirectLineConversations;
}

export function directLineRouter(opts: DirectLineOptions): Router {
  const { adapter, bot, log } = opts;
  const store = opts.conversations ?? new DirectLineConversations();
  const router = express.Router();
  router.use(express.json({ limit: '64kb' }));

  const bot$ = { id: 'codebot', name: 'codebot', role: 'bot' };
  const conversationJson = (c: Conversation) => ({ conversationId: c.id, token: c.token, expires_in: TOKEN_TTL_SECONDS });

  async function run(c: Conversation, req: Request, activity: Partial<Activity>): Promise<void> {
    const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    const full: Partial<Activity> = {
      ...activity,
      channelId: 'webchat',
      serviceUrl: `${origin}/directline`,
      conversation: { id: c.id } as Activity['conversation'],
      recipient: bot$ as Activity['recipient'],
    };
    const replies = await adapter.processLocal(full, (ctx) => bot.run(ctx));
    for (const r of replies) push(c, { ...r, from: bot$ as Activity['from'], conversation: { id: c.id } as Activity['conversation'], replyToId: activity.id });
  }

  async function start(c: Conversation, req: Request): Promise<void> {
    if (c.started) return;
    c.started = true;
    await run(c, req, {
      type: 'conversationUpdate',
      id: randomUUID(),
      from: { id: c.userId, role: 'user' } as Activity['from'],
      membersAdded: [{ id: c.userId, name: 'You' }, { id: bot$.id, name: bot$.name }] as Activity['membersAdded'],
    });
  }

  /** The conversation a request may act on, or an error response already sent. */
  function authorised(req: Request, res: Response): Conversation | undefined {
    const c = store.get(String(req.params.id));
    if (!c) {
      res.status(404).json({ error: { code: 'BadArgument', message: 'Conversation not found' } });
      return undefined;
    }
    if (bearer(req) !== c.token) {
      res.status(403).json({ error: { code: 'TokenInvalid', message: 'Token not valid for this conversation' } });
      return undefined;
    }
    return c;
  }

  router.post('/tokens/generate', (req, res) => {
    const body = z.object({ user: z.object({ id: z.string().max(200) }).optional() }).safeParse(req.body ?? {});
    const c = store.create(body.success ? body.data.user?.id : undefined);
    res.json(conversationJson(c));
  });

  router.post('/tokens/refresh', (req, res) => {
    const token = bearer(req);
    const c = token ? store.byToken(token) : undefined;
    if (!c) return void res.status(403).json({ error: { code: 'TokenInvalid', message: 'Unknown token' } });
    res.json(conversationJson(c));
  });

  router.post('/conversations', async (req, res, next) => {
    try {
      const token = bearer(req);
      let c = token ? store.byToken(token) : undefined;
      if (token && !c) return void res.status(403).json({ error: { code: 'TokenInvalid', message: 'Unknown token' } });
      c ??= store.create();
      await start(c, req);
      res.status(201).json(conversationJson(c));
    } catch (err) {
      next(err);
    }
  });

  router.get('/conversations/:id', (req, res) => {
    const c = authorised(req, res);
    if (c) res.json(conversationJson(c));
  });

  router.post('/conversations/:id/activities', async (req, res, next) => {
    try {
      const c = authorised(req, res);
      if (!c) return;
      const parsed = PostedActivity.safeParse(req.body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        log.warn({ field: issue.path.join('.') || 'body', conversation: c.id }, 'bad Direct Line activity');
        return void res.status(400).json({ error: { code: 'BadArgument', message: `${issue.path.join('.') || 'body'}: ${issue.message}` } });
      }
      await start(c, req);
      const a = parsed.data;
      const stored = push(c, {
        type: a.type,
        text: a.text,
        textFormat: a.textFormat,
        value: a.value,
        locale: a.locale,
        channelData: a.channelData,
        from: { id: c.userId, name: a.from?.name, role: 'user' } as Activity['from'],
        conversation: { id: c.id } as Activity['conversation'],
      });
      // The bot has answered (or apologised) by the time the post is acknowledged, as a bot
      // behind the real Direct Line would; the client polls for the reply.
      await run(c, req, stored);
      res.json({ id: stored.id });
    } catch (err) {
      next(err);
    }
  });

  router.get('/conversations/:id/activities', (req, res) => {
    const c = authorised(req, res);
    if (!c) return;
    const w = Number.parseInt(String(req.query.watermark ?? '0'), 10);
    const from = Number.isFinite(w) && w > c.base ? w - c.base : 0;
    res.json({ activities: c.activities.slice(from), watermark: String(c.base + c.activities.length) });
  });

  router.post('/conversations/:id/upload', (_req, res) => {
    res.status(415).json({ error: { code: 'NotSupported', message: 'codebot does not take attachments' } });
  });

  return router;
}
