// Which store a setting names: a postgres:// URL is PostgreSQL (several instances, one database);
// anything else is a SQLite file on this machine.

import { PgStore } from './postgres.js';
import { SqliteStore } from './sqlite.js';
import type { Store } from './types.js';

export function isPostgresUrl(target: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(target);
}

/** The target as it may be shown: a URL without its password. */
export function describeTarget(target: string): string {
  if (!isPostgresUrl(target)) return `SQLite at ${target}`;
  try {
    const u = new URL(target);
    return `PostgreSQL at ${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'PostgreSQL (an unreadable URL)';
  }
}

export async function openStore(target: string, opts: { stateTtlMs?: number } = {}): Promise<Store> {
  return isPostgresUrl(target) ? PgStore.open(target, opts) : new SqliteStore(target, opts);
}
