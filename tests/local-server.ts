// The plumbing the tests' stand-ins for Slack and the Bot Connector share: an HTTP server on
// 127.0.0.1 that hands each request over with its whole body, and can be told to fail the next calls.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export abstract class LocalServer {
  private server?: Server;
  /** The next `n` calls fail with this status (each stand-in decides which calls count). */
  protected failing = { n: 0, status: 500 };
  failed = 0;
  base = '';

  failNext(n: number, status: number): void {
    this.failing = { n, status };
  }

  protected abstract handle(req: IncomingMessage, raw: string, res: ServerResponse): void;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (d: Buffer) => (raw += d.toString()));
      req.on('end', () => this.handle(req, raw, res));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }
}
