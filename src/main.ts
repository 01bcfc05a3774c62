import { ConfigError, loadDotEnv, parseConfig, startMode } from './config';
import { createCoachline } from './coachline';
import { MigrationError } from './store/migrate';

/** Process entry: read .env and the environment, start, and stop cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  loadDotEnv();
  const mode = startMode(process.argv.slice(2), process.env);
  if (mode === 'sandbox-refused') {
    process.stderr.write('coachline cannot start: the sandbox never runs with NODE_ENV=production; set SLACK_BOT_TOKEN and the other variables in README.md.\n');
    process.exit(1);
  }
  if (mode === 'sandbox') return runSandbox(process.argv.includes('--reset-sandbox'));
  let app;
  try {
    app = createCoachline(parseConfig(process.env));
  } catch (err) {
    if (err instanceof ConfigError || err instanceof MigrationError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    const e = err as { code?: string; message?: string };
    process.stderr.write(`coachline cannot start: ${e.message ?? String(err)}\n` + explainStartupError(e.code, 'open') + '\n');
    process.exit(1);
  }
  let port: number;
  try {
    port = await app.start();
  } catch (err) {
    const e = err as { code?: string; message?: string; data?: { error?: string } };
    const slackError = e.data?.error;
    process.stderr.write(
      `coachline cannot start: ${slackError ? `Slack answered "${slackError}"` : (e.message ?? String(err))}\n` +
        explainStartupError(slackError ?? e.code, 'start') +
        '\n',
    );
    await app.stop().catch(() => undefined);
    process.exit(1);
  }
  app.logger.log('info', `coachline is running in ${app.config.mode === 'socket' ? 'Socket Mode' : 'HTTP mode'}`, {
    port,
    events: app.config.mode === 'http' ? 'POST /slack/events' : 'Socket Mode',
    health: 'GET /healthz',
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.log('info', `received ${signal}; finishing what is in flight`);
    app.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        app.logger.log('error', 'shutdown failed', { error: err });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** `npm start` without Slack credentials: the local sandbox workspace (never in production). */
async function runSandbox(reset: boolean): Promise<void> {
  const port = parseConfigPort(process.env.PORT);
  let sandbox;
  try {
    // Loaded only here: a Slack install never loads the emulator.
    const { startSandbox } = await import('./sandbox/sandbox');
    sandbox = await startSandbox({ port, dataDir: './data', reset, env: process.env });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    process.stderr.write(`coachline sandbox cannot start: ${e.message ?? String(err)}\n` + explainStartupError(e.code, 'start') + '\n');
    process.exit(1);
  }
  process.stdout.write(`coachline sandbox: open ${sandbox.url}\n`);
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    sandbox.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

/** PORT as the configuration reads it (default 3000); a bad value is reported like any configuration problem. */
function parseConfigPort(raw: string | undefined): number {
  try {
    return parseConfig({ SLACK_BOT_TOKEN: 'xoxb-sandbox', SLACK_SIGNING_SECRET: 'sandbox', PORT: raw }).port;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

/** A file-system or SQLite error raised while opening DATABASE_PATH (its folder is created first). */
const DATABASE_OPEN_ERROR = /^(SQLITE_CANTOPEN|SQLITE_READONLY|SQLITE_PERM|SQLITE_AUTH)|^(EACCES|EPERM|EROFS|ENOTDIR|EEXIST|EISDIR|ENOENT)$/;

/**
 * What to do about a start-up error. `open` is building the app (only DATABASE_PATH is opened
 * then: better-sqlite3 raises SQLITE_CANTOPEN in a folder it cannot write,
 * SQLITE_READONLY_DIRECTORY beside an existing file, and creating the folder raises EACCES or
 * ENOTDIR); `start` is listening and Slack's auth.test.
 */
function explainStartupError(code: string | undefined, phase: 'open' | 'start'): string {
  if (phase === 'open' && code && DATABASE_OPEN_ERROR.test(code)) return DATABASE_NOT_WRITABLE;
  switch (code) {
    case 'invalid_auth':
    case 'not_authed':
    case 'token_revoked':
    case 'account_inactive':
      return 'SLACK_BOT_TOKEN is not accepted by Slack: copy the Bot User OAuth Token again from "OAuth & Permissions", or reinstall the app.';
    case 'not_allowed_token_type':
      return 'SLACK_APP_TOKEN must be an app-level token (xapp-…) with the connections:write scope.';
    case 'EADDRINUSE':
      return 'PORT is already in use by another program: choose another PORT.';
    case 'EACCES':
      return 'PORT needs privileges on this machine: choose a PORT above 1024.';
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_READONLY':
      return DATABASE_NOT_WRITABLE;
    case 'slack_webapi_request_error':
      return 'Slack could not be reached: check the network and SLACK_API_URL.';
    default:
      return 'See "Troubleshooting" in README.md.';
  }
}

const DATABASE_NOT_WRITABLE = 'DATABASE_PATH cannot be opened for writing: check the path and its folder permissions.';

void main();
