// The Bot Framework surface (Teams and the local web chat) as the server sees it: routes to mount.
// Every botbuilder import stays in this folder, so swapping SDKs later touches nothing else.

import type { Activity } from 'botbuilder';
import express, { type Express } from 'express';
import type { Assistant } from '../../assistant/assistant.js';
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import { CodebotAdapter } from './adapter.js';
import { CodebotBot } from './bot.js';
import { directLineRouter } from './directline.js';

export interface BotFrameworkSurface {
  /** Mount the local Direct Line endpoint (for the web chat) under a path. */
  mountDirectLine(app: Express, path: string): void;
}

/** Mount POST /api/messages; returns what else the surface can offer the server. */
export function mountBotFramework(app: Express, config: Config, assistant: Assistant, log: Logger): BotFrameworkSurface {
  const l = log.child({ surface: 'botframework' });
  const adapter = new CodebotAdapter(config.botFramework, l);
  const bot = new CodebotBot(assistant, l);

  app.post('/api/messages', express.json({ limit: '256kb' }), async (req, res, next) => {
    try {
      if (!req.is('application/json')) {
        return void res.status(415).json({ error: 'expected application/json' });
      }
      const activity = req.body as Partial<Activity> | undefined;
      if (!activity || typeof activity !== 'object' || typeof activity.type !== 'string') {
        (res.locals.log as Logger | undefined ?? l).warn('Bot Framework request without an activity type');
        return void res.status(400).json({ error: 'body must be a Bot Framework activity with a type' });
      }
      await adapter.process(req, res, (ctx) => bot.run(ctx));
    } catch (err) {
      next(err);
    }
  });

  return {
    mountDirectLine(target, path) {
      target.use(path, directLineRouter({ adapter, bot, log: log.child({ surface: 'directline' }) }));
    },
  };
}
