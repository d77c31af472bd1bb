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
import { botFrameworkSurface } from '../platforms/botframework/index.js';
import { slackSurface } from '../platforms/slack/index.js';
import type { Surface } from '../platforms/surface.js';
import { webChatSurface } from '../platforms/webchat/index.js';

export interface App {
  app: Express;
  surfaces: Surface[];
  /** Requests being served now, for a graceful stop. */
  inFlight(): number;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The full path (a mounted router, Direct Line, has rewritten req.url by now), without the query. */
function pathOf(req: Request): string {
  return (req.originalUrl ?? req.url ?? '').split('?')[0]!;
}

/** Web Chat's polling and health probes: logged at debug. */
function routine(req: Request, status: number): boolean {
  const where = pathOf(req);
  return req.method === 'GET' && status < 400 && (/^\/directline\/conversations\/[^/]+\/activities$/.test(where) || where === '/healthz' || where === '/readyz');
}

/** The one "request" line as a request ends (no headers, no body). */
function requestLine(req: Request, status: number, ms: number | undefined): Record<string, unknown> {
  return { method: req.method, path: pathOf(req), status, ms };
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
      customLogLevel: (req, res) => (routine(req as Request, res.statusCode) ? 'debug' : 'info'),
      customSuccessMessage: () => 'request',
      customErrorMessage: () => 'request',
      customSuccessObject: (req, res, val: { ms?: number }) => requestLine(req as Request, res.statusCode, val.ms),
      customErrorObject: (req, res, _err, val: { ms?: number }) => requestLine(req as Request, res.statusCode, val.ms),
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
    const directLine = botFramework.directLine();
    const ready = knowledge.ok && classifier.ok && store.ok;
    res.status(ready ? 200 : 503).json({ ready, checks: { knowledge, classifier, store, ...(directLine ? { directLine } : {}) } });
  });

  // Every surface mounts here in the same way; none of them knows about the others.
  const botFramework = botFrameworkSurface(config, assistant, log);
  const surfaces: Surface[] = [botFramework, slackSurface(config, assistant, log), webChatSurface(config, assistant, botFramework)];
  for (const surface of surfaces) surface.mount(app);

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

  return { app, surfaces, inFlight: () => inFlight };
}
