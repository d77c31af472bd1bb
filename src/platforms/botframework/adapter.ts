// botbuilder's CloudAdapter, configured from our config, with one error handler for every turn
// and a way for the local Direct Line endpoint to run a turn in process.

import { randomUUID } from 'node:crypto';
import { ActivityTypes, CloudAdapter, ConfigurationBotFrameworkAuthentication, DeliveryModes, type Activity, type TurnContext } from 'botbuilder';
import { AuthenticationConstants, type AuthenticateRequestResult } from 'botframework-connector';
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';

export class CodebotAdapter extends CloudAdapter {
  constructor(
    private readonly cfg: Config['botFramework'],
    private readonly log: Logger,
  ) {
    super(
      new ConfigurationBotFrameworkAuthentication({
        MicrosoftAppId: cfg.appId ?? '',
        MicrosoftAppPassword: cfg.appPassword ?? '',
        MicrosoftAppType: cfg.appType,
        MicrosoftAppTenantId: cfg.tenantId ?? '',
      }),
    );
    // Any error in any turn lands here: log it with a reference and apologise with the same reference.
    this.onTurnError = async (context: TurnContext, error: Error) => {
      const ref = randomUUID().slice(0, 8);
      this.log.error(
        { ref, activity: context.activity.id, type: context.activity.type, err: { message: error.message, stack: error.stack }, conversation: context.activity.conversation?.id },
        'turn failed',
      );
      if (context.activity.type === ActivityTypes.Message) {
        await context
          .sendActivity({ type: ActivityTypes.Message, text: `Sorry, something went wrong on my side (reference ${ref}). Please try again.` })
          .catch((e: Error) => this.log.error({ ref, err: { message: e.message } }, 'could not send the apology'));
      }
    };
  }

  /**
   * Run one turn for an activity that did not come over HTTP (the local Direct Line endpoint).
   * Replies come back buffered (deliveryMode expectReplies) instead of being posted to a channel.
   */
  async processLocal(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<Partial<Activity>[]> {
    const full = { ...activity, deliveryMode: DeliveryModes.ExpectReplies } as Activity;
    let auth: AuthenticateRequestResult;
    if (this.cfg.local) {
      auth = await this.botFrameworkAuthentication.authenticateRequest(full, '');
    } else {
      // In process, the caller is this bot itself: no channel token to check.
      const claimsIdentity = this.createClaimsIdentity(this.cfg.appId);
      auth = {
        claimsIdentity,
        audience: AuthenticationConstants.ToChannelFromBotOAuthScope,
        callerId: undefined,
        connectorFactory: this.botFrameworkAuthentication.createConnectorFactory(claimsIdentity),
      } as AuthenticateRequestResult;
    }
    const result = await this.processActivity(auth, full, logic);
    const body = result?.body as { activities?: Partial<Activity>[] } | undefined;
    return body?.activities ?? [];
  }
}
