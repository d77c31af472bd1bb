// Floods: a per-user and a per-workspace limit over a sliding minute. Past the limit the user is
// told once to slow down; further messages in the same window get no reply at all.

export interface RateLimits {
  /** Questions a user may ask per window. */
  perUser: number;
  /** Questions a workspace or tenant may ask per window. */
  perWorkspace: number;
  windowMs: number;
}

export const DEFAULT_LIMITS: RateLimits = { perUser: 20, perWorkspace: 600, windowMs: 60_000 };

export type Verdict = 'ok' | 'warn' | 'drop';

class Window {
  private readonly hits: number[] = [];
  warned = false;

  /** Count a hit; returns how many fall inside the window, this one included. */
  hit(now: number, windowMs: number): number {
    while (this.hits.length > 0 && this.hits[0]! <= now - windowMs) this.hits.shift();
    if (this.hits.length === 0) this.warned = false;
    this.hits.push(now);
    return this.hits.length;
  }

  idle(now: number, windowMs: number): boolean {
    return this.hits.length === 0 || this.hits[this.hits.length - 1]! <= now - windowMs;
  }
}

export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limits: RateLimits = DEFAULT_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  private window(key: string): Window {
    let w = this.windows.get(key);
    if (!w) {
      w = new Window();
      this.windows.set(key, w);
      if (this.windows.size > 100_000) this.sweep();
    }
    return w;
  }

  private sweep(): void {
    const now = this.now();
    for (const [k, w] of this.windows) if (w.idle(now, this.limits.windowMs)) this.windows.delete(k);
  }

  check(user: string, workspace: string): Verdict {
    const now = this.now();
    const checks: Array<[Window, number]> = [
      [this.window(`u:${user}`), this.limits.perUser],
      [this.window(`w:${workspace}`), this.limits.perWorkspace],
    ];
    let over: Window | undefined;
    for (const [w, limit] of checks) if (w.hit(now, this.limits.windowMs) > limit && !over) over = w;
    if (!over) return 'ok';
    if (over.warned) return 'drop';
    over.warned = true;
    return 'warn';
  }
}
