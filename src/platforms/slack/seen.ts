// Slack retries an event it thinks went unanswered (X-Slack-Retry-Num). An event id is claimed
// while it is answered and remembered once answered, so a retry never answers twice; a delivery
// that failed is forgotten, so its retry is answered.

export class SeenEvents {
  private readonly events = new Map<string, { done: boolean; at: number }>();

  constructor(
    private readonly ttlMs = 10 * 60 * 1000,
    private readonly max = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when the event is new (or its earlier delivery failed): the caller answers it. */
  claim(id: string): boolean {
    this.expire();
    if (this.events.has(id)) return false;
    this.events.set(id, { done: false, at: this.now() });
    while (this.events.size > this.max) this.events.delete(this.events.keys().next().value!);
    return true;
  }

  done(id: string): void {
    this.events.delete(id);
    this.events.set(id, { done: true, at: this.now() });
  }

  /** The answer failed: let a retry try again. */
  release(id: string): void {
    this.events.delete(id);
  }

  private expire(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [id, e] of this.events) {
      if (e.at >= cutoff) break;
      this.events.delete(id);
    }
  }
}
