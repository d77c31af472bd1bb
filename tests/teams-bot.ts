// Teams' handler driven through botbuilder's own TestAdapter, in process: recorded activities
// (tests/fixtures/teams) in, the activities the bot sends back out. No HTTP, no connector: the
// route and the Bot Connector calls are tested over HTTP in teams.test.ts.
import { TestAdapter, type Activity } from 'botbuilder';
import { CodebotBot } from '../src/platforms/botframework/bot.js';
import { turnErrorHandler } from '../src/platforms/botframework/adapter.js';
import { recorded } from './helpers.js';
import type { TestCore } from './in-process.js';

export type TeamsFixture = 'channel_mention' | 'personal_message' | 'card_submit' | 'adaptive_card_action' | 'compose_extension_query' | 'members_added';

export function teamsPayload(name: TeamsFixture, changes: Record<string, unknown> = {}): Partial<Activity> {
  return recorded('teams', name, changes) as Partial<Activity>;
}

export class TeamsUnderTest {
  private readonly adapter: TestAdapter;

  constructor(core: TestCore) {
    const bot = new CodebotBot(core.assistant, core.log);
    this.adapter = new TestAdapter((context) => bot.run(context));
    this.adapter.onTurnError = turnErrorHandler(core.log);
  }

  /** One turn; resolves once it is over, with every activity the bot sent in it (an invoke's response included). */
  async send(activity: Partial<Activity>): Promise<Partial<Activity>[]> {
    // The adapter fills in what is missing in place: give it a copy.
    await this.adapter.processActivity(structuredClone(activity));
    return this.adapter.activeQueue.splice(0);
  }
}
