/**
 * The pull intake through the real app: `/kickoff request` → the request modal → posted to the
 * admins (no channel yet) or to the requests channel an admin set, with Start engagement and
 * Decline → Start opens the kickoff form prefilled (origin pull, requester, pain points,
 * outcomes); announcing it marks the request started, updates the post and tells the requester
 * with the announcement's link → Decline asks a reason the requester receives. Who may press
 * the buttons, replays, the portfolio's open requests and the closing note's "how to ask".
 */
import { ACTION, BLOCK, CALLBACK } from '../../src/slack/ids';
import type { EmulatedMessage } from '../../src/sandbox/emulator';
import { plainText, radio, viewSubmission } from '../../src/sandbox/payloads';
import { startHarness, waitFor, type Harness } from '../support/harness';
import { click, TEAM } from '../support/impedimentFlow';
import { kickoffForm, kickoffState } from '../support/kickoffForm';

const REQUESTER = 'UREQUESTER';
const ADMIN = 'UADMIN';

async function openRequestForm(h: Harness, user = REQUESTER) {
  const before = h.emu.callsTo('views.open').length;
  const res = await h.command({ command: '/kickoff', text: 'request', user_id: user, channel_id: h.emu.addChannel({ name: `ask-${before}` }) });
  expect(res.status).toBe(200);
  await waitFor(() => h.emu.callsTo('views.open').length > before, 'the request form');
  return (h.emu.callsTo('views.open')[before]!.response as { view: { id: string; hash: string; callback_id: string } }).view;
}

async function ask(h: Harness, team: string, pain: string, urgency = 'high') {
  const view = await openRequestForm(h);
  expect(view.callback_id).toBe(CALLBACK.coachingRequest);
  const state = {
    [BLOCK.reqTeam]: { [ACTION.value]: plainText(team) },
    [BLOCK.reqPainPoints]: { [ACTION.value]: plainText(pain) },
    [BLOCK.reqOutcomes]: { [ACTION.value]: plainText('Lead time: 12 -> 5 days') },
    [BLOCK.reqUrgency]: { [ACTION.value]: radio(urgency) },
  };
  const res = await h.interact(viewSubmission({ user: { id: REQUESTER }, view: { id: view.id, hash: view.hash, callback_id: view.callback_id, private_metadata: '', state_values: state } }));
  await h.settle();
  return res;
}

const requestPosts = (h: Harness, where: string): EmulatedMessage[] => h.emu.messages(where).filter((m) => m.text.startsWith('Coaching request from'));

describe('coaching requests (pull intake)', () => {
  jest.setTimeout(60_000);
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ env: { ADMIN_USER_IDS: ADMIN } });
  });
  afterEach(async () => {
    await h.close();
  });

  it('goes to the admins until a channel is set, then to the channel; Start engagement becomes a pull engagement and the requester gets the link', async () => {
    // Bad input is answered inline, nothing stored.
    const empty = await openRequestForm(h);
    const refused = await h.interact(
      viewSubmission({ user: { id: REQUESTER }, view: { id: empty.id, hash: empty.hash, callback_id: empty.callback_id, private_metadata: '', state_values: { [BLOCK.reqTeam]: { [ACTION.value]: plainText('') } } } }),
    );
    expect(refused.body).toContain(BLOCK.reqTeam);
    expect(refused.body).toContain(BLOCK.reqUrgency);
    expect(await h.count('coaching_requests')).toBe(0);

    expect((await ask(h, 'Payments <platform>', 'Releases take three weeks\nNobody owns the backlog')).body).toBe('');
    expect(requestPosts(h, ADMIN)).toHaveLength(1);
    expect(requestPosts(h, ADMIN)[0]!.blocks![0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: 'Coaching request: Payments <platform>' } });
    expect(h.emu.messages(REQUESTER).map((m) => m.text).join(' ')).toContain('went to the coachline admins');

    // Only an admin chooses the channel; afterwards requests go there.
    const intake = h.emu.addChannel({ name: 'coaching-requests' });
    const notAdmin = await h.command({ command: '/kickoff', text: 'requests-channel', user_id: REQUESTER, channel_id: intake });
    expect(notAdmin.body).toContain('Only a coachline admin');
    const set = await h.command({ command: '/kickoff', text: 'requests-channel', user_id: ADMIN, channel_id: intake });
    expect(set.body).toContain(`<#${intake}>`);
    await ask(h, 'Checkout', 'Flaky deploys', 'low');
    const posts = requestPosts(h, intake);
    expect(posts).toHaveLength(1);
    // As the post looked before anyone decided (a client that has not refreshed yet still shows the buttons).
    const stale = JSON.parse(JSON.stringify(posts[0])) as EmulatedMessage;

    // Someone who coaches nothing and is no admin may not start it; the refusal says who can.
    const stranger = await click(h, { channel: intake, message: posts[0]! }, ACTION.requestStart, { user: 'USTRANGER' });
    expect(stranger.view).toBeNull();
    expect(stranger.responses.map((r) => r.text).join(' ')).toContain('a coach or a coachline admin');

    // The admin starts it: the kickoff form, prefilled.
    const started = await click(h, { channel: intake, message: posts[0]! }, ACTION.requestStart, { user: ADMIN });
    expect(started.view?.callback_id).toBe(CALLBACK.kickoff);
    const blocks = JSON.stringify(started.view!.blocks);
    expect(blocks).toContain('Flaky deploys');
    expect(blocks).toContain(REQUESTER);
    const general = h.emu.addChannel({ name: 'general' });
    const form = kickoffForm({ key: 'checkout', name: 'Checkout', origin: 'pull', requester: REQUESTER, channels: [general] });
    const submitted = await h.interact(
      viewSubmission({ user: { id: ADMIN }, view: { id: started.view!.id, hash: String(started.view!.hash ?? ''), callback_id: CALLBACK.kickoff, private_metadata: started.view!.private_metadata ?? '', state_values: kickoffState(form) } }),
    );
    expect(submitted.body).toBe('');
    await h.settle();
    await waitFor(() => h.emu.messages(REQUESTER).some((m) => m.text.includes('started')), 'the note to the requester');

    const e = await h.app.stores.engagements.getByKey(TEAM, 'checkout');
    expect(e).toMatchObject({ origin: 'pull', requestedBy: REQUESTER });
    const note = h.emu.messages(REQUESTER).filter((m) => m.text.includes('from your request'));
    expect(note).toHaveLength(1);
    const permalink = e!.announcements.find((a) => a.channelId === general)!.permalink!;
    expect(JSON.stringify(note[0]!.blocks)).toContain(permalink.replace(/&/g, '&amp;'));
    expect(await h.rows('SELECT status, engagement_id, decided_by FROM coaching_requests WHERE team_name = ?', 'Checkout')).toEqual([{ status: 'started', engagement_id: e!.id, decided_by: ADMIN }]);
    expect(JSON.stringify(h.emu.message(intake, posts[0]!.ts)!.blocks)).toContain('started `checkout`');
    expect(JSON.stringify(h.emu.message(intake, posts[0]!.ts)!.blocks)).not.toContain(ACTION.requestStart);

    // A second start of the same request is refused, saying who started it.
    const again = await click(h, { channel: intake, message: stale }, ACTION.requestStart, { user: ADMIN });
    expect(again.responses.map((r) => r.text).join(' ')).toContain('already started');

    // The portfolio lists the one still open; the closing note ends with how another team can ask.
    const portfolio = await h.command({ command: '/status', text: 'all', user_id: ADMIN, channel_id: general });
    expect(portfolio.body).toContain('Teams asking for a coach (1)');
    expect(portfolio.body).toContain('Payments &lt;platform&gt;');
    await h.command({ command: '/kickoff', text: 'close checkout Done', user_id: ADMIN, channel_id: general });
    await h.settle();
    const closing = h.emu.messages(general).filter((m) => m.text.includes('is completed'));
    expect(JSON.stringify(closing.at(-1)!.blocks)).toContain('/kickoff request');
  });

  it('Decline asks for a reason the requester receives; a replay declines once', async () => {
    await ask(h, 'Payments', 'Releases take three weeks');
    const post = requestPosts(h, ADMIN)[0]!;
    const opened = await click(h, { channel: h.emu.dmChannelFor(ADMIN), message: post }, ACTION.requestDecline, { user: ADMIN });
    expect(opened.view?.callback_id).toBe(CALLBACK.declineRequest);
    const submit = (reason: string) =>
      h.interact(
        viewSubmission({
          user: { id: ADMIN },
          view: { id: opened.view!.id, hash: String(opened.view!.hash ?? ''), callback_id: CALLBACK.declineRequest, private_metadata: opened.view!.private_metadata ?? '', state_values: { [BLOCK.reqReason]: { [ACTION.value]: plainText(reason) } } },
        }),
      );
    expect((await submit('')).body).toContain(BLOCK.reqReason);
    expect((await submit('No coach free until March')).body).toBe('');
    expect((await submit('No coach free until March')).body).toBe('');
    await h.settle();
    const told = h.emu.messages(REQUESTER).filter((m) => m.text.includes('was declined'));
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain('No coach free until March');
    expect(JSON.stringify(h.emu.message(h.emu.dmChannelFor(ADMIN), post.ts)!.blocks)).toContain('Declined by');
    expect(await h.rows('SELECT status, decline_reason FROM coaching_requests')).toEqual([{ status: 'declined', decline_reason: 'No coach free until March' }]);
  });
});
