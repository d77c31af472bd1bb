// A throwaway PostgreSQL server for the tests: initdb into a temporary folder and pg_ctl start on a
// free port on 127.0.0.1, as an unprivileged user (PostgreSQL refuses to run as root: under root
// the `postgres` system user runs it). Debian's `postgresql` package provides the binaries; `.ci/run`
// installs it when missing. Never a mock.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface PgServer {
  url: string;
  /** With `tls`: the CA that signed the server's certificate, and one that did not. */
  ca?: string;
  otherCa?: string;
  /** A fresh database on the server, for one test's isolation. */
  database(name: string): Promise<string>;
  /** Stop the server, keeping its data (to start it again: a database going away and coming back). */
  pause(): void;
  resume(): void;
  stop(): void;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const dir = versions.map((v) => path.join(root, v, 'bin')).find((d) => existsSync(path.join(d, 'initdb')));
  if (!dir) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql: apt-get install postgresql (.ci/run does)');
  return dir;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * A CA, a server certificate for 127.0.0.1 signed by it, and a second CA that signed nothing (for a
 * client that trusts the wrong one). openssl, as a managed database's operator would.
 */
function makeCertificates(dir: string): { ca: string; otherCa: string; cert: string; key: string } {
  const f = (name: string) => path.join(dir, name);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  // P-256 keys: made in milliseconds (2048-bit RSA takes most of a second here).
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  for (const ca of ['ca', 'other-ca']) ssl('req', '-x509', ...key, '-days', '2', '-subj', `/CN=codebot test ${ca}`, '-keyout', f(`${ca}.key`), '-out', f(`${ca}.pem`));
  ssl('req', ...key, '-subj', '/CN=127.0.0.1', '-keyout', f('server.key'), '-out', f('server.csr'));
  writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  ssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f('san.ext'), '-out', f('server.pem'));
  // PostgreSQL refuses a key others can read.
  chmodSync(f('server.key'), 0o600);
  return { ca: f('ca.pem'), otherCa: f('other-ca.pem'), cert: f('server.pem'), key: f('server.key') };
}

/** `tls`: the server takes TLS too, with a certificate from a test CA, and the database `tls` takes nothing else. */
export async function startPostgres(opts: { tls?: boolean } = {}): Promise<PgServer> {
  const bin = binDir();
  const dir = mkdtempSync(path.join(tmpdir(), 'codebot-pg-'));
  const root = process.getuid?.() === 0;
  // As root, the postgres system user owns the folder and runs the server.
  const run = (cmd: string, args: string[]) => {
    if (!root) return execFileSync(path.join(bin, cmd), args, { stdio: 'pipe' });
    const line = [path.join(bin, cmd), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    return execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', line], { stdio: 'pipe' });
  };
  const owner = root ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()) } : null;
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const certs = opts.tls ? makeCertificates(dir) : null;
  if (certs && owner) for (const file of [certs.cert, certs.key]) chownSync(file, owner.uid, owner.gid);
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  if (certs) {
    // The database named `tls` takes TLS connections only, as a managed database does; the others
    // take both. The local socket (pg_ctl's own checks) stays as it was.
    const hba = path.join(data, 'pg_hba.conf');
    writeFileSync(hba, 'local all all trust\nhostnossl tls all 127.0.0.1/32 reject\nhostssl tls all 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 trust\n');
    if (owner) chownSync(hba, owner.uid, owner.gid);
  }
  const tlsFlags = certs ? ` -c ssl=on -c ssl_cert_file=${certs.cert} -c ssl_key_file=${certs.key}` : '';
  const port = await freePort();
  const start = () => run('pg_ctl', ['-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off${tlsFlags}`, '-l', path.join(dir, 'log'), '-w', 'start']);
  start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const { default: pg } = await import('pg');
  return {
    url,
    ...(certs ? { ca: certs.ca, otherCa: certs.otherCa } : {}),
    database: async (name) => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`CREATE DATABASE ${name}`);
      await c.end();
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    pause: () => void run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
    resume: () => void start(),
    stop: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
