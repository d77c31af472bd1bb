// Floods: a per-user and a per-workspace limit over a sliding minute. Past the limit the user is
// told once to slow down; further messages in the same window get no reply at all.
// Only messages that are answered count: a dropped message costs nobody else anything, so one
// flooding user cannot use up the workspace's allowance for everyone else.

import type { RateLimits, Verdict } from '../shared/limits.js';

export type { RateLimits, Verdict } from '../shared/limits.js';

export const DEFAULT_LIMITS: RateLimits = { perUser: 20, perWorkspace: 600, windowMs: 60_000 };

/** Answered messages inside the sliding window; at most `limit` of them are ever kept. */
class Window {
  private readonly hits: number[] = [];

  private expire(now: number, windowMs: number): void {
    while (this.hits.length > 0 && this.hits[0]! <= now - windowMs) this.hits.shift();
  }

  full(now: number, windowMs: number, limit: number): boolean {
    this.expire(now, windowMs);
    return this.hits.length >= limit;
  }

  add(now: number): void {
    this.hits.push(now);
  }

  idle(now: number, windowMs: number): boolean {
    return this.hits.length === 0 || this.hits[this.hits.length - 1]! <= now - windowMs;
  }
}

interface UserWindow {
  window: Window;
  /** The window end for which this user was already told to slow down. */
  warnedUntil: number;
}

export class RateLimiter {
  private readonly users = new Map<string, UserWindow>();
  private readonly workspaces = new Map<string, Window>();

  constructor(
    private readonly limits: RateLimits = DEFAULT_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  private user(key: string): UserWindow {
    let u = this.users.get(key);
    if (!u) {
      u = { window: new Window(), warnedUntil: 0 };
      this.users.set(key, u);
      if (this.users.size > 100_000) this.sweep();
    }
    return u;
  }

  private workspace(key: string): Window {
    let w = this.workspaces.get(key);
    if (!w) {
      w = new Window();
      this.workspaces.set(key, w);
      if (this.workspaces.size > 100_000) this.sweep();
    }
    return w;
  }

  private sweep(): void {
    const now = this.now();
    const { windowMs } = this.limits;
    for (const [k, u] of this.users) if (u.window.idle(now, windowMs) && u.warnedUntil <= now) this.users.delete(k);
    for (const [k, w] of this.workspaces) if (w.idle(now, windowMs)) this.workspaces.delete(k);
  }

  check(user: string, workspace: string): Verdict {
    const now = this.now();
    const { windowMs, perUser, perWorkspace } = this.limits;
    const u = this.user(user);
    const w = this.workspace(workspace);
    if (u.window.full(now, windowMs, perUser) || w.full(now, windowMs, perWorkspace)) {
      // One "slow down" per user per window, then silence; nothing is counted for a dropped message.
      if (u.warnedUntil > now) return 'drop';
      u.warnedUntil = now + windowMs;
      return 'warn';
    }
    u.window.add(now);
    w.add(now);
    return 'ok';
  }
}
