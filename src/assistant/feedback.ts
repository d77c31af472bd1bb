// Helpful / Not helpful, as coders press it. In memory and bounded for now; a later store
// persists it beside the audit log.

export interface FeedbackRecord {
  at: string;
  platform: string;
  conversation: string;
  helpful: boolean;
  intent: string;
  guidance: string[];
}

export class FeedbackLog {
  private readonly records: FeedbackRecord[] = [];

  constructor(
    private readonly max = 10_000,
    private readonly now: () => Date = () => new Date(),
  ) {}

  record(r: Omit<FeedbackRecord, 'at'>): FeedbackRecord {
    const rec = { ...r, at: this.now().toISOString() };
    this.records.push(rec);
    if (this.records.length > this.max) this.records.shift();
    return rec;
  }

  all(): readonly FeedbackRecord[] {
    return this.records;
  }
}
