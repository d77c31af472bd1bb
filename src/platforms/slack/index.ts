// The Slack surface, on @slack/bolt: mentions and DMs answered in threads, /code, buttons.
// It translates Slack events into inbound messages and Replies into Block Kit; every @slack import
// stays in this folder.

import { randomUUID } from 'node:crypto';
import { App, ExpressReceiver, LogLevel, verifySlackRequest, type Logger as BoltLogger, type Receiver } from '@slack/bolt';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Core } from '../../assistant/assistant.js';
import { apologise, deliver, type Outlet } from '../../assistant/deliver.js';
import type { Reply } from '../../assistant/reply.js';
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import type { Surface } from '../surface.js';
import { ACTION_ASK, ACTION_FEEDBACK, renderBlocks } from '../../render/block-kit.js';
import { parseSlackAsk, parseSlackFeedback } from '../../render/buttons.js';

type SlackConfig = Extract<Config['slack'], { enabled: true }>;

const USAGE = [
  '*/code* answers from NICE interventional procedures guidance, just for you:',
  '`/code J12.4` or `/code y53.9`: what a code is',
  '`/code percutaneous rfa liver`: codes for a procedure',
  '`/code how do I code ...`: any question',
  '`/code share <question>`: post the answer to the channel',
].join('\n');


/** Bolt's own log lines, into ours. */
function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  return {
    debug: (...m: unknown[]) => log.debug({ bolt: m.map(String).join(' ') }),
    info: (...m: unknown[]) => log.info({ bolt: m.map(String).join(' ') }),
    warn: (...m: unknown[]) => log.warn({ bolt: m.map(String).join(' ') }),
    error: (...m: unknown[]) => log.error({ bolt: m.map(String).join(' ') }),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

export interface SlackSurface {
  mode: 'http' | 'socket';
  /** HTTP mode: the router with POST /slack/events, to mount on the server. */
  router?: Router;
  /** Socket Mode: connect to Slack. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

function message(reply: Reply) {
  const { text, blocks } = renderBlocks(reply);
  return { text, blocks };
}

/** Slack signs with a timestamp; one further off than this, either way, is refused. */
const MAX_SKEW_SECONDS = 300;

/** What a form-encoded interactive payload must have for our buttons (they live in messages). */
const Interactive = z.object({
  type: z.string(),
  channel: z.object({ id: z.string().min(1) }).optional(),
});

/**
 * Runs before Bolt on POST /slack/events: refuses timestamps too far in the future (Bolt checks
 * only the past), answers a replayed signed request (same signature) once, and turns bodies Bolt
 * would trip over (a signed `null`, a button press with no channel) into a 400 instead of a 500.
 * Bolt still verifies the signature itself afterwards, from the raw body kept here.
 */
function guard(cfg: SlackConfig, seen: Core['events'], log: Logger) {
  const refuse = (res: Response, status: number, why: string, rlog: Logger) => {
    rlog.warn({ status, reason: why }, 'Slack request refused');
    res.status(status).json({ error: why });
  };
  // (Express 5 passes a rejected promise to the error handler, as a thrown error.)
  return async (req: Request, res: Response, next: NextFunction) => {
    const rlog = (res.locals.log as Logger | undefined) ?? log;
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const ts = Number(req.get('x-slack-request-timestamp'));
    const signature = req.get('x-slack-signature') ?? '';
    if (!Number.isFinite(ts) || signature === '') return refuse(res, 401, 'missing or malformed signature headers', rlog);
    if (Math.abs(Date.now() / 1000 - ts) > MAX_SKEW_SECONDS) return refuse(res, 401, 'request timestamp more than 5 minutes from now', rlog);
    try {
      verifySlackRequest({ signingSecret: cfg.signingSecret, body: raw.toString('utf8'), headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': ts } });
    } catch {
      return refuse(res, 401, 'signature mismatch', rlog);
    }
    // A signature covers the timestamp and the body: the same one twice is a replay.
    if (!(await seen.claim(`sig:${signature}`))) {
      rlog.info({ status: 200 }, 'replayed Slack request ignored');
      return void res.status(200).end();
    }
    await seen.done(`sig:${signature}`);
    let body: unknown;
    try {
      if (req.is('application/json')) body = JSON.parse(raw.toString('utf8'));
      else {
        const form = new URLSearchParams(raw.toString('utf8'));
        const payload = form.get('payload');
        body = payload === null ? Object.fromEntries(form) : JSON.parse(payload);
      }
    } catch {
      return refuse(res, 400, 'malformed body', rlog);
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return refuse(res, 400, 'body must be an object', rlog);
    const interactive = Interactive.safeParse(body);
    if (interactive.success && interactive.data.type === 'block_actions' && !interactive.data.channel) {
      return refuse(res, 400, 'block_actions without a channel: codebot buttons live in messages', rlog);
    }
    (req as Request & { rawBody?: Buffer }).rawBody = raw;
    next();
  };
}

export interface SlackOptions {
  /**
   * Where Bolt gets its events from instead of our HTTP route (Bolt's Receiver contract). The tests
   * hand events to the listeners through `app.processEvent`, with no HTTP and no signatures.
   */
  receiver?: Receiver;
}

export function createSlack(cfg: SlackConfig, assistant: Core, log: Logger, opts: SlackOptions = {}): SlackSurface {
  const l = log.child({ surface: 'slack' });
  // Event ids live in the store, so a retry reaching another instance or arriving after a restart is not answered twice.
  const seen = assistant.events;
  // Slack answering 429 (after Retry-After) or 5xx: a few quick retries, not the client's default half hour.
  const clientOptions = {
    ...(cfg.apiUrl ? { slackApiUrl: cfg.apiUrl } : {}),
    retryConfig: { retries: 3, factor: 2, minTimeout: 200, maxTimeout: 2000 },
    rejectRateLimitedCalls: false,
  };
  // Our HTTP route and Bolt's Express receiver, unless another receiver hands Bolt its events.
  const ownRoute = cfg.mode === 'http' && !opts.receiver;
  const router = express.Router();
  if (ownRoute) router.post('/slack/events', express.raw({ type: () => true, limit: '256kb' }), guard(cfg, seen, l));
  const receiver =
    opts.receiver ??
    (ownRoute
      ? new ExpressReceiver({
          signingSecret: cfg.signingSecret,
          endpoints: '/slack/events',
          router,
          logger: boltLogger(l),
          // The request id our server gave this request, for every log line about it.
          customPropertiesExtractor: (req) => ({ requestId: String(req.headers['x-request-id'] ?? '') }),
        })
      : undefined);
  const app = new App({
    token: cfg.botToken,
    ...(receiver ? { receiver } : { socketMode: true, appToken: cfg.appToken, signingSecret: cfg.signingSecret }),
    clientOptions,
    logger: boltLogger(l),
    // codebot's own messages are dropped by the listeners, which log it (Bolt's filter says nothing).
    ignoreSelf: false,
  });

  const turnLog = (context: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    l.child({ req: context.requestId || undefined, turn: randomUUID(), ...extra });

  const ask = (
    text: string,
    conversation: { channel: string; thread: string | null },
    user: string,
    workspace: string | undefined,
    outlet: Outlet,
    log: Logger,
    about?: { guidance: string | null; group?: number | null },
  ) => deliver(assistant, { text, conversation: { platform: 'slack', ...conversation }, user, ...(workspace ? { workspace } : {}), ...(about ? { context: about } : {}) }, outlet, log);

  // Retries (X-Slack-Retry-Num) of an event already answered, or being answered, are acknowledged and dropped.
  app.use(async ({ body, next, context }) => {
    const id = (body as { event_id?: string }).event_id;
    if (!id) return next();
    if (!(await seen.claim(id))) {
      l.info({ req: context.requestId || undefined, event: id, retry: context.retryNum ?? null }, 'duplicate event ignored');
      return;
    }
    try {
      await next();
      await seen.done(id);
    } catch (err) {
      await seen.release(id).catch(() => undefined);
      throw err;
    }
  });

  const strip = (text: string, botUserId: string | undefined) => (botUserId ? text.split(`<@${botUserId}>`).join(' ') : text).trim();

  app.event('app_mention', async ({ event, say, context }) => {
    if (event.bot_id || event.subtype) return;
    const thread = event.thread_ts ?? event.ts;
    const log = turnLog(context, { channel: event.channel, event: 'app_mention' });
    await ask(strip(event.text, context.botUserId), { channel: event.channel, thread }, event.user ?? 'unknown', context.teamId, { reply: (reply) => say({ ...message(reply), thread_ts: thread }), apology: (text) => say({ text, thread_ts: thread }) }, log);
  });

  app.message(async ({ message: m, say, context }) => {
    // Direct messages only (channels answer mentions), and never edits, deletions, joins, bots or
    // codebot itself. What a DM was not answered for is logged: it is rare, and says it was decided.
    if (m.channel_type !== 'im') return;
    const why =
      'subtype' in m && m.subtype ? `subtype ${m.subtype}` : 'bot_id' in m && m.bot_id ? 'from a bot' : 'user' in m && m.user === context.botUserId ? 'from codebot' : !('text' in m) || typeof m.text !== 'string' ? 'no text' : null;
    if (why || !('text' in m) || typeof m.text !== 'string') {
      l.info({ req: context.requestId || undefined, channel: m.channel, reason: why }, 'direct message not answered');
      return;
    }
    const thread = 'thread_ts' in m && typeof m.thread_ts === 'string' ? m.thread_ts : undefined;
    const log = turnLog(context, { channel: m.channel, event: 'message.im' });
    const where = thread ? { thread_ts: thread } : {};
    await ask(strip(m.text, context.botUserId), { channel: m.channel, thread: thread ?? null }, 'user' in m ? String(m.user) : 'unknown', context.teamId, { reply: (reply) => say({ ...message(reply), ...where }), apology: (text) => say({ text, ...where }) }, log);
  });

  app.command('/code', async ({ command, ack, respond, context }) => {
    // Acknowledge first: Slack allows 3 seconds; the answer follows through response_url.
    await ack();
    const log = turnLog(context, { channel: command.channel_id, command: '/code' });
    try {
      const raw = command.text.trim();
      if (raw === '' || /^help$/i.test(raw)) {
        await respond({ response_type: 'ephemeral', text: USAGE });
        return;
      }
      const share = /^share\b/i.test(raw);
      const question = share ? raw.replace(/^share\b\s*/i, '') : raw;
      if (share && question === '') {
        await respond({ response_type: 'ephemeral', text: 'Give the question to share: `/code share how do I code ...`' });
        return;
      }
      await ask(question, { channel: command.channel_id, thread: `slash:${command.user_id}` }, command.user_id, command.team_id, { reply: (reply) => respond({ response_type: share ? 'in_channel' : 'ephemeral', ...message(reply) }), apology: (text) => respond({ response_type: 'ephemeral', text }) }, log);
    } catch (err) {
      await apologise(log, err, (text) => respond({ response_type: 'ephemeral', text }));
    }
  });

  app.action(new RegExp(`^${ACTION_ASK}_`), async ({ ack, body, action, client, context }) => {
    await ack();
    const pressed = parseSlackAsk('value' in action && typeof action.value === 'string' ? action.value : '');
    const b = body as { channel?: { id: string }; message?: { ts: string; thread_ts?: string }; user: { id: string } };
    const channel = b.channel?.id ?? 'unknown';
    // The button's message is in a thread (or starts one): the question is asked there.
    const thread = b.message?.thread_ts ?? b.message?.ts;
    const log = turnLog(context, { channel, action: 'ask' });
    // The Web API's argument type is a union our spread cannot narrow; these are its documented fields.
    const post = (m: { text: string; blocks?: unknown[] }) => client.chat.postMessage({ channel, ...m, ...(thread ? { thread_ts: thread } : {}) } as never);
    if (!pressed) return;
    await ask(pressed.question, { channel, thread: thread ?? null }, b.user.id, context.teamId, { reply: (reply) => post(message(reply)), apology: (text) => post({ text }) }, log, pressed.guidance ? { guidance: pressed.guidance, group: pressed.group ?? null } : undefined);
  });

  app.action(new RegExp(`^${ACTION_FEEDBACK}_`), async ({ ack, body, action, respond, context }) => {
    await ack();
    const b = body as { channel?: { id: string }; user: { id: string } };
    const helpful = 'action_id' in action && action.action_id.startsWith(`${ACTION_FEEDBACK}_yes`);
    const log = turnLog(context, { channel: b.channel?.id, action: 'feedback' });
    try {
      // What the answer was about comes from its audit row, never from the button's value.
      const ref = parseSlackFeedback('value' in action && typeof action.value === 'string' ? action.value : '');
      const link = await assistant.feedback({ platform: 'slack', channel: b.channel?.id ?? 'unknown', user: b.user.id, helpful, ref });
      log.info({ feedback: helpful ? 'helpful' : 'not_helpful', intent: link?.intent, guidance: link?.guidance }, 'feedback recorded');
      await respond({ response_type: 'ephemeral', replace_original: false, text: 'Thanks for the feedback.' });
    } catch (err) {
      await apologise(log, err, (text) => respond({ response_type: 'ephemeral', replace_original: false, text }));
    }
  });

  app.error(async (error) => {
    l.error({ err: { message: error.message, code: (error as { code?: string }).code } }, 'Slack app error');
  });

  return {
    mode: cfg.mode,
    ...(ownRoute ? { router } : {}),
    start: async () => {
      if (cfg.mode === 'socket') await app.start();
    },
    stop: async () => {
      if (cfg.mode === 'socket') await app.stop();
    },
  };
}

/** Slack as the server sees it: off (and why), HTTP mode (a router to mount) or Socket Mode (connects once listening). */
export function slackSurface(config: Config, assistant: Core, log: Logger): Surface {
  const cfg = config.slack;
  const slack = cfg.enabled ? createSlack(cfg, assistant, log) : undefined;
  return {
    name: 'Slack',
    path: '/slack/events',
    describe: () =>
      !cfg.enabled
        ? { enabled: false, note: cfg.reason }
        : {
            enabled: true,
            note:
              cfg.mode === 'socket'
                ? 'Socket Mode (SLACK_APP_TOKEN set): no public URL needed; the events path is not used'
                : `HTTP mode, signed requests only${cfg.apiUrl ? `; Web API at ${cfg.apiUrl}` : ''}`,
          },
    mount: (app) => {
      if (slack?.router) app.use(slack.router);
    },
    start: async () => {
      await slack?.start().catch((err: Error) => log.error({ err: { message: err.message } }, 'Slack Socket Mode could not connect'));
    },
    stop: async () => slack?.stop(),
  };
}
