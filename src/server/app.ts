// The one HTTP server: the Bot Framework endpoint, the local web chat and its Direct Line
// endpoint, health and readiness. Surfaces mount here; none of them knows about the others.

import { randomUUID } from 'node:crypto';
import compression from 'compression';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Assistant } from '../assistant/assistant.js';
import { isLoopbackHost, type Config } from '../config.js';
import type { Logger } from '../log.js';
import { mountBotFramework } from '../platforms/botframework/index.js';
import { createSlack, type SlackSurface } from '../platforms/slack/index.js';
import { findWebChatBundle, WEBCHAT_START_SCRIPT, webChatPage } from '../platforms/webchat/page.js';

export interface Surface {
  name: string;
  path: string;
  enabled: boolean;
  note: string;
}

export interface App {
  app: Express;
  surfaces: Surface[];
  slack: SlackSurface | undefined;
  /** Requests being served now, for a graceful stop. */
  inFlight(): number;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

function pathOf(req: Request): string {
  return (req.originalUrl ?? req.url ?? '').split('?')[0]!;
}

/** Web Chat's polling and health probes: logged at debug. */
function routine(method: string, url: string, status: number): boolean {
  const where = url.split('?')[0]!;
  return method === 'GET' && status < 400 && (/^\/directline\/conversations\/[^/]+\/activities$/.test(where) || where === '/healthz' || where === '/readyz');
}

export function createApp(config: Config, assistant: Assistant, log: Logger): App {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  let inFlight = 0;

  // A request id on every request and every log line about it (the caller's id when it sends a sane
  // one), and one "request" line as each ends: pino-http.
  app.use(
    pinoHttp({
      logger: log,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', id);
        // Surfaces that only see the request (Bolt) read the id from here.
        req.headers['x-request-id'] = id;
        return id;
      },
      // Every line about a request carries its id as `req`, and nothing else of it.
      quietReqLogger: true,
      quietResLogger: true,
      customAttributeKeys: { reqId: 'req', req: 'request', res: 'response', responseTime: 'ms' },
      // Web Chat polls every half second and probes check health: those lines are debug, the rest info.
      customLogLevel: (req, res) => (routine(req.method ?? '', (req as Request).originalUrl ?? req.url ?? '', res.statusCode) ? 'debug' : 'info'),
      customSuccessMessage: () => 'request',
      customErrorMessage: () => 'request',
      // The full path (a mounted router, Direct Line, has rewritten req.url by now), without the query.
      customSuccessObject: (req, res, val: { ms?: number }) => ({ method: req.method, path: pathOf(req as Request), status: res.statusCode, ms: val.ms }),
      customErrorObject: (req, res, _err, val: { ms?: number }) => ({ method: req.method, path: pathOf(req as Request), status: res.statusCode, ms: val.ms }),
    }),
  );
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.locals.log = req.log;
    inFlight++;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      inFlight--;
    };
    res.on('finish', finish);
    res.on('close', finish);
    next();
  });

  // The usual security headers on every response. Web Chat styles itself at run time (inline
  // styles) and shows card images from data: URLs; its scripts all come from this server.
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      referrerPolicy: { policy: 'no-referrer' },
      // Plain HTTP on loopback is the local default; HSTS belongs to the HTTPS proxy in front.
      strictTransportSecurity: false,
    }),
  );

  // In local mode only this machine may call, by name too: a Host header naming another site is
  // a page elsewhere reaching us through DNS rebinding. Slack's requests are signed, so exempt.
  if (config.botFramework.local) {
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (req.path.startsWith('/slack/')) return next();
      const host = req.hostname;
      if (host && isLoopbackHost(host)) return next();
      (res.locals.log as Logger).warn({ status: 421, host: String(req.headers.host ?? '').slice(0, 100) }, 'local mode: request for another host name refused');
      res.status(421).json({ error: 'local mode serves only requests addressed to this machine (127.0.0.1, localhost, [::1])' });
    });
  }

  // Compressed when the client takes it (the 3.9 MB Web Chat bundle above all).
  app.use(compression({ threshold: 1024 }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });

  app.get('/readyz', async (_req, res) => {
    const { knowledge, classifier, store } = await assistant.readiness();
    const directLine = botFramework?.directLine();
    const ready = knowledge.ok && classifier.ok && store.ok;
    res.status(ready ? 200 : 503).json({ ready, checks: { knowledge, classifier, store, ...(directLine ? { directLine } : {}) } });
  });

  const botFramework = config.botFramework.enabled ? mountBotFramework(app, config, assistant, log) : undefined;

  const surfaces: Surface[] = [
    {
      name: 'Bot Framework (Teams, Web Chat)',
      path: '/api/messages',
      enabled: config.botFramework.enabled,
      note: !config.botFramework.enabled
        ? config.botFramework.reason
        : config.botFramework.local
          ? 'LOCAL MODE: no MicrosoftAppId, so requests are not authenticated (loopback only, replies only to loopback addresses); set MicrosoftAppId and MicrosoftAppPassword for Teams'
          : `authenticated as app ${config.botFramework.appId}`,
    },
  ];
  let slack: SlackSurface | undefined;
  if (config.slack.enabled) {
    slack = createSlack(config.slack, assistant, log);
    if (slack.router) app.use(slack.router);
    surfaces.push({
      name: 'Slack',
      path: '/slack/events',
      enabled: true,
      note:
        config.slack.mode === 'socket'
          ? 'Socket Mode (SLACK_APP_TOKEN set): no public URL needed; the events path is not used'
          : `HTTP mode, signed requests only${config.slack.apiUrl ? `; Web API at ${config.slack.apiUrl}` : ''}`,
    });
  } else surfaces.push({ name: 'Slack', path: '/slack/events', enabled: false, note: config.slack.reason });

  const bundle = findWebChatBundle();
  const webchat = config.webchat.enabled && 'file' in bundle && botFramework !== undefined;
  surfaces.push({
    name: 'Local web chat',
    path: '/',
    enabled: webchat,
    note: !config.webchat.enabled
      ? config.webchat.reason
      : 'missing' in bundle
        ? bundle.missing
        : `a local test chat through the Bot Framework endpoint${config.webchat.reason ? ` (${config.webchat.reason})` : ''}`,
  });
  if (webchat && 'file' in bundle) {
    botFramework.mountDirectLine(app, '/directline');
    // Cacheable for a day, revalidated by ETag after; compressed on the way out.
    app.get('/webchat/webchat.js', (_req, res) => {
      res.sendFile(bundle.file, { maxAge: '1d', etag: true, lastModified: true });
    });
    app.get('/webchat/start.js', (_req, res) => {
      res.setHeader('cache-control', 'no-cache');
      res.type('js').send(WEBCHAT_START_SCRIPT);
    });
    const page = webChatPage({ ...assistant.loaded(), examples: assistant.examples().slice(0, 3) });
    app.get('/', (_req, res) => {
      res.type('html').send(page);
    });
    app.get('/favicon.ico', (_req, res) => {
      res.status(204).end();
    });
  }

  app.use((req, res) => {
    res.status(404).json({ error: `no such endpoint: ${req.method} ${req.path}` });
  });

  // Bad bodies get a 4xx and a log line; anything else a 500 with a reference, never a crash.
  app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    const l = (res.locals.log as Logger | undefined) ?? log;
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status < 500) {
      l.warn({ status, type: err.type }, 'bad request');
      if (!res.headersSent) res.status(status).json({ error: err.type === 'entity.too.large' ? 'body too large' : 'malformed request body' });
      return;
    }
    const ref = randomUUID().slice(0, 8);
    l.error({ ref, err: { message: err.message, stack: err.stack } }, 'request failed');
    if (!res.headersSent) res.status(500).json({ error: `internal error, reference ${ref}` });
  });

  return { app, surfaces, slack, inFlight: () => inFlight };
}
