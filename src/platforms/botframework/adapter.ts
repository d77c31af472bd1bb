// botbuilder's CloudAdapter, configured from our config, with one error handler for every turn
// and a way for the local Direct Line endpoint to run a turn in process.

import { randomUUID } from 'node:crypto';
import { ActivityTypes, CloudAdapter, ConfigurationBotFrameworkAuthentication, DeliveryModes, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
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
        // Tokens from emulators are refused as well: there is only one place keys come from.
        ...(cfg.openIdMetadataUrl ? { ToBotFromChannelOpenIdMetadataUrl: cfg.openIdMetadataUrl, ToBotFromEmulatorOpenIdMetadataUrl: cfg.openIdMetadataUrl } : {}),
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
   * One activity from POST /api/messages. Authentication comes first and on its own: any way it
   * fails (bad signature, `alg: none`, an HMAC token, unknown keys) is a 401 and one log line,
   * never a 500 or a stack trace on stderr.
   */
  async processHttp(
    activity: Activity,
    authHeader: string,
    logic: (context: TurnContext) => Promise<void>,
    log: Logger,
  ): Promise<{ status: number; body?: unknown }> {
    let auth: AuthenticateRequestResult;
    try {
      auth = await this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
    } catch (err) {
      log.warn({ status: 401, reason: (err as Error).message?.slice(0, 200), activity: activity.id, hasToken: authHeader !== '' }, 'Bot Framework request refused: authentication failed');
      return { status: 401, body: { error: 'unauthorized' } };
    }
    const result: InvokeResponse | undefined = await this.processActivity(auth, activity, logic);
    return { status: result?.status ?? 200, ...(result?.body !== undefined ? { body: result.body } : {}) };
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
