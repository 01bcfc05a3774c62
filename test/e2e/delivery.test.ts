import { startHarness, waitFor, type Harness } from '../support/harness';
import { kickoffForm, kickoffSubmission } from '../support/kickoffForm';

/** Slack is slow, rate-limits and fails: every announcement, DM and confirmation still arrives exactly once. */
describe('delivery under faults', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  async function kickOff(channels: string[], form: Parameters<typeof kickoffForm>[0] = {}) {
    const before = h.emu.callsTo('views.open').length;
    await h.command({ command: '/kickoff', user_id: 'USPONSOR', channel_id: channels[0] });
    await waitFor(() => h.emu.callsTo('views.open').length > before, 'views.open');
    const meta = String((h.emu.callsTo('views.open')[before].args.view as { private_metadata: string }).private_metadata);
    const res = await h.interact(kickoffSubmission(kickoffForm({ channels, ...form }), { user: 'USPONSOR', privateMetadata: meta }));
    expect(res.body).toBe('');
  }

  const topLevel = (channel: string) => h.emu.messages(channel).filter((m) => !m.thread_ts);

  it('delivers everything exactly once with 429s, 5xx, dropped connections and timeouts on a share of calls', async () => {
    // The outbox's client gives up on a call after 300 ms; 'delay' faults answer after 600 ms (a timeout that took effect).
    h = await startHarness({ deliveryTimeoutMs: 300, sender: { backoffBaseMs: 10, backoffMaxMs: 100, pollMs: 20, maxAttempts: 50 } });
    const channels = Array.from({ length: 8 }, (_, i) => h.emu.addChannel({ name: `team-${i}`, botIsMember: i % 2 === 0 }));
    const kinds = ['rateLimited', '500', '502', '503', 'drop-before', 'drop-after', 'delay'] as const;
    for (const method of ['chat.postMessage', 'chat.update', 'chat.getPermalink', 'conversations.join', 'conversations.history', 'conversations.open']) {
      h.emu.faultShare({ method, share: 0.35, kinds: [...kinds], seed: 7, retryAfter: 1, delayMs: 600 });
    }
    await kickOff(channels, { coaches: ['UCOACH1', 'UCOACH2'] });
    await h.settle(60_000);

    for (const c of channels) expect(topLevel(c)).toHaveLength(1);
    expect(h.emu.messages('UCOACH1')).toHaveLength(1);
    expect(h.emu.messages('UCOACH2')).toHaveLength(1);
    expect(h.emu.messages('UPROGRAM')).toHaveLength(1);
    expect(h.emu.messages('USPONSOR')).toHaveLength(1); // the confirmation, updated in place
    expect(await h.app.stores.outbox.counts()).toMatchObject({ pending: 0, sending: 0, parked: 0 });

    const e = (await h.app.stores.engagements.getByKey('T0001', 'payments-platform'))!;
    for (const a of e.announcements) {
      expect(a.status).toBe('posted');
      expect(h.emu.message(a.messageChannel!, a.ts!)).toBeTruthy();
    }
    // The faults really happened, including the ones where Slack acted but we never heard back.
    const faults = new Set(h.emu.calls.filter((c) => c.fault).map((c) => c.fault));
    expect(faults).toEqual(expect.objectContaining({}));
    expect([...faults]).toEqual(expect.arrayContaining(['rateLimited', 'status', 'drop-after']));
  }, 90_000);

  it('a refused token (a blip of token_revoked, then invalid_auth) parks nothing: deliveries wait, check auth.test, and resume once it works', async () => {
    h = await startHarness();
    const channels = [h.emu.addChannel({ name: 'team-a' }), h.emu.addChannel({ name: 'team-b' })];
    h.emu.fault({ method: 'chat.postMessage', error: 'token_revoked', times: 3 });
    h.emu.fault({ method: 'auth.test', error: 'token_revoked', times: 2 });
    h.emu.fault({ method: 'chat.postMessage', error: 'invalid_auth', times: 1 });
    const probesBefore = h.emu.callsTo('auth.test').length;
    await kickOff(channels, { coaches: ['UCOACH1'] });
    await h.settle(30_000);

    for (const c of channels) expect(topLevel(c)).toHaveLength(1);
    expect(h.emu.messages('UCOACH1')).toHaveLength(1);
    expect(await h.app.stores.outbox.counts()).toMatchObject({ pending: 0, sending: 0, parked: 0 });
    // It checked the token before trying again (two refused checks, then one that worked), and said so.
    expect(h.emu.callsTo('auth.test').length - probesBefore).toBeGreaterThanOrEqual(3);
    expect(h.logs.some((l) => l.includes('Slack refused the bot token'))).toBe(true);
    expect(h.logs.some((l) => l.includes('Slack accepts the token again'))).toBe(true);
    // Nobody was sent a "could not deliver" notice for a token blip.
    expect(h.emu.messages('USPONSOR').filter((m) => m.text.includes('could not'))).toHaveLength(0);
  });

  it('waits out Retry-After before calling Slack again', async () => {
    h = await startHarness();
    const c = h.emu.addChannel({ name: 'general' });
    h.emu.fault({ method: 'chat.postMessage', rateLimited: 2, times: 1 });
    await kickOff([c]);
    await h.settle(20_000);
    const posts = h.emu.callsTo('chat.postMessage');
    const limited = posts.find((p) => p.fault === 'rateLimited')!;
    // The same message is tried again only after Retry-After…
    const retry = posts.find((p) => p.at > limited.at && p.args.channel === limited.args.channel)!;
    expect(retry.at - limited.at).toBeGreaterThanOrEqual(1900);
    // …and nothing new is sent to Slack in the meantime (calls already in flight may still land at once).
    const during = h.emu.calls.filter((p) => p.at > limited.at + 100 && p.at < limited.at + 1900);
    expect(during).toEqual([]);
    expect(topLevel(c)).toHaveLength(1);
  }, 30_000);

  it('parks errors that cannot succeed, never retries them, and tells the sponsor', async () => {
    h = await startHarness();
    const c = h.emu.addChannel({ name: 'general' });
    h.emu.fault({ method: 'chat.postMessage', error: 'user_not_found', match: (a) => a.channel === 'UCOACH1', times: Infinity });
    await kickOff([c]);
    await h.settle();
    const toCoach = h.emu.callsTo('chat.postMessage').filter((p) => p.args.channel === 'UCOACH1');
    expect(toCoach).toHaveLength(1); // not retried
    expect((await h.app.stores.outbox.counts()).parked).toBe(1);
    const sponsorDms = h.emu.messages('USPONSOR').map((m) => JSON.stringify([m.text, m.blocks]));
    expect(sponsorDms.some((t) => t.includes('UCOACH1') && /cannot receive/.test(t))).toBe(true);
    expect(topLevel(c)).toHaveLength(1);
  });

  it('keeps the order of messages to one channel: the update and its reply follow the announcement', async () => {
    h = await startHarness();
    const c = h.emu.addChannel({ name: 'general' });
    // The announcement is slow; an edit saved meanwhile must not overtake it.
    h.emu.fault({ method: 'chat.postMessage', delayMs: 300, match: (a) => a.channel === c, times: 1 });
    await kickOff([c]);
    const before = h.emu.callsTo('views.open').length;
    await h.command({ command: '/kickoff', text: 'edit payments-platform', user_id: 'USPONSOR', channel_id: c });
    await waitFor(() => h.emu.callsTo('views.open').length > before, 'edit modal');
    const meta = String((h.emu.callsTo('views.open')[before].args.view as { private_metadata: string }).private_metadata);
    await h.interact(kickoffSubmission(kickoffForm({ channels: [c], reviewDate: '2027-04-01' }), { user: 'USPONSOR', privateMetadata: meta }));
    await h.settle();
    const inChannel = h.emu.calls.filter((x) => x.args.channel === c && x.method.startsWith('chat.') && x.method !== 'chat.getPermalink');
    expect(inChannel.map((x) => x.method)).toEqual(['chat.postMessage', 'chat.update', 'chat.postMessage']);
    expect(inChannel[2].args.thread_ts).toBe(topLevel(c)[0].ts);
  });

  it('an announcement whose answer was lost is found past the first page of history: posted once', async () => {
    h = await startHarness({ sender: { backoffBaseMs: 10, backoffMaxMs: 50, pollMs: 20 } });
    const c = h.emu.addChannel({ name: 'busy' });
    // The post reaches Slack but the answer is lost; before the retry looks, 450 newer messages arrive.
    h.emu.fault({ method: 'chat.postMessage', drop: 'after', match: (a) => a.channel === c, times: 1 });
    let chatter = false;
    h.emu.fault({
      method: 'conversations.history',
      delayMs: 0, // never applies: its match only adds the chatter before the first lookup is answered
      match: (a) => {
        if (!chatter && a.channel === c) {
          chatter = true;
          for (let i = 0; i < 450; i++) h.emu.addMessage(c, { user: 'U0CHATTY', text: `chatter ${i}` });
        }
        return false;
      },
    });
    await kickOff([c]);
    await h.settle();
    expect(chatter).toBe(true);
    expect(topLevel(c).filter((m) => m.user === h.emu.botUserId)).toHaveLength(1);
    // Three pages of 200 were read to find it.
    expect(h.emu.callsTo('conversations.history').filter((x) => x.args.channel === c).length).toBeGreaterThanOrEqual(3);
  });

  it('resumes pending deliveries after a restart without sending anything twice', async () => {
    h = await startHarness();
    const channels = [h.emu.addChannel({ name: 'a' }), h.emu.addChannel({ name: 'b' }), h.emu.addChannel({ name: 'c' })];
    // Slack is down while the kickoff is saved: everything stays pending in the outbox.
    const down = ['chat.postMessage', 'conversations.join', 'chat.getPermalink'].map((method) => h.emu.fault({ method, status: 503, times: Infinity }));
    await kickOff(channels);
    await waitFor(() => h.emu.calls.some((x) => x.fault === 'status'), 'a failed call');
    down.forEach((d) => d.cancel());
    await h.restart();
    await h.settle();
    for (const c of channels) expect(topLevel(c)).toHaveLength(1);
    expect(h.emu.messages('USPONSOR')).toHaveLength(1);
    expect(h.emu.messages('UCOACH1')).toHaveLength(1);
  });
});
