// All configuration comes from environment variables (and an optional .env), validated once.
// Errors name the variable, never echo a secret's value.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const port = z.coerce
  .number({ message: 'must be a whole number from 0 to 65535' })
  .int('must be a whole number from 0 to 65535')
  .min(0, 'must be a whole number from 0 to 65535')
  .max(65535, 'must be a whole number from 0 to 65535');
const positive = (max: number) => z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1).max(max);
const optional = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

export const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test'], { message: 'must be development, production or test' }).default('development'),
  PORT: port.default(3978),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'must be fatal, error, warn, info, debug, trace or silent' }).default('info'),
  MicrosoftAppId: optional,
  MicrosoftAppPassword: optional,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], { message: 'must be MultiTenant, SingleTenant or UserAssignedMSI' }).default('MultiTenant'),
  MicrosoftAppTenantId: optional,
  SLACK_SIGNING_SECRET: optional,
  SLACK_BOT_TOKEN: optional.refine((v) => v === undefined || v.startsWith('xoxb-'), 'must be a bot token starting xoxb-'),
  SLACK_APP_TOKEN: optional.refine((v) => v === undefined || v.startsWith('xapp-'), 'must be an app-level token starting xapp-'),
  SLACK_API_URL: optional.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), 'must be an http(s) URL such as https://slack.com/api/'),
  CODEBOT_KNOWLEDGE: optional,
  CODEBOT_WEBCHAT: z.enum(['auto', 'on', 'off'], { message: 'must be auto, on or off' }).default('auto'),
  CODEBOT_MAX_QUESTION_LENGTH: positive(100_000).default(2000),
  CODEBOT_SHUTDOWN_TIMEOUT_MS: positive(120_000).default(10_000),
  CODEBOT_DB: z.string().trim().min(1).default('./data/codebot.db'),
  DATABASE_URL: z.string().trim().regex(/^postgres(?:ql)?:\/\//i, 'must be a postgres:// URL').optional(),
  CODEBOT_RETENTION_DAYS: positive(3650).default(90),
  CODEBOT_STATE_TTL_HOURS: positive(24 * 365).default(24),
  CODEBOT_RATE_PER_USER: positive(1_000_000).default(20),
  CODEBOT_RATE_PER_WORKSPACE: positive(10_000_000).default(600),
  CODEBOT_DIRECTLINE_MAX_MB: positive(4096).default(32),
  CODEBOT_DIRECTLINE_PER_MINUTE: positive(100_000).default(20),
  BOTFRAMEWORK_OPENID_METADATA_URL: optional.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), 'must be an http(s) URL'),
});
export type Env = z.infer<typeof EnvSchema>;

/** Variables whose values must never reach a log line or an error message. */
export const SECRET_VARIABLES = ['MicrosoftAppPassword', 'SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'DATABASE_URL'] as const;

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  logLevel: Env['LOG_LEVEL'];
  knowledgeDir: string | undefined;
  maxQuestionLength: number;
  shutdownTimeoutMs: number;
  store: { file: string; retentionDays: number; stateTtlMs: number };
  /** Questions per minute, per user and per Slack workspace or Teams tenant. */
  rate: { perUser: number; perWorkspace: number };
  /** The local web chat's Direct Line store: bytes kept in all, new conversations a minute per client. */
  directLine: { maxBytes: number; createPerMinute: number };
  botFramework: {
    /** Off when there is no app id and the server listens beyond loopback (Slack only). */
    enabled: boolean;
    reason: string;
    /** Local mode: no app id, requests are not authenticated (loopback only). */
    local: boolean;
    /** Where the keys that sign Bot Connector tokens are published (sovereign clouds, tests). */
    openIdMetadataUrl: string | undefined;
    appId: string | undefined;
    appPassword: string | undefined;
    appType: Env['MicrosoftAppType'];
    tenantId: string | undefined;
  };
  slack:
    | { enabled: false; reason: string }
    | { enabled: true; mode: 'http' | 'socket'; signingSecret: string; botToken: string; appToken?: string; apiUrl?: string };
  webchat: { enabled: boolean; reason: string };
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** 127.0.0.0/8, ::1 and localhost: addresses no other machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return /^127(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(v4);
}

function check(env: Env): void {
  const bf = env.MicrosoftAppId !== undefined;
  if (bf && env.MicrosoftAppType !== 'UserAssignedMSI' && !env.MicrosoftAppPassword) {
    throw new ConfigError('MicrosoftAppPassword: required when MicrosoftAppId is set');
  }
  if (bf && env.MicrosoftAppType === 'SingleTenant' && !env.MicrosoftAppTenantId) {
    throw new ConfigError('MicrosoftAppTenantId: required when MicrosoftAppType is SingleTenant');
  }
  if (!bf && env.MicrosoftAppPassword) throw new ConfigError('MicrosoftAppId: required when MicrosoftAppPassword is set');
  if (env.NODE_ENV === 'production' && !bf) {
    throw new ConfigError('MicrosoftAppId: required in production (NODE_ENV=production); without it the Bot Framework endpoint would accept anyone');
  }
  if (!bf && !isLoopbackHost(env.HOST) && env.SLACK_SIGNING_SECRET === undefined) {
    throw new ConfigError(
      `HOST: local mode (no MicrosoftAppId) answers anyone without authentication, so it listens only on a loopback address such as 127.0.0.1 (got "${env.HOST}"); set MicrosoftAppId and MicrosoftAppPassword to listen on the network`,
    );
  }
  if (env.SLACK_APP_TOKEN && !env.SLACK_BOT_TOKEN) throw new ConfigError('SLACK_BOT_TOKEN: required when SLACK_APP_TOKEN is set');
  if ((env.SLACK_SIGNING_SECRET === undefined) !== (env.SLACK_BOT_TOKEN === undefined)) {
    throw new ConfigError(`${env.SLACK_SIGNING_SECRET ? 'SLACK_BOT_TOKEN' : 'SLACK_SIGNING_SECRET'}: required when the other Slack setting is set`);
  }
}

/** Read the environment (and `.env` in the working directory, if there is one). */
export function loadConfig(source: NodeJS.ProcessEnv = process.env, dotenv = path.resolve('.env')): Config {
  if (source === process.env && existsSync(dotenv)) {
    try {
      // Values already in the environment win over the file.
      process.loadEnvFile(dotenv);
    } catch (err) {
      throw new ConfigError(`.env: cannot be read (${(err as Error).message})`);
    }
  }
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const secret = (SECRET_VARIABLES as readonly string[]).includes(name);
    const value = source[name];
    const shown = secret || value === undefined ? '' : ` (got "${value.slice(0, 40)}")`;
    throw new ConfigError(`${name}: ${issue.message}${shown}`);
  }
  const env = parsed.data;
  check(env);
  const loopback = isLoopbackHost(env.HOST);
  const noAppId = env.MicrosoftAppId === undefined;
  // Without an app id the Bot Framework endpoint cannot tell callers apart: on loopback only.
  const bfOn = !noAppId || loopback;
  const local = noAppId && bfOn;
  const slackOn = env.SLACK_SIGNING_SECRET !== undefined && env.SLACK_BOT_TOKEN !== undefined;
  // The web chat answers anyone who reaches it: on by itself only on a loopback address.
  const webchatOn = bfOn && (env.CODEBOT_WEBCHAT === 'on' || (env.CODEBOT_WEBCHAT === 'auto' && env.NODE_ENV !== 'production' && loopback));
  const webchatWhyOff = !bfOn
    ? 'the Bot Framework endpoint is off'
    : env.CODEBOT_WEBCHAT === 'off'
      ? 'CODEBOT_WEBCHAT=off'
      : env.NODE_ENV === 'production'
        ? 'off in production unless CODEBOT_WEBCHAT=on'
        : `off because HOST ${env.HOST} is not a loopback address (it would answer anyone on the network); set CODEBOT_WEBCHAT=on to serve it anyway`;
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    knowledgeDir: env.CODEBOT_KNOWLEDGE,
    maxQuestionLength: env.CODEBOT_MAX_QUESTION_LENGTH,
    shutdownTimeoutMs: env.CODEBOT_SHUTDOWN_TIMEOUT_MS,
    rate: { perUser: env.CODEBOT_RATE_PER_USER, perWorkspace: env.CODEBOT_RATE_PER_WORKSPACE },
    directLine: { maxBytes: env.CODEBOT_DIRECTLINE_MAX_MB * 1024 * 1024, createPerMinute: env.CODEBOT_DIRECTLINE_PER_MINUTE },
    // DATABASE_URL (a platform's usual name for PostgreSQL) when CODEBOT_DB is not set.
    store: { file: source.CODEBOT_DB === undefined && env.DATABASE_URL ? env.DATABASE_URL : env.CODEBOT_DB, retentionDays: env.CODEBOT_RETENTION_DAYS, stateTtlMs: env.CODEBOT_STATE_TTL_HOURS * 3600 * 1000 },
    botFramework: {
      enabled: bfOn,
      reason: bfOn ? '' : `off: no MicrosoftAppId, and local mode (unauthenticated) only listens on a loopback address, not ${env.HOST}`,
      local,
      openIdMetadataUrl: env.BOTFRAMEWORK_OPENID_METADATA_URL,
      appId: env.MicrosoftAppId,
      appPassword: env.MicrosoftAppPassword,
      appType: env.MicrosoftAppType,
      tenantId: env.MicrosoftAppTenantId,
    },
    slack: slackOn
      ? {
          enabled: true,
          mode: env.SLACK_APP_TOKEN ? 'socket' : 'http',
          signingSecret: env.SLACK_SIGNING_SECRET!,
          botToken: env.SLACK_BOT_TOKEN!,
          ...(env.SLACK_APP_TOKEN ? { appToken: env.SLACK_APP_TOKEN } : {}),
          // Bolt's Web API client wants the base URL with its trailing slash.
          ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL.endsWith('/') ? env.SLACK_API_URL : `${env.SLACK_API_URL}/` } : {}),
        }
      : { enabled: false, reason: 'SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are not set' },
    webchat: webchatOn ? { enabled: true, reason: loopback ? '' : `CODEBOT_WEBCHAT=on: answers anyone who can reach ${env.HOST}` } : { enabled: false, reason: webchatWhyOff },
  };
}
