// The Bot Framework surface (Teams and the local web chat) as the server sees it: routes to mount.
// Every botbuilder import stays in this folder, so swapping SDKs later touches nothing else.

import type { Activity } from 'botbuilder';
import express, { type Express } from 'express';
import type { Core } from '../../assistant/assistant.js';
import { isLoopbackHost, type Config } from '../../config.js';
import type { Surface } from '../surface.js';
import type { Logger } from '../../log.js';
import { CodebotAdapter } from './adapter.js';
import { CodebotBot } from './bot.js';
import { DirectLineConversations, directLineRouter } from './directline.js';

export interface BotFrameworkSurface extends Surface {
  /** Mount the local Direct Line endpoint (for the web chat) under a path. */
  mountDirectLine(app: Express, path: string): void;
  /** What the Direct Line store holds now, for /readyz. */
  directLine(): { conversations: number; bytes: number; maxBytes: number } | null;
}

/** In local mode replies go only to this machine: a serviceUrl elsewhere would make us a relay. */
function loopbackUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && isLoopbackHost(u.hostname);
  } catch {
    return false;
  }
}

/** Teams and the local web chat's endpoint, POST /api/messages, and the Direct Line the web chat uses. */
export function botFrameworkSurface(config: Config, assistant: Core, log: Logger): BotFrameworkSurface {
  const l = log.child({ surface: 'botframework' });
  const enabled = config.botFramework.enabled;
  const adapter = enabled ? new CodebotAdapter(config.botFramework, l) : undefined;
  const bot = new CodebotBot(assistant, l);
  let conversations: DirectLineConversations | null = null;
  return {
    name: 'Bot Framework (Teams, Web Chat)',
    path: '/api/messages',
    describe: () => ({
      enabled,
      note: !enabled
        ? config.botFramework.reason
        : config.botFramework.local
          ? 'LOCAL MODE: no MicrosoftAppId, so requests are not authenticated (loopback only, replies only to loopback addresses); set MicrosoftAppId and MicrosoftAppPassword for Teams'
          : `authenticated as app ${config.botFramework.appId}`,
    }),
    mount: (app) => {
      if (adapter) mountMessages(app, config, adapter, bot, l);
    },
    start: async () => undefined,
    stop: async () => undefined,
    mountDirectLine(target, path) {
      if (!adapter) return;
      conversations = new DirectLineConversations({ maxBytes: config.directLine.maxBytes, createPerMinute: config.directLine.createPerMinute });
      target.use(path, directLineRouter({ adapter, bot, log: l.child({ surface: 'directline' }), conversations }));
    },
    directLine: () => (conversations ? { conversations: conversations.size, bytes: conversations.bytes, maxBytes: conversations.limits.maxBytes } : null),
  };
}

function mountMessages(app: Express, config: Config, adapter: CodebotAdapter, bot: CodebotBot, l: Logger): void {
  app.post('/api/messages', express.json({ limit: '256kb' }), async (req, res, next) => {
    try {
      const rlog = (res.locals.log as Logger | undefined) ?? l;
      if (!req.is('application/json')) {
        return void res.status(415).json({ error: 'expected application/json' });
      }
      const activity = req.body as Partial<Activity> | undefined;
      if (!activity || typeof activity !== 'object' || Array.isArray(activity) || typeof activity.type !== 'string') {
        rlog.warn('Bot Framework request without an activity type');
        return void res.status(400).json({ error: 'body must be a Bot Framework activity with a type' });
      }
      if (config.botFramework.local && !loopbackUrl(activity.serviceUrl)) {
        rlog.warn({ field: 'serviceUrl' }, 'local mode: reply address is not on this machine');
        return void res.status(400).json({ error: 'serviceUrl: in local mode replies go only to a loopback address (127.0.0.1, ::1, localhost)' });
      }
      const result = await adapter.processHttp(activity as Activity, String(req.headers.authorization ?? ''), (ctx) => bot.run(ctx), rlog);
      res.status(result.status);
      if (result.body !== undefined) res.json(result.body);
      else res.end();
    } catch (err) {
      next(err);
    }
  });
}
