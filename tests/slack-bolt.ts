// Slack's listeners driven through Bolt itself, in process: a Receiver (Bolt's own contract) that
// hands recorded payloads to `app.processEvent`, as Bolt's HTTP and Socket Mode receivers do. No
// HTTP, no signatures: those are tested through the real route in slack.test.ts.
import type { App, Receiver } from '@slack/bolt';
import { recorded } from './helpers.js';

export class TestReceiver implements Receiver {
  private app: App | undefined;

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /**
   * One payload, as Slack delivers it (`retryNum` as X-Slack-Retry-Num). Resolves once Bolt has run
   * every listener for it, with what was acknowledged: nothing is left running afterwards.
   */
  async send(body: Record<string, unknown>, opts: { retryNum?: number } = {}): Promise<{ acks: number; response: unknown }> {
    if (!this.app) throw new Error('TestReceiver: not handed to a Bolt App');
    let acks = 0;
    let response: unknown;
    await this.app.processEvent({
      body,
      ack: async (r?: unknown) => {
        acks++;
        response = r;
      },
      ...(opts.retryNum !== undefined ? { retryNum: opts.retryNum, retryReason: 'http_timeout' } : {}),
      customProperties: { requestId: 'test-request' },
    });
    return { acks, response };
  }
}

/** A recorded payload from tests/fixtures/slack, with the fields a test changes merged in. */
export function slackPayload(name: 'app_mention' | 'message_im' | 'message_changed' | 'slash_command' | 'block_actions', changes: Record<string, unknown> = {}): Record<string, unknown> {
  return recorded('slack', name, changes);
}
