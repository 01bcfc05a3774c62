import { startHarness, waitFor, type Harness } from '../support/harness';
import { kickoffForm, kickoffSubmission, type KickoffForm } from '../support/kickoffForm';
import { BLOCK, CALLBACK } from '../../src/slack/ids';
import { slashCommand } from '../../src/sandbox/payloads';
import { actsOnce } from '../support/impedimentFlow';

/** Everything the bot posted or updated, as plain JSON text (for "does it mention" checks). */
const textOf = (m: { text?: unknown; blocks?: unknown }) => JSON.stringify([m.text, m.blocks]);

describe('kickoff end to end over HTTP', () => {
  let h: Harness;
  let general: string;
  let payments: string;

  beforeEach(async () => {
    h = await startHarness({ env: { ADMIN_USER_IDS: 'UADMIN' } });
    general = h.emu.addChannel({ name: 'general' });
    payments = h.emu.addChannel({ name: 'payments', botIsMember: false });
  });
  afterEach(async () => h.close());

  /** Types /kickoff as `user`, and returns the private_metadata of the modal Slack was asked to open. */
  async function openModal(user: string, text = ''): Promise<{ status: number; meta: string; view: Record<string, unknown> }> {
    const before = h.emu.callsTo('views.open').length;
    const res = await h.command({ command: '/kickoff', text, user_id: user, channel_id: general });
    await waitFor(() => h.emu.callsTo('views.open').length > before, 'views.open');
    const opened = h.emu.callsTo('views.open').slice(before);
    expect(opened).toHaveLength(1);
    const view = opened[0].args.view as Record<string, unknown>;
    return { status: res.status, meta: String(view.private_metadata), view };
  }

  async function kickOff(form: Partial<KickoffForm> = {}, user = 'USPONSOR') {
    const { meta } = await openModal(user);
    const res = await h.interact(kickoffSubmission(kickoffForm({ channels: [general, payments], ...form }), { user, privateMetadata: meta }));
    return res;
  }

  it('opens the modal, stores the engagement, announces in every channel, DMs people and confirms with permalinks', async () => {
    const { status, view } = await openModal('USPONSOR');
    expect(status).toBe(200);
    expect(view.callback_id).toBe(CALLBACK.kickoff);

    const res = await kickOff({ createChannel: true, channelName: 'coaching-payments' });
    expect(res.status).toBe(200);
    expect(res.body).toBe(''); // modal closes
    await h.settle();

    const e = (await h.app.stores.engagements.getByKey('T0001', 'payments-platform'))!;
    expect(e).toBeTruthy();
    expect(e.painPoints).toEqual(['Releases take three weeks', 'Nobody owns the backlog']);
    expect(e.outcomes[0]).toEqual({ text: 'Lead time', metric: { baseline: 21, target: 5, current: null, unit: 'days' } });
    expect(e.escalation.map((l) => [l.name, l.contactIds])).toEqual([
      ['Team', ['UCOACH1']],
      ['Program', ['UPROGRAM']],
      ['Executive', ['USPONSOR']],
    ]);

    // One announcement in each chosen channel; the bot joined the public one it was not in.
    for (const channel of [general, payments]) {
      const posted = h.emu.messages(channel).filter((m) => !m.thread_ts);
      expect(posted).toHaveLength(1);
      expect(textOf(posted[0])).toContain('Payments platform');
      expect(textOf(posted[0])).toContain('Releases take three weeks');
      expect(textOf(posted[0])).toContain('/status payments-platform');
    }
    expect(h.emu.callsTo('conversations.join').map((c) => c.args.channel)).toEqual([payments]);

    // Engagement channel created, sponsor and coach invited, announcement pinned there.
    const created = h.emu.callsTo('conversations.create');
    expect(created.map((c) => c.args.name)).toEqual(['coaching-payments']);
    const after = (await h.app.stores.engagements.get(e.id))!;
    const channelId = after.engagementChannelId!;
    expect(String(h.emu.callsTo('conversations.invite')[0].args.users).split(',').sort()).toEqual(['UCOACH1', 'USPONSOR']);
    const pinned = h.emu.messages(channelId).filter((m) => m.pinned);
    expect(pinned).toHaveLength(1);

    // DMs: the coach, the program contact (the sponsor gets the confirmation instead).
    expect(h.emu.messages('UCOACH1').length).toBe(1);
    expect(h.emu.messages('UPROGRAM').length).toBe(1);
    expect(textOf(h.emu.messages('UPROGRAM')[0])).toMatch(/Program/);

    // The sponsor's confirmation was updated in place to list every permalink.
    const confirmation = h.emu.messages('USPONSOR');
    expect(confirmation).toHaveLength(1);
    for (const a of after.announcements) {
      expect(a.status).toBe('posted');
      expect(a.permalink).toMatch(/^https:\/\//);
      expect(textOf(confirmation[0])).toContain(a.permalink!);
    }

    // One kicked_off event, nothing parked, every message within Slack's limits.
    expect((await h.app.stores.events.forEngagement(e.id)).map((x) => x.type)).toEqual(['kicked_off']);
    expect((await h.app.stores.outbox.counts()).parked).toBe(0);
    // The only error Slack answered: the first post to the channel the bot had not joined yet.
    const errors = h.emu.calls.filter((c) => c.status === 200 && (c.response as { ok?: boolean }).ok === false);
    expect(errors.map((c) => [c.method, (c.response as { error: string }).error, c.args.channel])).toEqual([['chat.postMessage', 'not_in_channel', payments]]);
    expect(h.emu.warnings).toEqual([]);
  });

  it('shows problems inline on the right fields and stores nothing', async () => {
    const res = await kickOff({ painPoints: '   \n  ', coaches: [], startDate: '2027-03-01', reviewDate: '2027-02-01', outcomes: 'Lead time: fast -> slow' });
    expect(res.status).toBe(200);
    const body = res.json() as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors).sort()).toEqual(
      [BLOCK.kickoffPainPoints, BLOCK.kickoffCoaches, BLOCK.kickoffReviewDate, BLOCK.kickoffOutcomes].sort(),
    );
    expect(body.errors[BLOCK.kickoffOutcomes]).toMatch(/baseline -> target/);
    expect(await h.count('engagements')).toBe(0);
    expect(await h.count('outbox')).toBe(0);
  });

  it('refuses a duplicate key inline and derives a free key when none was typed', async () => {
    await kickOff();
    const dup = await kickOff({ key: 'payments-platform' });
    expect((dup.json() as { errors: Record<string, string> }).errors[BLOCK.kickoffKey]).toMatch(/already used/);
    const derived = await kickOff();
    expect(derived.body).toBe('');
    expect(await h.app.stores.engagements.getByKey('T0001', 'payments-platform-2')).not.toBeNull();
    expect(await h.count('engagements')).toBe(2);
  });

  it('edits in place: chat.update on every announcement and a "what changed" reply in its thread', async () => {
    await kickOff();
    await h.settle();
    const { meta, view } = await openModal('UCOACH1', 'edit payments-platform');
    expect(JSON.stringify(view)).toContain('Releases take three weeks'); // prefilled
    const res = await h.interact(
      kickoffSubmission(kickoffForm({ channels: [general, payments], reviewDate: '2027-03-07', painPoints: 'Releases take three weeks\nOn-call burns people out' }), {
        user: 'UCOACH1',
        privateMetadata: meta,
      }),
    );
    expect(res.body).toBe('');
    await h.settle();
    for (const channel of [general, payments]) {
      const top = h.emu.messages(channel).filter((m) => !m.thread_ts);
      expect(top).toHaveLength(1); // updated, not reposted
      expect(top[0].edited).toBe(true);
      expect(textOf(top[0])).toContain('On-call burns people out');
      const replies = h.emu.messages(channel).filter((m) => m.thread_ts === top[0].ts);
      expect(replies).toHaveLength(1);
      expect(textOf(replies[0])).toMatch(/2027-03-07|Review/);
    }
    const e = (await h.app.stores.engagements.getByKey('T0001', 'payments-platform'))!;
    expect((await h.app.stores.events.forEngagement(e.id)).map((x) => x.type)).toEqual(['edited', 'kicked_off']);
  });

  it('closes with a note posted to the same channels, and refuses a second close', async () => {
    await kickOff();
    await h.settle();
    const res = await h.command({ command: '/kickoff', text: 'close payments-platform Great work, lead time is down', user_id: 'UADMIN', channel_id: general });
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/completed/);
    await h.settle();
    for (const channel of [general, payments]) {
      const top = h.emu.messages(channel).filter((m) => !m.thread_ts);
      expect(top).toHaveLength(2);
      expect(textOf(top[1])).toContain('Great work, lead time is down');
    }
    expect((await h.app.stores.engagements.getByKey('T0001', 'payments-platform'))!.lifecycle).toBe('completed');
    const again = await h.command({ command: '/kickoff', text: 'close payments-platform', user_id: 'UADMIN', channel_id: general });
    expect(again.body).toMatch(/already completed/);
  });

  it('replayed and retried with the same bytes: an edit records one edit, a close closes once, each repeat answered quietly', async () => {
    await kickOff();
    await h.settle();
    const e = (await h.app.stores.engagements.getByKey('T0001', 'payments-platform'))!;
    const { meta } = await openModal('UCOACH1', 'edit payments-platform');
    const edit = kickoffSubmission(kickoffForm({ channels: [general, payments], reviewDate: '2027-03-07' }), { user: 'UCOACH1', privateMetadata: meta });
    await actsOnce(h, (o) => h.interact(edit, o), ['announcements']);
    expect((await h.app.stores.events.forEngagement(e.id)).map((x) => x.type)).toEqual(['edited', 'kicked_off']);
    for (const channel of [general, payments]) {
      const top = h.emu.messages(channel).filter((m) => !m.thread_ts);
      expect(h.emu.messages(channel).filter((m) => m.thread_ts === top[0]!.ts)).toHaveLength(1); // one "what changed" reply
    }

    const close = slashCommand({ command: '/kickoff', text: 'close payments-platform Lead time is down', user_id: 'USPONSOR', channel_id: general });
    expect((await actsOnce(h, (o) => h.command(close, o), ['announcements'])).body).toMatch(/completed/);
    expect((await h.app.stores.events.forEngagement(e.id)).map((x) => x.type)).toEqual(['closed', 'edited', 'kicked_off']);
    for (const channel of [general, payments]) expect(h.emu.messages(channel).filter((m) => !m.thread_ts && textOf(m).includes('Lead time is down'))).toHaveLength(1);
  });

  it('refuses edit and close to anyone else, saying who can', async () => {
    await kickOff();
    for (const text of ['edit payments-platform', 'close payments-platform']) {
      const res = await h.command({ command: '/kickoff', text, user_id: 'USTRANGER', channel_id: general });
      expect(res.status).toBe(200);
      expect(res.body).toContain('<@USPONSOR>');
      expect(res.body).toContain('<@UCOACH1>');
      expect(res.body).toMatch(/admin/);
    }
    expect(h.emu.callsTo('views.open')).toHaveLength(1); // only the kickoff itself
    expect((await h.app.stores.engagements.getByKey('T0001', 'payments-platform'))!.lifecycle).toBe('active');
  });

  it('answers help, unknown subcommands and unknown keys with an ephemeral message', async () => {
    const help = await h.command({ command: '/kickoff', text: 'help', channel_id: general });
    expect(help.json()).toMatchObject({ response_type: 'ephemeral' });
    expect(help.body).toContain('edit');
    expect(help.body).toContain('close');
    const unknown = await h.command({ command: '/kickoff', text: 'launch rockets', channel_id: general });
    expect(unknown.body).toMatch(/help/);
    const missing = await h.command({ command: '/kickoff', text: 'edit nope', channel_id: general });
    expect(missing.body).toMatch(/no engagement/i);
  });

  it('still announces elsewhere when a private channel is closed to the bot, and tells the sponsor what to do', async () => {
    const secret = h.emu.addChannel({ name: 'leadership', isPrivate: true, botIsMember: false });
    await kickOff({ channels: [general, secret] });
    await h.settle();
    expect(h.emu.messages(general)).toHaveLength(1);
    expect(h.emu.messages(secret)).toHaveLength(0);
    const e = (await h.app.stores.engagements.getByKey('T0001', 'payments-platform'))!;
    expect(e.announcements.find((a) => a.channelId === secret)).toMatchObject({ status: 'failed' });
    const confirmation = textOf(h.emu.messages('USPONSOR')[0]);
    expect(confirmation).toMatch(/invite/i);
    expect((await h.app.stores.outbox.counts()).parked).toBe(1);
  });
});
