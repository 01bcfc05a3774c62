/**
 * The admission gate in front of Bolt, over signed HTTP against the emulator: a request from
 * another workspace is refused (nothing stored, nothing posted), and a signed payload of the
 * wrong shape gets a 200 at once, never a 500 and never a crash.
 */
import { waitFor, SIGNING_SECRET, type Harness } from '../support/harness';
import { world } from '../support/clockedWorld';
import { P, OTHER_TEAM, cardOf, kickOff, quickRaise, quiesce, type PostedCard } from '../support/impedimentFlow';
import { kickoffForm, kickoffSubmission } from '../support/kickoffForm';
import { appHomeOpened, blockActions, eventCallback, globalShortcut, messageShortcut, slashCommand } from '../../src/sandbox/payloads';
import { formEncode, postCommand, postEvent, postToSlackApp } from '../../src/sandbox/signing';
import { ACTION, CALLBACK } from '../../src/slack/ids';

/** The value of a card's button (the impediment id, as the card carries it). */
function actionValue(card: PostedCard, actionId: string): string {
  const elements = (card.message.blocks as { elements?: { action_id?: string; value?: string }[] }[]).flatMap((b) => b.elements ?? []);
  return elements.find((e) => e.action_id === actionId)?.value ?? '';
}

const TABLES = ['engagements', 'impediments', 'events', 'outbox', 'processed_requests'];
const FOREIGN = 'This coachline is installed in another workspace.';

describe('the admission gate', () => {
  let h: Harness;
  let general: string;
  beforeEach(async () => ({ h, general } = await world(new Date(), 'UTC')));
  afterEach(async () => h.close());

  const tables = () => (h.app.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
  const dump = () => Object.fromEntries(TABLES.filter((t) => tables().includes(t)).map((t) => [t, h.app.db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()]));
  /** Calls that change something in Slack or show something to someone. */
  const slackWrites = () => h.emu.calls.filter((c) => /^(chat|conversations|pins|views)\./.test(c.method) && !/^conversations\.(history|replies|info)$/.test(c.method));

  /** A card button's block_actions payload, as Slack sends it for a click by `user`. */
  const cardClick = (card: PostedCard, actionId: string, user: string, teamId?: string) =>
    blockActions({
      actions: [{ action_id: actionId, block_id: 'imp_card_actions', value: actionValue(card, actionId) }],
      user,
      teamId,
      channel: { id: card.channel },
      message: { ts: card.message.ts, text: card.message.text, blocks: card.message.blocks },
    });

  async function expectNothingDone(send: () => Promise<{ status: number; body: string }>, body = '') {
    await quiesce(h);
    const before = { rows: dump(), writes: slackWrites().length };
    const res = await send();
    expect(res.status).toBe(200);
    if (body) expect(JSON.parse(res.body)).toEqual({ response_type: 'ephemeral', text: body });
    else expect(res.body).toBe('');
    // A control request from our own workspace after it: anything the refused one started is visible by then.
    const control = await h.command({ command: '/kickoff', text: 'help', channel_id: general });
    expect(control.json()).toMatchObject({ response_type: 'ephemeral' });
    await quiesce(h);
    expect(dump()).toEqual(before.rows);
    expect(slackWrites()).toHaveLength(before.writes);
  }

  describe('a correctly signed request from another workspace', () => {
    it('a slash command: an ephemeral saying coachline is installed elsewhere, for every command', async () => {
      for (const command of ['/kickoff', '/impediment', '/status', '/escalate']) {
        for (const text of ['', 'help', 'The build is broken']) {
          await expectNothingDone(() => h.command({ command, text, channel_id: general, team_id: OTHER_TEAM }), FOREIGN);
        }
      }
      expect(h.emu.callsTo('views.open')).toHaveLength(0);
    });

    it('a kickoff submission (the issue’s case): no engagement, nothing posted with our token', async () => {
      const payload = kickoffSubmission(kickoffForm({ channels: [general] }), { user: 'USPONSOR', privateMetadata: JSON.stringify({ mode: 'create', channelId: general }), teamId: OTHER_TEAM });
      await expectNothingDone(() => h.interact(payload));
      expect(h.emu.callsTo('chat.postMessage')).toHaveLength(0);
    });

    it('a card button, a shortcut and an App Home event: an empty 200 and no action', async () => {
      const e = await kickOff(h, { from: general, form: { channels: [general] } });
      const { imp } = await quickRaise(h, 'Ours', { user: P.reporter, channel: general });
      const card: PostedCard = await cardOf(h, imp);
      const ack = cardClick(card, ACTION.impAcknowledge, P.admin, OTHER_TEAM);
      await expectNothingDone(() => h.interact(ack));
      await expectNothingDone(() => h.interact(messageShortcut({ callback_id: CALLBACK.raiseShortcut, user: P.reporter, teamId: OTHER_TEAM, channel: { id: general }, message: { ts: card.message.ts, text: 'x' } })));
      await expectNothingDone(() => h.interact(globalShortcut({ callback_id: CALLBACK.raiseShortcut, teamId: OTHER_TEAM })));
      await expectNothingDone(() => postEvent(`${h.base}/slack/events`, SIGNING_SECRET, eventCallback(appHomeOpened(P.sponsor), { teamId: OTHER_TEAM })));
      // A request naming no workspace at all is not ours either.
      const { team: _t, ...noTeam } = ack as Record<string, unknown>;
      await expectNothingDone(() => h.interact({ ...noTeam, user: { id: P.admin } }));
      expect(await h.app.stores.impediments.getByNumber('T0001', 1)).toMatchObject({ id: imp.id, state: 'open' });
      expect(e.id).toBeGreaterThan(0);
    });

    it('the same requests from this workspace are acted on (control)', async () => {
      const res = await h.command({ command: '/kickoff', text: '', channel_id: general });
      expect(res.status).toBe(200);
      await waitFor(() => h.emu.callsTo('views.open').length === 1, 'views.open');
    });
  });

  describe('a correctly signed payload of the wrong shape', () => {
    const post = (payload: unknown) => postToSlackApp(`${h.base}/slack/events`, SIGNING_SECRET, formEncode({ payload: JSON.stringify(payload) }), 'application/x-www-form-urlencoded');
    const click = (over: Record<string, unknown>) => ({
      ...blockActions({ actions: [{ action_id: ACTION.impAcknowledge, block_id: 'b', value: '1' }], user: P.admin, channel: { id: general }, message: { ts: '1.000001' } }),
      ...over,
    });

    it.each<[string, () => unknown]>([
      ['block_actions with user: null', () => click({ user: null })],
      ['block_actions with actions: {}', () => click({ actions: {} })],
      ['block_actions with actions: []', () => click({ actions: [] })],
      ['block_actions with actions: [null]', () => click({ actions: [null] })],
      ['block_actions with view: null', () => click({ view: null })],
      ['block_actions with user: "U1"', () => click({ user: 'U1' })],
      ['block_actions with team: 7', () => click({ team: 7 })],
      ['view_submission with view: null', () => ({ ...kickoffSubmission(kickoffForm({}), { user: 'USPONSOR', privateMetadata: '{}' }), view: null })],
      ['view_submission with view: "V1"', () => ({ ...kickoffSubmission(kickoffForm({}), { user: 'USPONSOR', privateMetadata: '{}' }), view: 'V1' })],
      ['shortcut with user: null', () => ({ ...globalShortcut({ callback_id: CALLBACK.raiseShortcut }), user: null })],
      ['a type coachline does not take', () => ({ type: 'block_suggestion', user: { id: 'U1' }, team: { id: 'T0001' } })],
    ])('%s: 200 at once, nothing done', async (_what, payload) => {
      await expectNothingDone(() => post(payload()));
    });

    it.each<[string, unknown]>([
      ['an event that is a string', 'app_home_opened'],
      ['an event that is null', null],
      ['an event without a type', { user: 'U1' }],
    ])('%s: 200 at once, nothing done', async (_what, event) => {
      await expectNothingDone(() => postEvent(`${h.base}/slack/events`, SIGNING_SECRET, { ...eventCallback(appHomeOpened(P.sponsor)), event }));
    });

    it('a slash command without user_id or with an empty team_id: 200, nothing done', async () => {
      const { user_id: _u, ...noUser } = slashCommand({ command: '/kickoff', text: '', channel_id: general });
      await expectNothingDone(() => postCommand(`${h.base}/slack/events`, SIGNING_SECRET, noUser));
      await expectNothingDone(() => h.command({ command: '/kickoff', text: '', channel_id: general, team_id: '' }));
    });
  });

  describe('help over HTTP', () => {
    it.each(['/kickoff', '/impediment', '/status'])('%s help answers escaped mrkdwn: no raw <, > or &', async (command) => {
      const res = await h.command({ command, text: 'help', channel_id: general });
      const body = res.json() as { text: string; blocks: { text?: { type: string; text: string } }[] };
      const texts = [body.text, ...body.blocks.flatMap((b) => (b.text?.type === 'mrkdwn' ? [b.text.text] : []))];
      expect(texts.length).toBeGreaterThan(2);
      for (const t of texts) expect(t).not.toMatch(/[<>]|&(?!amp;|lt;|gt;)/);
    });
  });

  describe('a button click without response_url', () => {
    it('still answers the person: an ephemeral in the channel, only to them', async () => {
      await kickOff(h, { from: general, form: { channels: [general] } });
      const { imp } = await quickRaise(h, 'Ours', { user: P.reporter, channel: general });
      const card = await cardOf(h, imp);
      const payload = cardClick(card, ACTION.impEscalate, 'USTRANGER');
      delete payload.response_url;
      const before = h.emu.callsTo('chat.postEphemeral').length;
      const res = await h.interact(payload);
      expect(res.status).toBe(200);
      await waitFor(() => h.emu.callsTo('chat.postEphemeral').length > before, 'chat.postEphemeral');
      const answer = h.emu.callsTo('chat.postEphemeral')[before]!;
      expect(answer.args).toMatchObject({ channel: card.channel, user: 'USTRANGER' });
      expect(String(answer.args.text)).toMatch(/Only .*can escalate IMP-1/);
      expect(h.emu.callsTo('views.open')).toHaveLength(1); // the kickoff modal only
      expect(h.logs.join('\n')).not.toMatch(/unhandled error in a listener/);
    });
  });
});
