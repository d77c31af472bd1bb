// What every surface is to the server (in the spirit of bolt's Receiver and the Chat SDK's
// adapters): a name and where it listens, how it describes itself at start-up, its routes on the
// one HTTP server, and what it does once listening and at shutdown. The server loops over these.

import type { Express } from 'express';

export interface Surface {
  /** As the start-up lines name it. */
  readonly name: string;
  /** Where it listens on the server, shown when it is on. */
  readonly path: string;
  /** On or off, and one line: why off, or how it runs. */
  describe(): { enabled: boolean; note: string };
  /** Its routes on the one HTTP server (nothing when it is off or needs none). */
  mount(app: Express): void;
  /** Once the server listens (Socket Mode connects here). */
  start(): Promise<void>;
  stop(): Promise<void>;
}
