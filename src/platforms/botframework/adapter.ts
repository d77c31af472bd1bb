// botbuilder's CloudAdapter, configured from our config, with one error handler for every turn
// and a way for the local Direct Line endpoint to run a turn in process.

import { randomUUID } from 'node:crypto';
import { ActivityTypes, CallerIdConstants, CloudAdapter, ConfigurationBotFrameworkAuthentication, DeliveryModes, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import { AuthenticationConstants, type AuthenticateRequestResult } from 'botframework-connector';
import { apologyText } from '../../assistant/deliver.js';
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';

const SIGNING_ALGORITHMS = new Set(['RS256', 'RS384', 'RS512']);

/** What is wrong with a bearer token's shape, or null when only its signature can tell. */
export function tokenShapeProblem(authHeader: string): string | null {
  const m = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(authHeader.trim());
  if (!m) return authHeader ? 'not a signed bearer token' : 'no token';
  try {
    const header = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as { alg?: unknown; kid?: unknown };
    if (typeof header.alg !== 'string' || !SIGNING_ALGORITHMS.has(header.alg)) return `signing algorithm ${JSON.stringify(header.alg).slice(0, 20)} is not allowed`;
    if (typeof header.kid !== 'string') return 'token names no signing key';
    return null;
  } catch {
    return 'token header is not JSON';
  }
}

/**
 * Any error in any turn lands here: logged with a reference, and the user gets an apology with the
 * same reference. One handler for every adapter that runs our bot (botbuilder's test adapter too).
 */
export function turnErrorHandler(log: Logger): (context: TurnContext, error: Error) => Promise<void> {
  return async (context, error) => {
    const ref = randomUUID().slice(0, 8);
    log.error(
      { ref, activity: context.activity.id, type: context.activity.type, err: { message: error.message, stack: error.stack }, conversation: context.activity.conversation?.id },
      'turn failed',
    );
    if (context.activity.type === ActivityTypes.Message) {
      await context
        .sendActivity({ type: ActivityTypes.Message, text: apologyText(ref) })
        .catch((e: Error) => log.error({ ref, err: { message: e.message } }, 'could not send the apology'));
    }
  };
}

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
        // Another key source (a sovereign cloud, or the tests' stand-in): setting one endpoint makes
        // botbuilder take every other from configuration, so the public cloud's are spelled out.
        ...(cfg.openIdMetadataUrl
          ? {
              ValidateAuthority: true,
              ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
              ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
              ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
              OAuthUrl: AuthenticationConstants.OAuthUrl,
              CallerId: CallerIdConstants.PublicAzureChannel,
              ToBotFromChannelOpenIdMetadataUrl: cfg.openIdMetadataUrl,
              ToBotFromEmulatorOpenIdMetadataUrl: cfg.openIdMetadataUrl,
            }
          : {}),
      }),
    );
    this.onTurnError = turnErrorHandler(log);
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
    const refuse = (reason: string) => {
      log.warn({ status: 401, reason: reason.slice(0, 200), activity: activity.id, hasToken: authHeader !== '' }, 'Bot Framework request refused: authentication failed');
      return { status: 401, body: { error: 'unauthorized' } };
    };
    // Tokens that can never pass (no signature algorithm botbuilder allows) stop here, before the
    // library, which writes its own lines to stderr for them.
    if (!this.cfg.local) {
      const why = tokenShapeProblem(authHeader);
      if (why) return refuse(why);
    }
    try {
      auth = await this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
    } catch (err) {
      return refuse(String((err as Error).message ?? err));
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
