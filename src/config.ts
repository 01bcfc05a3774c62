import fs from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';

/**
 * Configuration, read once from the environment (and `.env` when present).
 * The variable names are a published contract: see README.md.
 */
export interface Config {
  botToken: string;
  signingSecret: string | null;
  appToken: string | null;
  /** Socket Mode when an app-level token is given, HTTP otherwise. */
  mode: 'socket' | 'http';
  slackApiUrl: string;
  port: number;
  databasePath: string;
  /** PostgreSQL connection URL (DATABASE_URL); when set, PostgreSQL is used instead of the SQLite file. */
  databaseUrl: string | null;
  /** How long an outbox claim lasts (OUTBOX_LEASE_SECONDS): a dead instance's deliveries are taken over after this. */
  outboxLeaseSeconds: number;
  adminUserIds: string[];
  defaultTimezone: string;
  /** Team pulse results show only from this many answers (PULSE_MIN_RESPONSES, default 5, never below 3). */
  pulseMinResponses: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const EnvSchema = z.object({
  SLACK_BOT_TOKEN: z.preprocess(
    blankToUndefined,
    z
      .string({ error: 'is missing: set it to the Bot User OAuth Token (xoxb-…) from "OAuth & Permissions"' })
      .startsWith('xoxb-', { error: 'must be a bot token starting with xoxb- ("OAuth & Permissions" → Bot User OAuth Token)' }),
  ),
  SLACK_SIGNING_SECRET: z.preprocess(blankToUndefined, z.string().optional()),
  SLACK_APP_TOKEN: z.preprocess(
    blankToUndefined,
    z
      .string()
      .startsWith('xapp-', { error: 'must be an app-level token starting with xapp- ("Basic Information" → App-Level Tokens, scope connections:write), or be left empty for HTTP mode' })
      .optional(),
  ),
  SLACK_API_URL: z.preprocess(
    blankToUndefined,
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://slack.com/api/' })
      .default('https://slack.com/api/'),
  ),
  PORT: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: 'must be a port number between 0 and 65535' })
      .int({ error: 'must be a whole port number between 0 and 65535' })
      .min(0, { error: 'must be a port number between 0 and 65535' })
      .max(65535, { error: 'must be a port number between 0 and 65535' })
      .default(3000),
  ),
  DATABASE_PATH: z.preprocess(blankToUndefined, z.string().default('./data/coachline.sqlite')),
  DATABASE_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, { error: 'must be a PostgreSQL URL such as postgres://user:password@host:5432/coachline' })
      .optional(),
  ),
  OUTBOX_LEASE_SECONDS: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: 'must be a number of seconds between 1 and 3600' })
      .int({ error: 'must be a whole number of seconds between 1 and 3600' })
      .min(1, { error: 'must be a number of seconds between 1 and 3600' })
      .max(3600, { error: 'must be a number of seconds between 1 and 3600' })
      .default(300),
  ),
  PULSE_MIN_RESPONSES: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: 'must be a whole number of 3 or more (results from fewer answers could point at a person)' })
      .int({ error: 'must be a whole number of 3 or more (results from fewer answers could point at a person)' })
      .min(3, { error: 'must be a whole number of 3 or more (results from fewer answers could point at a person)' })
      .max(1000, { error: 'must be a whole number between 3 and 1000' })
      .default(5),
  ),
  ADMIN_USER_IDS: z.preprocess(
    blankToUndefined,
    z
      .string()
      .default('')
      .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
      .pipe(
        z.array(
          z.string().regex(/^[UW][A-Z0-9]{2,}$/, {
            error: 'must be comma-separated Slack user ids such as U012ABCDEF (profile → ⋮ → Copy member ID)',
          }),
        ),
      ),
  ),
  DEFAULT_TIMEZONE: z.preprocess(
    blankToUndefined,
    z
      .string()
      .default('UTC')
      .refine(isTimeZone, { error: 'must be an IANA time zone such as Europe/Berlin or America/New_York' }),
  ),
  LOG_LEVEL: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toLowerCase() || undefined : v),
    z.enum(['debug', 'info', 'warn', 'error'], { error: 'must be one of debug, info, warn, error' }).default('info'),
  ),
});

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(
      'coachline cannot start: the configuration has ' +
        (problems.length === 1 ? 'a problem' : `${problems.length} problems`) +
        ':\n' +
        problems.map((p) => `  - ${p}`).join('\n') +
        '\nSet these in the environment or in .env (see .env.example and README.md).',
    );
    this.name = 'ConfigError';
  }
}

/** Parses the environment into a Config, or throws a ConfigError listing every problem. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = EnvSchema.safeParse(env);
  const problems: string[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const name = String(issue.path[0] ?? 'environment');
      problems.push(`${name} ${issue.message}`);
    }
  }
  const signing = typeof env.SLACK_SIGNING_SECRET === 'string' ? env.SLACK_SIGNING_SECRET.trim() : '';
  const appToken = typeof env.SLACK_APP_TOKEN === 'string' ? env.SLACK_APP_TOKEN.trim() : '';
  if (!appToken && !signing) {
    problems.push(
      'SLACK_SIGNING_SECRET is missing: HTTP mode needs the Signing Secret ("Basic Information" → App Credentials), ' +
        'or set SLACK_APP_TOKEN (xapp-…) to use Socket Mode instead',
    );
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  const v = result.data;
  return {
    botToken: v.SLACK_BOT_TOKEN,
    signingSecret: v.SLACK_SIGNING_SECRET ?? null,
    appToken: v.SLACK_APP_TOKEN ?? null,
    mode: v.SLACK_APP_TOKEN ? 'socket' : 'http',
    slackApiUrl: v.SLACK_API_URL.endsWith('/') ? v.SLACK_API_URL : `${v.SLACK_API_URL}/`,
    port: v.PORT,
    databasePath: v.DATABASE_PATH,
    databaseUrl: v.DATABASE_URL ?? null,
    outboxLeaseSeconds: v.OUTBOX_LEASE_SECONDS,
    adminUserIds: v.ADMIN_USER_IDS,
    defaultTimezone: v.DEFAULT_TIMEZONE,
    pulseMinResponses: v.PULSE_MIN_RESPONSES,
    logLevel: v.LOG_LEVEL,
  };
}

/**
 * Loads `.env` (when the file exists) into process.env without overriding what
 * is already set, using Node's own parser.
 */
export function loadDotEnv(path = '.env'): void {
  if (!fs.existsSync(path)) return;
  const parsed = parseEnv(fs.readFileSync(path, 'utf8'));
  for (const [k, v] of Object.entries(parsed)) {
    if (process.env[k] === undefined) process.env[k] = v;
  }
}
/**
 * Which way `npm start` runs: against Slack (credentials set), or the local sandbox
 * (no SLACK_BOT_TOKEN and no SLACK_APP_TOKEN, or `--sandbox` / `--reset-sandbox`).
 * With NODE_ENV=production the sandbox never starts: missing credentials are a
 * configuration error there, and asking for the sandbox is refused.
 */
export type StartMode = 'slack' | 'sandbox' | 'sandbox-refused';

export function startMode(argv: readonly string[], env: Record<string, string | undefined>): StartMode {
  const asked = argv.includes('--sandbox') || argv.includes('--reset-sandbox');
  const blank = (v: string | undefined) => v === undefined || v.trim() === '';
  const noCredentials = blank(env.SLACK_BOT_TOKEN) && blank(env.SLACK_APP_TOKEN);
  const production = env.NODE_ENV?.trim() === 'production';
  if (production) return asked ? 'sandbox-refused' : 'slack';
  return asked || noCredentials ? 'sandbox' : 'slack';
}
