// The one activity handler for every Bot Framework channel (Teams, Web Chat, Direct Line):
// activity in -> inbound message -> assistant -> Reply -> card activity out.

import { randomUUID } from 'node:crypto';
import { ActivityHandler, TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Assistant } from '../../assistant/assistant.js';
import type { InboundMessage } from '../../assistant/message.js';
import type { Logger } from '../../log.js';
import { replyActivity, textActivity } from './activity.js';

/** What card buttons send back in `activity.value` (validated: it crosses a boundary). */
const ButtonValue = z.union([
  z.object({ codebot: z.literal('ask'), question: z.string().min(1).max(4000) }),
  z.object({ codebot: z.literal('feedback'), helpful: z.boolean(), intent: z.string().max(50), guidance: z.array(z.string().max(20)).max(20) }),
]);

export function welcome(examples: string[]): string {
  const tries = [...examples.slice(0, 2), 'help'].map((e) => `"${e}"`).join(', ');
  return `Hello, I'm codebot. I answer OPCS-4 and ICD-10 coding questions from NICE interventional procedures guidance and quote the NICE text each answer comes from. Try: ${tries}.`;
}

export class CodebotBot extends ActivityHandler {
  constructor(
    private readonly assistant: Assistant,
    private readonly log: Logger,
  ) {
    super();
    this.onMessage(async (context, next) => {
      await this.answer(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if ((context.activity.membersAdded ?? []).some((m) => m.id !== botId)) {
        await context.sendActivity(textActivity(welcome(this.assistant.examples())));
      }
      await next();
    });
  }

  private async answer(context: TurnContext): Promise<void> {
    const a = context.activity;
    const turn = randomUUID();
    const log = this.log.child({ turn, channel: a.channelId, conversation: a.conversation?.id });
    let text = (TurnContext.removeRecipientMention(a) ?? a.text ?? '').trim();
    if (a.value !== undefined && a.value !== null) {
      const button = ButtonValue.safeParse(a.value);
      if (!button.success) {
        log.warn({ field: button.error.issues[0]?.path.join('.') }, 'card action with an unknown value');
        if (!text) {
          await context.sendActivity(textActivity("Sorry, I didn't understand that button. Please type your question."));
          return;
        }
      } else if (button.data.codebot === 'feedback') {
        log.info({ feedback: button.data.helpful ? 'helpful' : 'not_helpful', intent: button.data.intent, guidance: button.data.guidance }, 'feedback');
        await context.sendActivity(textActivity('Thanks for the feedback.'));
        return;
      } else text = button.data.question;
    }
    const started = performance.now();
    const inbound: InboundMessage = {
      text,
      conversation: { platform: a.channelId ?? 'botframework', channel: a.conversation?.id ?? 'unknown', thread: null },
      user: a.from?.aadObjectId ?? a.from?.id ?? 'unknown',
    };
    const reply = await this.assistant.handle(inbound);
    log.info(
      { intent: reply.intent, confidence: reply.confidence, answered: reply.answered, guidance: reply.guidance, ms: Math.round((performance.now() - started) * 100) / 100 },
      'answered',
    );
    await context.sendActivity(replyActivity(reply));
  }
}
