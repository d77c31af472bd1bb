// The one inbound message model every platform translates its events into.

export interface Conversation {
  /** "cli", "slack", "teams", "webchat"... */
  platform: string;
  /** Channel, chat or DM id on that platform. */
  channel: string;
  /** Thread (Slack thread_ts, Teams reply chain) or null for the channel itself. */
  thread: string | null;
}

export interface InboundMessage {
  text: string;
  conversation: Conversation;
  /** Platform user id; never logged raw. */
  user: string;
  /** Slack workspace (team) or Teams tenant, for the per-workspace rate limit. */
  workspace?: string;
  /** A button's own context: the guidance (and group) of the answer it was on. */
  context?: { guidance: string | null; group?: number | null };
}

/** Plain string key for state, independent of the platform's own id shapes. */
export function conversationKey(c: Conversation): string {
  return `${c.platform}:${c.channel}:${c.thread ?? '-'}`;
}
