// Reply -> Bot Framework activity: the Adaptive Card plus text for notifications and old clients.

import { ActivityTypes, type Activity } from 'botbuilder';
import type { Reply } from '../../assistant/reply.js';
import { CARD_CONTENT_TYPE, renderCard } from '../../render/adaptive-card.js';
import { headline } from '../../render/plain-text.js';

export function replyActivity(reply: Reply): Partial<Activity> {
  const card = renderCard(reply);
  return {
    type: ActivityTypes.Message,
    // Notifications and clients without cards show the summary; the card carries its own fallbackText.
    summary: headline(reply).slice(0, 200),
    attachments: [{ contentType: CARD_CONTENT_TYPE, content: card }],
  };
}

export function textActivity(text: string): Partial<Activity> {
  return { type: ActivityTypes.Message, text, textFormat: 'plain' };
}
