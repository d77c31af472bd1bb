// TLS to PostgreSQL, as a managed database needs it, against a real server that takes TLS
// connections only (started here with a certificate from a test CA; never a mock). The options are
// node-postgres' own, given in the URL (CODEBOT_DB or DATABASE_URL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { describeTarget } from '../src/store/open.js';
import { PgStore } from '../src/store/postgres.js';
import { startPostgres, type PgServer } from './postgres-server.js';

let server: PgServer;
let base: string;
beforeAll(async () => {
  server = await startPostgres({ tls: true });
  base = (await server.database('tls')).replace('postgres@', 'postgres:not-a-real-password@');
}, 60_000);
afterAll(() => server?.stop());

const withQuery = (query: string) => `${base}?${query}`;

/** Whether the connection this URL makes is encrypted, as the server sees it. */
async function encrypted(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).rows[0]!.ssl;
  } finally {
    await c.end();
  }
}

describe('PostgreSQL over TLS', () => {
  it('connects, verifying the server against the CA file given by sslrootcert (sslmode=verify-full)', async () => {
    const url = withQuery(`sslmode=verify-full&sslrootcert=${encodeURIComponent(server.ca!)}`);
    expect(await encrypted(url)).toBe(true);
    const store = await PgStore.open(url);
    expect(await store.ping()).toBe(true);
    await store.close();
  });

  it('encrypts without verifying with libpq semantics (uselibpqcompat=true&sslmode=require)', async () => {
    expect(await encrypted(withQuery('uselibpqcompat=true&sslmode=require'))).toBe(true);
  });

  it('refuses a server whose certificate the given CA did not sign, with the reason', async () => {
    const url = withQuery(`sslmode=verify-full&sslrootcert=${encodeURIComponent(server.otherCa!)}`);
    await expect(PgStore.open(url)).rejects.toThrow(/^PostgreSQL: .*certificate/);
  });

  it('is refused by a TLS-only server when TLS is off, and the error names no password', async () => {
    const url = withQuery('sslmode=disable');
    const err = await PgStore.open(url).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/^PostgreSQL: .*no encryption/);
    expect(err?.message).not.toContain('not-a-real-password');
    expect(describeTarget(url)).toMatch(/^PostgreSQL at 127\.0\.0\.1:\d+\/tls$/);
  });
});
