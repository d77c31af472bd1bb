// The one activity handler for every Bot Framework channel (Teams, Web Chat, Direct Line):
// activity in -> inbound message -> assistant -> Reply -> card activity out. Also Teams' search
// messaging extension and card actions. Nothing here knows codes or rules.

import { randomUUID } from 'node:crypto';
import {
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type MessagingExtensionQuery,
  type MessagingExtensionResponse,
} from 'botbuilder';
import { z } from 'zod';
import type { Core } from '../../assistant/assistant.js';
import { deliver } from '../../assistant/deliver.js';
import type { InboundMessage } from '../../assistant/message.js';
import type { Logger } from '../../log.js';
import { CARD_CONTENT_TYPE, renderLookupCard } from '../../render/adaptive-card.js';
import { ButtonValueSchema, type ButtonValue as ButtonValueType } from '../../render/buttons.js';
import { replyActivity, textActivity } from './activity.js';

/** What card buttons send back in `activity.value` (validated: it crosses a boundary). */
const ButtonValue = ButtonValueSchema;
type Button = ButtonValueType;

const PAGE_SIZE = 10;

export function welcome(examples: string[]): string {
  const tries = [...examples.slice(0, 2), 'help'].map((e) => `"${e}"`).join(', ');
  return `Hello, I'm codebot. I answer OPCS-4 and ICD-10 coding questions from NICE interventional procedures guidance and quote the NICE text each answer comes from. Try: ${tries}.`;
}

export class CodebotBot extends TeamsActivityHandler {
  constructor(
    private readonly assistant: Core,
    private readonly log: Logger,
  ) {
    super();
    this.onMessage(async (context, next) => {
      await this.answer(context);
      await next();
    });
    // One welcome when codebot itself joins a team, chat or conversation, not for every new member.
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if ((context.activity.membersAdded ?? []).some((m) => m.id === botId)) {
        await context.sendActivity(textActivity(welcome(this.assistant.examples())));
      }
      await next();
    });
  }

  private turnLog(context: TurnContext): Logger {
    const a = context.activity;
    return this.log.child({ turn: randomUUID(), activity: a.id, channel: a.channelId, conversation: a.conversation?.id });
  }

  private conversation(context: TurnContext): InboundMessage['conversation'] {
    const a = context.activity;
    // Teams' conversation id for a channel thread carries ";messageid=": the reply chain is the conversation.
    return { platform: a.channelId ?? 'botframework', channel: a.conversation?.id ?? 'unknown', thread: null };
  }

  private async ask(context: TurnContext, text: string, log: Logger, about?: InboundMessage['context']): Promise<void> {
    const a = context.activity;
    const channelData = a.channelData as { tenant?: { id?: string } } | undefined;
    await deliver(
      this.assistant,
      {
        text,
        conversation: this.conversation(context),
        user: a.from?.aadObjectId ?? a.from?.id ?? 'unknown',
        workspace: a.conversation?.tenantId ?? channelData?.tenant?.id ?? a.channelId,
        ...(about ? { context: about } : {}),
      },
      { reply: (reply) => context.sendActivity(replyActivity(reply)), apology: (t) => context.sendActivity(textActivity(t)) },
      log,
    );
  }

  private async press(context: TurnContext, button: Button, log: Logger): Promise<void> {
    if (button.codebot === 'ask') return this.ask(context, button.question, log, button.guidance ? { guidance: button.guidance, group: button.group ?? null } : undefined);
    const a = context.activity;
    const link = await this.assistant.feedback({
      platform: a.channelId ?? 'botframework',
      channel: a.conversation?.id ?? 'unknown',
      user: a.from?.aadObjectId ?? a.from?.id ?? 'unknown',
      helpful: button.helpful,
      ref: button.ref ?? null,
    });
    log.info({ feedback: button.helpful ? 'helpful' : 'not_helpful', intent: link?.intent, guidance: link?.guidance }, 'feedback recorded');
    await context.sendActivity(textActivity('Thanks for the feedback.'));
  }

  private async answer(context: TurnContext): Promise<void> {
    const a = context.activity;
    const log = this.turnLog(context);
    const text = (TurnContext.removeRecipientMention(a) ?? a.text ?? '').trim();
    if (a.value !== undefined && a.value !== null) {
      const button = ButtonValue.safeParse(a.value);
      if (button.success) return this.press(context, button.data, log);
      log.warn({ field: button.error.issues[0]?.path.join('.') }, 'card action with an unknown value');
      if (!text) {
        await context.sendActivity(textActivity("Sorry, I didn't understand that button. Please type your question."));
        return;
      }
    }
    await this.ask(context, text, log);
  }

  /** Universal Actions (Action.Execute) and invoke-style submits: same buttons, answered in the chat. */
  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const log = this.turnLog(context);
    const button = ButtonValue.safeParse(invokeValue?.action?.data);
    if (!button.success) {
      log.warn('adaptiveCard/action with an unknown value');
      return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'unknown action' } };
    }
    await this.press(context, button.data, log);
    // The answer went to the chat as a new message; the card itself stays as it was.
    return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: { message: 'Answered in the chat.' } };
  }

  /** The compose-box search: codes and guidance as cards, a page at a time, well inside Teams' 5 seconds. */
  protected override async handleTeamsMessagingExtensionQuery(context: TurnContext, query: MessagingExtensionQuery): Promise<MessagingExtensionResponse> {
    const log = this.turnLog(context);
    const text = String(query.parameters?.find((p) => p.name === 'query' || p.name === 'searchQuery')?.value ?? query.parameters?.[0]?.value ?? '');
    const skip = Math.max(0, Number(query.queryOptions?.skip ?? 0) || 0);
    const count = Math.min(25, Math.max(1, Number(query.queryOptions?.count ?? PAGE_SIZE) || PAGE_SIZE));
    const { items, total } = this.assistant.lookup(text, skip, count);
    log.info({ command: query.commandId, skip, count, results: items.length, total }, 'messaging extension query');
    return {
      composeExtension: {
        type: 'result',
        attachmentLayout: 'list',
        attachments: items.map((item) => ({
          contentType: CARD_CONTENT_TYPE,
          content: renderLookupCard(item),
          preview: { contentType: 'application/vnd.microsoft.card.thumbnail', content: { title: item.heading, text: item.detail } },
        })),
      },
    };
  }
}
