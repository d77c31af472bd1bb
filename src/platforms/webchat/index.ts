// The local web chat as the server sees it: the page, the Web Chat bundle from node_modules, and
// the Bot Framework surface's Direct Line under /directline (given to it, never imported).

import type { Express } from 'express';
import type { Core } from '../../assistant/assistant.js';
import type { Config } from '../../config.js';
import type { Surface } from '../surface.js';
import { findWebChatBundle, WEBCHAT_START_SCRIPT, webChatPage } from './page.js';

/** What the web chat needs of the Bot Framework surface: a Direct Line endpoint to mount. */
export interface DirectLineHost {
  describe(): { enabled: boolean };
  mountDirectLine(app: Express, path: string): void;
}

export function webChatSurface(config: Config, assistant: Core, host: DirectLineHost): Surface {
  const bundle = findWebChatBundle();
  const enabled = config.webchat.enabled && 'file' in bundle && host.describe().enabled;
  return {
    name: 'Local web chat',
    path: '/',
    describe: () => ({
      enabled,
      note: !config.webchat.enabled
        ? config.webchat.reason
        : 'missing' in bundle
          ? bundle.missing
          : `a local test chat through the Bot Framework endpoint${config.webchat.reason ? ` (${config.webchat.reason})` : ''}`,
    }),
    mount: (app) => {
      if (!enabled || !('file' in bundle)) return;
      host.mountDirectLine(app, '/directline');
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
    },
    start: async () => undefined,
    stop: async () => undefined,
  };
}
