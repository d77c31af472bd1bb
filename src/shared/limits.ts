// Flood limits: the settings and a check's verdict, shared by the in-process limiter (assistant/)
// and a store that counts across instances (store/).

export interface RateLimits {
  /** Questions a user may ask per window. */
  perUser: number;
  /** Questions a workspace or tenant may ask per window. */
  perWorkspace: number;
  windowMs: number;
}

/** ok: answer; warn: the one "slow down" of this window; drop: no reply at all. */
export type Verdict = 'ok' | 'warn' | 'drop';
