// One turn as every surface runs it: answer, deliver, log; any failure on the way gets one log line
// and an apology carrying the same reference. Surfaces only say how to send (an Outlet).

import { randomUUID } from 'node:crypto';
import type { Core } from './assistant.js';
import type { InboundMessage } from './message.js';
import type { Reply } from './reply.js';

/** How a surface delivers: the reply, or an apology when the turn failed. */
export interface Outlet {
  reply(reply: Reply): Promise<unknown>;
  apology(text: string): Promise<unknown>;
}

/** The part of a logger a turn writes to (pino's fits). */
export interface TurnLog {
  info(obj: Record<string, unknown> | string, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

export function apologyText(ref: string): string {
  return `Sorry, something went wrong on my side (reference ${ref}). Please try again.`;
}

/** Log a failed turn with a new reference and send the apology that quotes it. */
export async function apologise(log: TurnLog, err: unknown, send: (text: string) => Promise<unknown>): Promise<string> {
  const ref = randomUUID().slice(0, 8);
  log.error({ ref, err: { message: (err as Error)?.message, stack: (err as Error)?.stack } }, 'turn failed');
  await send(apologyText(ref)).catch((e: Error) => log.error({ ref, err: { message: e.message } }, 'could not send the apology'));
  return ref;
}

/** Answer `msg` and deliver it; "answered" is logged once the surface has taken the reply. */
export async function deliver(assistant: Pick<Core, 'handle'>, msg: InboundMessage, outlet: Outlet, log: TurnLog): Promise<void> {
  const started = performance.now();
  try {
    const reply = await assistant.handle(msg);
    if (!reply) {
      log.info('flood: message dropped after a slow-down reply');
      return;
    }
    await outlet.reply(reply);
    log.info({ intent: reply.intent, confidence: reply.confidence, answered: reply.answered, guidance: reply.guidance, ms: Math.round((performance.now() - started) * 100) / 100 }, 'answered');
  } catch (err) {
    await apologise(log, err, (text) => outlet.apology(text));
  }
}
