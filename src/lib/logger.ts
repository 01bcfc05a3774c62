import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Where log lines go; tests pass a collector to read them back. */
export type LogSink = (line: string) => void;

/** Slack tokens and anything registered as secret never reach a log line. */
const TOKEN_PATTERN = /\b(xox[abposr]|xapp)-[A-Za-z0-9-]+/g;
/** The @slack/web-api client's debug lines that quote a request's or response's body. */
const WIRE_BODY = /^(http request body|http request result|http response body)\b/;

export interface Logger extends BoltLogger {
  child(fields: Record<string, unknown>): Logger;
  /** Structured line: message plus fields. */
  log(level: Level, msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(opts: {
  level: Level;
  sink?: LogSink;
  secrets?: string[];
  name?: string;
  fields?: Record<string, unknown>;
}): Logger {
  const level: Level = opts.level;
  let name = opts.name ?? 'coachline';
  const sink: LogSink = opts.sink ?? ((line) => process.stdout.write(line + '\n'));
  const secrets = (opts.secrets ?? []).filter((s) => s.length >= 6);
  const base = opts.fields ?? {};

  const redact = (text: string): string => {
    let out = text.replace(TOKEN_PATTERN, '$1-[redacted]');
    for (const s of secrets) out = out.split(s).join('[redacted]');
    return out;
  };

  const render = (v: unknown): unknown => {
    if (v instanceof Error) {
      const coded = v as Error & { code?: unknown; data?: { error?: unknown } };
      return { name: v.name, message: v.message, code: coded.code, slackError: coded.data?.error };
    }
    return v;
  };

  const emit = (lvl: Level, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < ORDER[level]) return;
    const record: Record<string, unknown> = { time: new Date().toISOString(), level: lvl, name, msg, ...base };
    for (const [k, v] of Object.entries(fields ?? {})) record[k] = render(v);
    sink(redact(JSON.stringify(record)));
  };

  // Bolt and the Web API client call these with free-form arguments.
  const fromArgs = (lvl: Level, args: unknown[]) => {
    const parts = args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : typeof a === 'string' ? a : safeJson(a)));
    const text = parts.join(' ');
    // The Web API client's debug lines carry whole request and response bodies: who a DM went to
    // (a pulse reminder says who had not answered), users.info answers. Their content is never logged.
    const wire = WIRE_BODY.exec(text);
    emit(lvl, wire ? `${wire[1]}: [not logged: may name people]` : text);
  };

  const logger: Logger = {
    debug: (...a: unknown[]) => fromArgs('debug', a),
    info: (...a: unknown[]) => fromArgs('info', a),
    warn: (...a: unknown[]) => fromArgs('warn', a),
    error: (...a: unknown[]) => fromArgs('error', a),
    // The level comes from LOG_LEVEL; Bolt calls setLevel with its own default, which must not win.
    setLevel: (_l: LogLevel) => undefined,
    getLevel: () => level as LogLevel,
    setName: (n: string) => {
      name = n;
    },
    log: emit,
    child: (fields) => createLogger({ level, sink, secrets, name, fields: { ...base, ...fields } }),
  };
  return logger;
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}
