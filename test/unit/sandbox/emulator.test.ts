/**
 * Tests of the test support itself: the Slack Web API emulator (driven by the
 * real WebClient), the request signer and payload factories (driven against a
 * real Bolt app over HTTP) and the fake Socket Mode server (driven by a real
 * Bolt app in Socket Mode).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { type Logger, WebClient } from '@slack/web-api';
import { type SlackEmulator, startEmulator } from '../../../src/sandbox/emulator';
import { blockActions, eventCallback, plainText, slashCommand, urlVerification, viewSubmission } from '../../../src/sandbox/payloads';
import { computeSignature, postCommand, postEvent, postInteraction, signRequest } from '../../../src/sandbox/signing';
import { startSocketServer } from '../../support/socketServer';

let emu: SlackEmulator;

beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => emu.reset());

/** WebClient logs Slack's error messages itself; these tests assert on them instead. */
const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

const client = (token = 'xoxb-test'): WebClient =>
  new WebClient(token, {
    slackApiUrl: emu.url,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    logger: silent,
  });

interface CaughtError {
  code?: string;
  data?: { error?: string; errors?: string[]; response_metadata?: { messages?: string[] } };
  retryAfter?: number;
  statusCode?: number;
}

/** The error a call rejects with (fails the test if it resolves). */
async function caught(promise: Promise<unknown>): Promise<CaughtError> {
  try {
    await promise;
  } catch (err) {
    return err as CaughtError;
  }
  throw new Error('expected the call to fail');
}

const section = (text: string, block_id?: string) => ({
  type: 'section',
  text: { type: 'mrkdwn', text },
  ...(block_id ? { block_id } : {}),
});
const TS = /^\d{10}\.\d{6}$/;

describe('chat.* round trips', () => {
  it('posts, stores the message with blocks and metadata, and records the parsed call', async () => {
    const channel = emu.addChannel({ name: 'team-alpha' });
    const metadata = { event_type: 'impediment_card', event_payload: { id: 7 } };
    const res = await client().chat.postMessage({ channel, text: 'Kickoff', blocks: [section('*Kickoff*')], metadata });
    expect(res).toMatchObject({ ok: true, channel, message: { text: 'Kickoff', user: emu.botUserId } });
    expect(res.ts).toMatch(TS);
    expect(emu.messages(channel)).toEqual([
      expect.objectContaining({ ts: res.ts, text: 'Kickoff', blocks: [section('*Kickoff*')], metadata, user: emu.botUserId }),
    ]);
    const [call] = emu.callsTo('chat.postMessage');
    expect(call).toMatchObject({ token: 'xoxb-test', status: 200, args: { channel, blocks: [section('*Kickoff*')], metadata } });
    expect(emu.rawBodies.some((b) => b.includes('blocks=%5B%7B'))).toBe(true);
  });

  it('gives unique, increasing ts values and threads replies under their parent', async () => {
    const channel = emu.addChannel({ name: 'threads' });
    const parent = await client().chat.postMessage({ channel, text: 'parent' });
    const reply = await client().chat.postMessage({ channel, text: 'reply', thread_ts: parent.ts as string });
    expect(Number(reply.ts)).toBeGreaterThan(Number(parent.ts));
    expect(emu.message(channel, reply.ts as string)?.thread_ts).toBe(parent.ts);
    const replies = await client().conversations.replies({ channel, ts: parent.ts as string });
    expect(replies.messages?.map((m) => m.text)).toEqual(['parent', 'reply']);
    const history = await client().conversations.history({ channel });
    expect(history.messages?.map((m) => m.text)).toEqual(['parent']);
    expect(history.messages?.[0]).toMatchObject({ reply_count: 1, latest_reply: reply.ts });
    const later = await client().conversations.replies({ channel, ts: parent.ts as string, oldest: reply.ts as string });
    expect(later.messages?.map((m) => m.text)).toEqual(['parent']);
    const bad = await caught(client().chat.postMessage({ channel, text: 'x', thread_ts: '1.000001' }));
    expect(bad.data?.error).toBe('thread_not_found');
  });

  it('takes ts from the clock (unique, increasing) or counts from tsBase', async () => {
    const channel = emu.addChannel({ name: 'clock' });
    const before = Date.now() / 1000;
    const a = await client().chat.postMessage({ channel, text: 'a' });
    const b = await client().chat.postMessage({ channel, text: 'b' });
    expect(Number(a.ts)).toBeGreaterThanOrEqual(Math.floor(before));
    expect(Number(a.ts)).toBeLessThan(Date.now() / 1000 + 1);
    expect(Number(b.ts)).toBeGreaterThan(Number(a.ts));
    const fixed = await startEmulator({ tsBase: 1732240000 });
    try {
      const c = new WebClient('xoxb-t', { slackApiUrl: fixed.url, retryConfig: { retries: 0 }, logger: silent });
      const ch = fixed.addChannel({ name: 'fixed' });
      const first = await c.chat.postMessage({ channel: ch, text: '1' });
      const second = await c.chat.postMessage({ channel: ch, text: '2' });
      expect([first.ts, second.ts]).toEqual(['1732240000.000100', '1732240000.000200']);
    } finally {
      await fixed.close();
    }
  });

  it('updates in place (keeping blocks when omitted) and gives permalinks', async () => {
    const channel = emu.addChannel({ name: 'edits' });
    const posted = await client().chat.postMessage({ channel, text: 'v1', blocks: [section('v1')] });
    const ts = posted.ts as string;
    const updated = await client().chat.update({ channel, ts, text: 'v2' });
    expect(updated).toMatchObject({ ok: true, channel, ts, text: 'v2' });
    expect(emu.message(channel, ts)).toMatchObject({ text: 'v2', edited: true, blocks: [section('v1')] });
    expect((await caught(client().chat.update({ channel, ts: '1.000001', text: 'x' }))).data?.error).toBe('message_not_found');
    const link = await client().chat.getPermalink({ channel, message_ts: ts });
    expect(link.permalink).toBe(`https://example.slack.com/archives/${channel}/p${ts.replace('.', '')}`);
    const missing = await caught(client().chat.getPermalink({ channel, message_ts: '1.000001' }));
    expect(missing.data?.error).toBe('message_not_found');
  });

  it('posts to a user id in a stable DM channel, and records ephemerals', async () => {
    const dm = await client().chat.postMessage({ channel: 'U0042', text: 'hello' });
    expect(dm.channel).toBe(emu.dmChannelFor('U0042'));
    expect(dm.channel).toMatch(/^D/);
    const again = await client().chat.postMessage({ channel: 'U0042', text: 'again' });
    expect(again.channel).toBe(dm.channel);
    expect((await client().conversations.history({ channel: dm.channel as string })).messages).toHaveLength(2);
    const channel = emu.addChannel({ name: 'eph' });
    const eph = await client().chat.postEphemeral({ channel, user: 'U0042', text: 'only you' });
    expect(eph.message_ts).toMatch(TS);
    expect(emu.ephemerals).toEqual([expect.objectContaining({ channel, user: 'U0042', text: 'only you' })]);
  });

  it('rejects empty and oversized text, and notes blocks without a text fallback', async () => {
    const channel = emu.addChannel({ name: 'text' });
    expect((await caught(client().chat.postMessage({ channel, text: '' }))).data?.error).toBe('no_text');
    expect((await caught(client().chat.postMessage({ channel, text: 'x'.repeat(40001) }))).data?.error).toBe('msg_too_long');
    await client().chat.postMessage({ channel, blocks: [section('no fallback')] });
    expect(emu.warnings).toEqual([expect.objectContaining({ method: 'chat.postMessage', warning: 'missing_text_fallback', channel })]);
  });
});

describe('conversations.*, pins, users, auth', () => {
  it('tells not_in_channel (public) from channel_not_found (private or unknown)', async () => {
    const pub = emu.addChannel({ name: 'pub', botIsMember: false });
    const priv = emu.addChannel({ name: 'priv', isPrivate: true, botIsMember: false });
    expect((await caught(client().chat.postMessage({ channel: pub, text: 'x' }))).data?.error).toBe('not_in_channel');
    expect((await caught(client().chat.postMessage({ channel: priv, text: 'x' }))).data?.error).toBe('channel_not_found');
    expect((await caught(client().chat.postMessage({ channel: 'C999', text: 'x' }))).data?.error).toBe('channel_not_found');
    expect((await caught(client().conversations.history({ channel: priv }))).data?.error).toBe('channel_not_found');
    expect(emu.messages(pub)).toHaveLength(0);
  });

  it('joins public channels only', async () => {
    const pub = emu.addChannel({ name: 'open', botIsMember: false });
    const priv = emu.addChannel({ name: 'closed', isPrivate: true, botIsMember: false });
    const joined = await client().conversations.join({ channel: pub });
    expect(joined.channel).toMatchObject({ id: pub, name: 'open', is_private: false });
    expect(joined.warning).toBeUndefined();
    expect((await client().conversations.join({ channel: pub })).warning).toBe('already_in_channel');
    await expect(client().chat.postMessage({ channel: pub, text: 'now in' })).resolves.toMatchObject({ ok: true });
    const err = await caught(client().conversations.join({ channel: priv }));
    expect(err.data?.error).toBe('method_not_supported_for_channel_type');
    expect((await caught(client().conversations.join({ channel: 'C404' }))).data?.error).toBe('channel_not_found');
  });

  it('creates channels with Slack naming rules, invites, and reports info', async () => {
    const created = await client().conversations.create({ name: 'eng-alpha_2', is_private: true });
    const id = created.channel?.id as string;
    expect(created.channel).toMatchObject({ name: 'eng-alpha_2', is_private: true });
    expect(id).toMatch(/^C0001/);
    expect((await caught(client().conversations.create({ name: 'eng-alpha_2' }))).data?.error).toBe('name_taken');
    expect((await caught(client().conversations.create({ name: 'Has Caps' }))).data?.error).toBe('invalid_name_specials');
    expect((await caught(client().conversations.create({ name: 'a'.repeat(81) }))).data?.error).toBe('invalid_name_maxlength');
    expect((await caught(client().conversations.create({ name: '' }))).data?.error).toBe('invalid_name_required');
    await client().conversations.invite({ channel: id, users: 'U0001,U0002' });
    expect([...(emu.channel(id)?.members ?? [])].sort()).toEqual([emu.botUserId, 'U0001', 'U0002'].sort());
    expect((await caught(client().conversations.invite({ channel: id, users: 'U0001' }))).data?.error).toBe('already_in_channel');
    const info = await client().conversations.info({ channel: id });
    expect(info.channel).toMatchObject({ id, is_private: true, is_member: true });
    const outside = emu.addChannel({ name: 'outside', botIsMember: false });
    expect((await caught(client().conversations.invite({ channel: outside, users: 'U0001' }))).data?.error).toBe('not_in_channel');
  });

  it('pages history newest first and shows metadata only when asked', async () => {
    const channel = emu.addChannel({ name: 'hist' });
    const metadata = { event_type: 'status', event_payload: { n: 1 } };
    const ts: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      ts.push((await client().chat.postMessage({ channel, text: `m${i}`, metadata })).ts as string);
    }
    const first = await client().conversations.history({ channel, limit: 2 });
    expect(first.messages?.map((m) => m.text)).toEqual(['m4', 'm3']);
    expect(first.has_more).toBe(true);
    expect(first.messages?.[0]?.metadata).toBeUndefined();
    const second = await client().conversations.history({ channel, limit: 2, cursor: first.response_metadata?.next_cursor });
    expect(second.messages?.map((m) => m.text)).toEqual(['m2', 'm1']);
    const window = await client().conversations.history({ channel, oldest: ts[1], latest: ts[4], include_all_metadata: true });
    expect(window.messages?.map((m) => m.text)).toEqual(['m3', 'm2']);
    expect(window.messages?.[0]?.metadata).toEqual(metadata);
  });

  it('pins once', async () => {
    const channel = emu.addChannel({ name: 'pins' });
    const { ts } = await client().chat.postMessage({ channel, text: 'pin me' });
    await client().pins.add({ channel, timestamp: ts as string });
    expect(emu.message(channel, ts as string)?.pinned).toBe(true);
    expect((await caught(client().pins.add({ channel, timestamp: ts as string }))).data?.error).toBe('already_pinned');
    expect((await caught(client().pins.add({ channel, timestamp: '1.000001' }))).data?.error).toBe('message_not_found');
  });

  it('answers users.info, auth.test and token errors like Slack', async () => {
    emu.addUser({ id: 'U0007', name: 'grace', tz: 'Europe/Berlin', tzOffset: 3600 });
    const grace = await client().users.info({ user: 'U0007' });
    expect(grace.user).toMatchObject({ id: 'U0007', name: 'grace', tz: 'Europe/Berlin', tz_offset: 3600, is_bot: false });
    expect((await client().users.info({ user: 'U0008' })).user).toMatchObject({ tz: 'UTC', tz_offset: 0 });
    const auth = await client().auth.test();
    expect(auth).toMatchObject({ ok: true, user_id: emu.botUserId, team_id: emu.teamId, bot_id: emu.botId });
    expect((await caught(client('nope').auth.test())).data?.error).toBe('invalid_auth');
    emu.revokeToken('xoxb-old');
    expect((await caught(client('xoxb-old').auth.test())).data?.error).toBe('token_revoked');
    expect((await caught(client().apiCall('reminders.add', { text: 'x', time: 'in 1 minute' }))).data?.error).toBe('unknown_method');
    expect((await caught(client().apps.connections.open({}))).data?.error).toBe('not_allowed_token_type');
    expect((await caught(client('xapp-1').apps.connections.open({}))).data?.error).toBe('internal_error');
    emu.setSocketUrl('ws://127.0.0.1:1/');
    expect((await client('xapp-1').apps.connections.open({})).url).toBe('ws://127.0.0.1:1/');
    emu.setSocketUrl(undefined);
  });

  it('accepts JSON bodies and a token form field too', async () => {
    const channel = emu.addChannel({ name: 'json' });
    const res = await fetch(`${emu.url}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: 'Bearer xoxb-json' },
      body: JSON.stringify({ channel, text: 'via json', blocks: [section('json')] }),
    });
    expect(await res.json()).toMatchObject({ ok: true, channel });
    const form = await fetch(`${emu.url}auth.test`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'token=xoxb-form',
    });
    expect(await form.json()).toMatchObject({ ok: true });
    expect(emu.calls.map((c) => c.token)).toEqual(['xoxb-json', 'xoxb-form']);
    expect(emu.messages(channel)[0]?.blocks).toEqual([section('json')]);
  });
});

describe('Block Kit limits', () => {
  it('rejects 51 blocks in a message but takes 50', async () => {
    const channel = emu.addChannel({ name: 'limits' });
    const blocks = (n: number) => Array.from({ length: n }, (_, i) => section(`b${i}`));
    const err = await caught(client().chat.postMessage({ channel, text: 't', blocks: blocks(51) }));
    expect(err.data?.error).toBe('invalid_blocks');
    expect(err.data?.errors).toEqual(['no more than 50 items allowed [json-pointer:/blocks]']);
    await expect(client().chat.postMessage({ channel, text: 't', blocks: blocks(50) })).resolves.toMatchObject({ ok: true });
    expect(emu.messages(channel)).toHaveLength(1);
  });

  it('rejects a 3001-character section but takes 3000', async () => {
    const channel = emu.addChannel({ name: 'limits2' });
    const err = await caught(client().chat.postMessage({ channel, text: 't', blocks: [section('x'.repeat(3001))] }));
    expect(err.data?.error).toBe('invalid_blocks');
    expect(err.data?.errors).toEqual(['must be less than 3001 characters [json-pointer:/blocks/0/text/text]']);
    await expect(client().chat.postMessage({ channel, text: 't', blocks: [section('x'.repeat(3000))] })).resolves.toBeTruthy();
    const { ts } = await client().chat.postMessage({ channel, text: 't' });
    const upd = await caught(client().chat.update({ channel, ts: ts as string, text: 't', blocks: [section('x'.repeat(3001))] }));
    expect(upd.data?.error).toBe('invalid_blocks');
  });

  it('checks headers, buttons, ids and duplicate block_ids', async () => {
    const channel = emu.addChannel({ name: 'limits3' });
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
      { type: 'actions', block_id: 'a'.repeat(256), elements: [{ type: 'button', action_id: 'b', text: { type: 'plain_text', text: 'b'.repeat(76) } }] },
      section('one', 'dup'),
      section('two', 'dup'),
    ];
    const err = await caught(client().chat.postMessage({ channel, text: 't', blocks }));
    expect(err.data?.errors).toEqual([
      'must be less than 151 characters [json-pointer:/blocks/0/text/text]',
      'must be less than 256 characters [json-pointer:/blocks/1/block_id]',
      'must be less than 76 characters [json-pointer:/blocks/1/elements/0/text/text]',
      'duplicate block_id "dup" [json-pointer:/blocks/3/block_id]',
    ]);
  });
});

describe('views', () => {
  const modal = (title = 'Raise impediment') => ({
    type: 'modal' as const,
    callback_id: 'raise',
    title: { type: 'plain_text' as const, text: title },
    submit: { type: 'plain_text' as const, text: 'Save' },
    blocks: [{ type: 'input', block_id: 'title', label: { type: 'plain_text', text: 'Title' }, element: { type: 'plain_text_input', action_id: 'v' } }],
  });

  it('opens once per trigger, then answers expired_trigger_id', async () => {
    const opened = await client().views.open({ trigger_id: 'trig-1', view: modal() });
    const id = opened.view?.id as string;
    expect(id).toMatch(/^V/);
    expect(opened.view).toMatchObject({ callback_id: 'raise', state: { values: {} } });
    expect(emu.views.get(id)).toMatchObject({ callback_id: 'raise' });
    expect((await caught(client().views.open({ trigger_id: 'trig-1', view: modal() }))).data?.error).toBe('expired_trigger_id');
    const long = await caught(client().views.open({ trigger_id: 'trig-2', view: modal('t'.repeat(25)) }));
    expect(long.data?.error).toBe('invalid_arguments');
    expect(long.data?.response_metadata?.messages).toEqual(['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]']);
  });

  it('updates by view_id or external_id, honours hash, and publishes home views', async () => {
    const opened = await client().views.open({ trigger_id: 'trig-3', view: { ...modal(), external_id: 'ext-1' } });
    const id = opened.view?.id as string;
    const byId = await client().views.update({ view_id: id, hash: opened.view?.hash, view: modal('Step 2') });
    expect(byId.view).toMatchObject({ id, title: { text: 'Step 2' }, external_id: 'ext-1' });
    expect((await caught(client().views.update({ view_id: id, hash: opened.view?.hash, view: modal() }))).data?.error).toBe('hash_conflict');
    await client().views.update({ external_id: 'ext-1', view: modal('Step 3') });
    expect(emu.views.get(id)).toMatchObject({ title: { text: 'Step 3' } });
    await client().views.publish({ user_id: 'U0001', view: { type: 'home', blocks: [section('Home')] } });
    expect(emu.homeViews.get('U0001')?.blocks).toEqual([section('Home')]);
    const tooMany = Array.from({ length: 101 }, (_, i) => section(`b${i}`));
    expect((await caught(client().views.publish({ user_id: 'U0001', view: { type: 'home', blocks: tooMany } }))).data?.error).toBe('invalid_arguments');
  });
});

describe('fault injection', () => {
  it('answers a Slack error once, then normally', async () => {
    const channel = emu.addChannel({ name: 'f1' });
    emu.fault({ method: 'chat.postMessage', error: 'channel_not_found' });
    expect((await caught(client().chat.postMessage({ channel, text: 'x' }))).data?.error).toBe('channel_not_found');
    await expect(client().chat.postMessage({ channel, text: 'x' })).resolves.toMatchObject({ ok: true });
    expect(emu.callsTo('chat.postMessage').map((c) => c.fault)).toEqual(['error', undefined]);
  });

  it('surfaces 429 as slack_webapi_rate_limited_error with retryAfter, without effect', async () => {
    const channel = emu.addChannel({ name: 'f2' });
    emu.fault({ method: '*', rateLimited: 7 });
    const err = await caught(client().chat.postMessage({ channel, text: 'x' }));
    expect(err.code).toBe('slack_webapi_rate_limited_error');
    expect(err.retryAfter).toBe(7);
    expect(emu.messages(channel)).toHaveLength(0);
    expect(emu.calls[0]).toMatchObject({ status: 429, fault: 'rateLimited', response: { ok: false, error: 'ratelimited' } });
  });

  it('surfaces a 500 as an HTTP error', async () => {
    emu.fault({ method: 'auth.test', status: 500 });
    const err = await caught(client().auth.test());
    expect(err.code).toBe('slack_webapi_http_error');
    expect(err.statusCode).toBe(500);
    expect(emu.calls[0]?.status).toBe(500);
  });

  it("drop 'after' stores the message but the client never hears back; 'before' has no effect", async () => {
    const channel = emu.addChannel({ name: 'f3' });
    emu.fault({ method: 'chat.postMessage', drop: 'after', match: (a) => a.text === 'lost' });
    const err = await caught(client().chat.postMessage({ channel, text: 'lost' }));
    expect(err.code).toBe('slack_webapi_request_error');
    expect(emu.messages(channel).map((m) => m.text)).toEqual(['lost']);
    emu.fault({ method: 'chat.postMessage', drop: 'before' });
    expect((await caught(client().chat.postMessage({ channel, text: 'never' }))).code).toBe('slack_webapi_request_error');
    expect(emu.messages(channel).map((m) => m.text)).toEqual(['lost']);
    expect(emu.calls.map((c) => [c.fault, c.status])).toEqual([['drop-after', 0], ['drop-before', 0]]);
  });

  it('delays the answer, and the call still takes effect', async () => {
    const channel = emu.addChannel({ name: 'f4' });
    emu.fault({ method: 'chat.postMessage', delayMs: 120, times: Infinity });
    const started = Date.now();
    await client().chat.postMessage({ channel, text: 'slow' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(emu.messages(channel)).toHaveLength(1);
  });

  it('faults a seeded share of calls repeatably', async () => {
    const run = async (seed: number): Promise<string[]> => {
      emu.reset();
      const channel = emu.addChannel({ name: 'share' });
      emu.faultShare({ method: 'chat.postMessage', share: 0.3, kinds: ['rateLimited', '500', 'drop-before', 'drop-after', 'delay'], seed, delayMs: 5 });
      const outcomes: string[] = [];
      for (let i = 0; i < 40; i += 1) {
        outcomes.push(await client().chat.postMessage({ channel, text: `m${i}` }).then(() => 'ok', (e: CaughtError) => e.code ?? '?'));
      }
      expect(emu.calls).toHaveLength(40);
      return emu.calls.map((c, i) => `${c.fault ?? 'none'}:${outcomes[i]}`);
    };
    const a = await run(42);
    const b = await run(42);
    const c = await run(7);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const faulted = a.filter((x) => !x.startsWith('none')).length;
    expect(faulted).toBeGreaterThan(3);
    expect(faulted).toBeLessThan(25);
  });
});

describe('signing and payloads against a real Bolt app (HTTP)', () => {
  const secret = 'test-signing-secret';
  let app: App;
  let base: string;

  beforeAll(async () => {
    app = new App({ token: 'xoxb-test', signingSecret: secret, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: emu.url } });
    app.command('/coach', async ({ ack, command }) => ack(`text was ${command.text}`));
    app.action('go', async ({ ack }) => ack());
    app.view('raise', async ({ ack, view }) => ack({ response_action: 'errors', errors: { title: `got ${view.state.values.title?.v?.value}` } }));
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterAll(() => app.stop());

  it('signs v0 like Slack', () => {
    const headers = signRequest('s', 'body', 1700000000);
    expect(headers['x-slack-request-timestamp']).toBe('1700000000');
    expect(headers['x-slack-signature']).toBe(computeSignature('s', 'body', 1700000000));
    expect(headers['x-slack-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
  });

  it('delivers commands, actions, submissions and events that Bolt accepts; rejects bad signatures', async () => {
    const cmd = await postCommand(base, secret, slashCommand({ command: '/coach', text: 'hello world' }));
    expect(cmd.status).toBe(200);
    expect(cmd.body).toBe('text was hello world');
    expect((await postCommand(base, secret, slashCommand(), { signature: 'v0=bad' })).status).toBe(401);
    const action = await postInteraction(base, secret, blockActions({ actions: [{ action_id: 'go', block_id: 'b', value: '1' }], channel: { id: 'C0001' }, message: { ts: '1.000100' } }));
    expect(action.status).toBe(200);
    const sub = await postInteraction(base, secret, viewSubmission({ view: { callback_id: 'raise', state_values: { title: { v: plainText('Blocked') } } } }));
    expect(sub.json()).toEqual({ response_action: 'errors', errors: { title: 'got Blocked' } });
    const challenge = await postEvent(base, secret, urlVerification('abc123'));
    expect(challenge.json()).toMatchObject({ challenge: 'abc123' });
  });
});

describe('fake Socket Mode server with a real Bolt app', () => {
  it('says hello, carries envelopes, returns acks, and survives a disconnect request', async () => {
    const sock = await startSocketServer();
    emu.setSocketUrl(sock.url);
    const clientOptions = { slackApiUrl: emu.url, retryConfig: { retries: 0 } };
    const receiver = new SocketModeReceiver({ appToken: 'xapp-1-test', clientPingTimeout: 100, logLevel: LogLevel.ERROR, installerOptions: { clientOptions } });
    const app = new App({ token: 'xoxb-test', receiver, logLevel: LogLevel.ERROR, clientOptions });
    const mentions: string[] = [];
    app.command('/coach', async ({ ack, command }) => ack(`socket ${command.text}`));
    app.event('app_mention', async ({ event }) => {
      mentions.push(event.text);
    });
    try {
      await app.start();
      await sock.connected;
      expect(emu.callsTo('apps.connections.open')[0]?.token).toBe('xapp-1-test');
      const ack = await sock.sendSlashCommand(slashCommand({ command: '/coach', text: 'hi' }));
      expect(ack.payload).toEqual({ text: 'socket hi' });
      const evAck = await sock.sendEvent(eventCallback({ type: 'app_mention', user: 'U0001', text: '<@UBOT0001> yo', ts: '1.000100', channel: 'C0001', event_ts: '1.000100' }));
      expect(evAck.envelope_id).toEqual(expect.any(String));
      expect(mentions).toEqual(['<@UBOT0001> yo']);
      sock.sendDisconnect();
      await sock.waitForConnections(2);
      expect(emu.callsTo('apps.connections.open')).toHaveLength(2);
      expect((await sock.sendSlashCommand(slashCommand({ command: '/coach', text: 'again' }))).payload).toEqual({ text: 'socket again' });
    } finally {
      await app.stop();
      await receiver.client.disconnect();
      await sock.close();
      emu.setSocketUrl(undefined);
    }
  });
});
