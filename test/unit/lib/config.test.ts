import { ConfigError, parseConfig , startMode } from '../../../src/config';

const ok = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'shhh-secret-value' };

describe('parseConfig', () => {
  it('applies the documented defaults in HTTP mode', () => {
    expect(parseConfig(ok)).toEqual({
      botToken: 'xoxb-1-2-abc',
      signingSecret: 'shhh-secret-value',
      appToken: null,
      mode: 'http',
      slackApiUrl: 'https://slack.com/api/',
      port: 3000,
      databasePath: './data/coachline.sqlite',
      databaseUrl: null,
      outboxLeaseSeconds: 300,
      adminUserIds: [],
      defaultTimezone: 'UTC',
      pulseMinResponses: 5,
      logLevel: 'info',
    });
  });

  it('uses Socket Mode when an app token is set, and needs no signing secret then', () => {
    const c = parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-A1-2-x', SLACK_API_URL: 'http://127.0.0.1:9/api' });
    expect(c.mode).toBe('socket');
    expect(c.slackApiUrl).toBe('http://127.0.0.1:9/api/');
  });

  it('uses PostgreSQL when DATABASE_URL is set, and refuses anything else there without echoing it', () => {
    expect(parseConfig({ ...ok, DATABASE_URL: 'postgres://coach:pw@db.example:5432/coachline' }).databaseUrl).toBe('postgres://coach:pw@db.example:5432/coachline');
    expect(parseConfig({ ...ok, DATABASE_URL: '  ' }).databaseUrl).toBeNull();
    let error: unknown = null;
    try {
      parseConfig({ ...ok, DATABASE_URL: 'mysql://root:hunter2@db/x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/DATABASE_URL must be a PostgreSQL URL/);
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('reads admins, port, time zone and log level', () => {
    const c = parseConfig({ ...ok, ADMIN_USER_IDS: ' U01ABC , W02DEF,', PORT: '8080', DEFAULT_TIMEZONE: 'Europe/Berlin', LOG_LEVEL: 'DEBUG' });
    expect(c).toMatchObject({ adminUserIds: ['U01ABC', 'W02DEF'], port: 8080, defaultTimezone: 'Europe/Berlin', logLevel: 'debug' });
  });

  it('lists every problem at once, each saying how to fix it, and never echoes secrets', () => {
    let error: ConfigError | null = null;
    try {
      parseConfig({
        SLACK_BOT_TOKEN: 'xoxp-user-token-secret',
        SLACK_APP_TOKEN: 'wrong',
        PORT: 'eighty',
        DEFAULT_TIMEZONE: 'Mars/Olympus',
        LOG_LEVEL: 'loud',
        ADMIN_USER_IDS: 'alice',
        SLACK_API_URL: 'not a url',
      });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = error!.message;
    for (const name of ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'PORT', 'DEFAULT_TIMEZONE', 'LOG_LEVEL', 'ADMIN_USER_IDS', 'SLACK_API_URL']) {
      expect(text).toContain(name);
    }
    expect(error!.problems).toHaveLength(7);
    expect(text).not.toContain('xoxp-user-token-secret');
  });

  it('takes PULSE_MIN_RESPONSES from 3 up, and refuses less with the reason', () => {
    expect(parseConfig({ ...ok, PULSE_MIN_RESPONSES: '8' }).pulseMinResponses).toBe(8);
    expect(parseConfig({ ...ok, PULSE_MIN_RESPONSES: '3' }).pulseMinResponses).toBe(3);
    expect(() => parseConfig({ ...ok, PULSE_MIN_RESPONSES: '2' })).toThrow(/PULSE_MIN_RESPONSES must be a whole number of 3 or more/);
    expect(() => parseConfig({ ...ok, PULSE_MIN_RESPONSES: 'five' })).toThrow(/PULSE_MIN_RESPONSES/);
  });

  it('asks for the signing secret (or an app token) when neither is set', () => {
    expect(() => parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_SIGNING_SECRET is missing/);
    expect(() => parseConfig({})).toThrow(/SLACK_BOT_TOKEN is missing/);
  });
});

describe('startMode', () => {
  it('runs the sandbox without Slack credentials, or when asked, but never in production', () => {
    expect(startMode([], {})).toBe('sandbox');
    expect(startMode([], { SLACK_BOT_TOKEN: '  ', SLACK_APP_TOKEN: '' })).toBe('sandbox');
    expect(startMode([], { SLACK_BOT_TOKEN: 'xoxb-1' })).toBe('slack');
    expect(startMode([], { SLACK_APP_TOKEN: 'xapp-1' })).toBe('slack');
    expect(startMode(['--sandbox'], { SLACK_BOT_TOKEN: 'xoxb-1' })).toBe('sandbox');
    expect(startMode(['--reset-sandbox'], { SLACK_BOT_TOKEN: 'xoxb-1' })).toBe('sandbox');
    expect(startMode([], { NODE_ENV: 'production' })).toBe('slack');
    expect(startMode(['--sandbox'], { NODE_ENV: 'production' })).toBe('sandbox-refused');
  });
});
