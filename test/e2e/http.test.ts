/**
 * The HTTP surface as Slack (and a load balancer) sees it: request signing, /healthz, and a
 * view_submission delivered twice.
 */
import { startHarness, waitFor, SIGNING_SECRET, type Harness } from '../support/harness';
import { kickoffForm, kickoffSubmission } from '../support/kickoffForm';
import { blockActions, slashCommand } from '../../src/sandbox/payloads';
import { computeSignature, formEncode, postCommand, postInteraction } from '../../src/sandbox/signing';
import { BLOCK } from '../../src/slack/ids';

const count = (h: Harness, table: string): number => (h.app.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
const rowCounts = (h: Harness) => ({ engagements: count(h, 'engagements'), events: count(h, 'events'), outbox: count(h, 'outbox') });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('HTTP requests from Slack', () => {
  let h: Harness;
  let general: string;

  beforeEach(async () => {
    h = await startHarness();
    general = h.emu.addChannel({ name: 'general' });
  });
  afterEach(async () => h.close());

  const url = () => `${h.base}/slack/events`;
  /** Calls the app made to the emulator apart from start-up's auth.test. */
  const appCalls = () => h.emu.calls.filter((c) => c.method !== 'auth.test');

  describe('signature verification', () => {
    async function expectRejected(send: () => Promise<{ status: number; body: string }>) {
      const before = { calls: appCalls().length, rows: rowCounts(h) };
      const res = await send();
      expect(res.status).toBe(401);
      expect(res.body).toBe('');
      // Give a listener that (wrongly) ran time to call Slack.
      await sleep(150);
      expect(h.emu.callsTo('views.open')).toHaveLength(0);
      expect(appCalls()).toHaveLength(before.calls);
      expect(rowCounts(h)).toEqual(before.rows);
    }

    it('accepts a correctly signed /kickoff (control: the same request is not refused for another reason)', async () => {
      const res = await postCommand(url(), SIGNING_SECRET, slashCommand({ command: '/kickoff', text: '', channel_id: general }));
      expect(res.status).toBe(200);
      await waitFor(() => h.emu.callsTo('views.open').length === 1, 'views.open');
    });

    it('refuses a slash command signed with the wrong secret', async () => {
      await expectRejected(() => postCommand(url(), 'not-the-signing-secret', slashCommand({ command: '/kickoff', channel_id: general })));
    });

    it('refuses a tampered body (signature of a different body)', async () => {
      const fields = slashCommand({ command: '/kickoff', channel_id: general });
      const ts = Math.floor(Date.now() / 1000);
      const signatureOfOther = computeSignature(SIGNING_SECRET, formEncode({ ...fields, text: 'help' }), ts);
      await expectRejected(() => postCommand(url(), SIGNING_SECRET, fields, { ts, signature: signatureOfOther }));
    });

    it('refuses a malformed signature', async () => {
      await expectRejected(() => postCommand(url(), SIGNING_SECRET, slashCommand({ command: '/kickoff', channel_id: general }), { signature: 'v0=nothex' }));
      await expectRejected(() => postCommand(url(), SIGNING_SECRET, slashCommand({ command: '/kickoff', channel_id: general }), { signature: '' }));
    });

    it('refuses a request without the signature headers', async () => {
      const body = formEncode(slashCommand({ command: '/kickoff', channel_id: general }));
      const ts = String(Math.floor(Date.now() / 1000));
      const post = (headers: Record<string, string>) => async () => {
        const res = await fetch(url(), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
        return { status: res.status, body: await res.text() };
      };
      await expectRejected(post({}));
      await expectRejected(post({ 'x-slack-request-timestamp': ts }));
      await expectRejected(post({ 'x-slack-signature': computeSignature(SIGNING_SECRET, body, ts) }));
    });

    it('refuses a stale timestamp (more than five minutes old), even when correctly signed', async () => {
      const stale = Math.floor(Date.now() / 1000) - 5 * 60 - 30;
      await expectRejected(() => postCommand(url(), SIGNING_SECRET, slashCommand({ command: '/kickoff', channel_id: general }), { ts: stale }));
      await expectRejected(() => postCommand(url(), SIGNING_SECRET, slashCommand({ command: '/kickoff', channel_id: general }), { ts: 0 }));
    });

    it.each([
      ['301 s ahead', 301],
      ['an hour ahead', 3600],
      ['a year ahead', 365 * 24 * 3600],
    ])('refuses a correctly signed request with a timestamp %s (|now − timestamp| must be ≤ 300 s)', async (_what, ahead) => {
      await expectRejected(() => postCommand(url(), SIGNING_SECRET, slashCommand({ command: '/kickoff', channel_id: general }), { ts: Math.floor(Date.now() / 1000) + ahead }));
    });

    it('still accepts a correctly signed request four minutes ahead (the window is five minutes each way)', async () => {
      const res = await postCommand(url(), SIGNING_SECRET, slashCommand({ command: '/kickoff', text: 'help', channel_id: general }), { ts: Math.floor(Date.now() / 1000) + 4 * 60 });
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({ response_type: 'ephemeral' });
    });

    it('refuses a timestamp that is not a number', async () => {
      const body = formEncode(slashCommand({ command: '/kickoff', channel_id: general }));
      await expectRejected(async () => {
        const res = await fetch(url(), {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': 'yesterday', 'x-slack-signature': computeSignature(SIGNING_SECRET, body, 'yesterday') },
          body,
        });
        return { status: res.status, body: await res.text() };
      });
    });

    it('still accepts a correctly signed request four minutes old (the limit is five)', async () => {
      const res = await postCommand(url(), SIGNING_SECRET, slashCommand({ command: '/kickoff', text: 'help', channel_id: general }), { ts: Math.floor(Date.now() / 1000) - 4 * 60 });
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({ response_type: 'ephemeral' });
    });

    it('refuses a signed interaction with the wrong secret, storing nothing', async () => {
      const payload = kickoffSubmission(kickoffForm({ channels: [general] }), { user: 'USPONSOR', privateMetadata: JSON.stringify({ mode: 'create', channelId: general }) });
      await expectRejected(() => postInteraction(url(), 'wrong-secret', payload));
      expect(h.emu.callsTo('chat.postMessage')).toHaveLength(0);
    });
  });

  describe("acknowledgement within Slack's 3 seconds", () => {
    it('a command answered after its work (here 1.5 s of it, inside the 3 s) gets its answer, not a 404', async () => {
      // Under load (several instances waiting on one database) storing before the answer can take over a
      // second; an unhandled-request cut at 1 s answered 404 while the work went on and was stored.
      h.app.built.app.command('/slow-work', async ({ ack }) => {
        await sleep(1500);
        await ack({ response_type: 'ephemeral', text: 'stored' });
      });
      const res = await postCommand(url(), SIGNING_SECRET, slashCommand({ command: '/slow-work', text: '', channel_id: general }));
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: JSON.stringify({ response_type: 'ephemeral', text: 'stored' }) });
      expect(h.logs.join('\n')).not.toMatch(/not acknowledged within 3 seconds/);
    });

    it('a request no listener handles (an unknown button) gets an empty 200 as soon as Bolt is done with it, not a 404', async () => {
      const payload = blockActions({ actions: [{ action_id: 'no_such_button', block_id: 'no_such_block', value: 'x' }], user: { id: 'USPONSOR' }, channel: { id: general }, message: { ts: '1.000100' } });
      const res = await postInteraction(url(), SIGNING_SECRET, payload);
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: '' });
      expect(h.logs.join('\n')).not.toMatch(/not acknowledged within 3 seconds/);
    });
  });

  describe('GET /healthz', () => {
    it('answers 200 with JSON status ok while the database answers', async () => {
      const res = await fetch(`${h.base}/healthz`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ status: 'ok', mode: 'http' });
    });

    it('is GET only and is not confused with Slack’s endpoint', async () => {
      const post = await fetch(`${h.base}/healthz`, { method: 'POST', body: '' });
      expect(post.status).toBe(404);
      const get = await fetch(`${h.base}/slack/events`);
      expect(get.status).toBe(404);
    });
  });
});

describe('GET /healthz when the database stops answering', () => {
  it('answers 503 with a JSON body saying it is unavailable', async () => {
    const h = await startHarness();
    try {
      const ok = await fetch(`${h.base}/healthz`);
      expect(ok.status).toBe(200);
      // Only the health check is under test here: stop the outbox poller first (see the next test).
      await h.app.sender.stop();
      h.app.db.close();
      const res = await fetch(`${h.base}/healthz`);
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      const body = (await res.json()) as { status: string };
      expect(body.status).not.toBe('ok');
      expect(body).toMatchObject({ status: 'unavailable' });
    } finally {
      await h.close().catch(() => undefined);
    }
  });

  it('answers 503 while the database reads but cannot be written, and 200 again once it can', async () => {
    const h = await startHarness();
    try {
      expect((await fetch(`${h.base}/healthz`)).status).toBe(200);
      // The connection refuses every write, as it does on a read-only file; reads still work.
      h.app.db.pragma('query_only = ON');
      expect(h.app.db.prepare('SELECT COUNT(*) AS n FROM engagements').get()).toEqual({ n: 0 });
      const res = await fetch(`${h.base}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'unavailable' });
      h.app.db.pragma('query_only = OFF');
      expect((await fetch(`${h.base}/healthz`)).status).toBe(200);
      // The write probe leaves nothing behind.
      expect(h.app.db.prepare("SELECT name FROM sqlite_master WHERE name LIKE '%probe%'").all()).toEqual([]);
    } finally {
      await h.close().catch(() => undefined);
    }
  });

  it('keeps the process up (and /healthz answering 503) while the outbox sender meets a dead database', async () => {
    // The sender polls the outbox every 50 ms from a timer. If a database error escapes that
    // timer, Node crashes the process (Jest reports it as this test's failure) instead of the
    // load balancer seeing 503 from /healthz.
    const h = await startHarness();
    try {
      h.app.db.close();
      await sleep(300);
      const res = await fetch(`${h.base}/healthz`);
      expect(res.status).toBe(503);
    } finally {
      await h.close().catch(() => undefined);
    }
  });
});

describe('the same view_submission delivered twice', () => {
  let h: Harness;
  let general: string;
  beforeEach(async () => {
    h = await startHarness();
    general = h.emu.addChannel({ name: 'general' });
  });
  afterEach(async () => h.close());

  async function openMeta(): Promise<string> {
    await h.command({ command: '/kickoff', text: '', user_id: 'USPONSOR', channel_id: general });
    await waitFor(() => h.emu.callsTo('views.open').length === 1, 'views.open');
    return String((h.emu.callsTo('views.open')[0]!.args.view as { private_metadata: string }).private_metadata);
  }

  it('with a typed key: the second one is acknowledged (the modal closes) and nothing is stored or posted twice', async () => {
    const payload = kickoffSubmission(kickoffForm({ key: 'payments', channels: [general] }), { user: 'USPONSOR', privateMetadata: await openMeta() });
    const first = await h.interact(payload);
    expect(first.status).toBe(200);
    expect(first.body).toBe('');
    await h.settle();
    const after = rowCounts(h);
    const posts = h.emu.callsTo('chat.postMessage').length;

    const second = await h.interact(payload);
    expect(second.status).toBe(200);
    expect(second.body).toBe('');
    await h.settle();
    expect(rowCounts(h)).toEqual(after);
    expect(count(h, 'engagements')).toBe(1);
    expect(h.emu.callsTo('chat.postMessage')).toHaveLength(posts);
  });

  it('with a derived key: one engagement, not a second one under payments-platform-2', async () => {
    const payload = kickoffSubmission(kickoffForm({ channels: [general] }), { user: 'USPONSOR', privateMetadata: await openMeta() });
    const first = await h.interact(payload);
    const second = await h.interact(payload);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    await h.settle();
    const keys = (h.app.db.prepare('SELECT key FROM engagements ORDER BY id').all() as { key: string }[]).map((r) => r.key);
    expect(keys).toEqual(['payments-platform']);
    expect(h.emu.messages(general).filter((m) => !m.thread_ts)).toHaveLength(1);
  });
});
