/**
 * Impediments end to end: the real app over HTTP (signed requests shaped as Slack sends them)
 * against the Slack emulator. Quick capture, the modal, the message shortcut, the card and its
 * buttons, escalation up the line, resolution, permissions, tampered payloads, lists with the
 * scorecard, id forms, bad input and help. Assertions read the emulator's recorded calls and
 * messages, the response_url posts, and the database.
 */
import type { Engagement } from '../../src/domain/types';
import { ACTION, BLOCK, CALLBACK } from '../../src/slack/ids';
import { FixedClock } from '../../src/lib/clock';
import { startHarness, type Harness } from '../support/harness';
import { insertEngagement } from '../support/statusFlow';
import {
  OTHER_TEAM,
  P,
  TEAM,
  buttonsOf,
  cardOf,
  cardsOf,
  click,
  clickCard,
  count,
  dmsTo,
  editState,
  escalateCommand,
  escalateViaCard,
  field,
  forgedView,
  impediment,
  inputBlock,
  kickOff,
  latest,
  opening,
  quickRaise,
  quiesce,
  raiseState,
  raiseWithModal,
  reasonState,
  reload,
  resolveState,
  resolveViaCard,
  said,
  shortcutOn,
  snapshot,
  submitRaise,
  submitView,
  textOf,
  updatesOf,
  viewErrors,
  viewPayload,
  actsOnce,
  clickPayload,
  type Res,
} from '../support/impedimentFlow';
import { codeFromUpdate } from '../support/anonHelpers';
import { slashCommand } from '../../src/sandbox/payloads';

const json = (res: Res) => res.json() as { response_type?: string; text?: string; blocks?: unknown[] };
const ids = (view: { blocks: unknown[] }) => (view.blocks as { block_id?: string; type: string }[]).filter((b) => b.type === 'input').map((b) => b.block_id);

describe('impediments end to end over HTTP', () => {
  let h: Harness;
  let general: string;

  beforeEach(async () => {
    // No background ticks: these tests compare whole-database snapshots before and after a refusal,
    // and a cron tick setting a new engagement's next digest between them is not the refusal's doing.
    h = await startHarness({ env: { ADMIN_USER_IDS: P.admin }, scheduler: false });
    general = h.emu.addChannel({ name: 'general' });
  });
  afterEach(async () => h.close());

  /** The standard engagement: announced in #general, with an engagement channel. */
  async function withChannel(): Promise<{ e: Engagement; ch: string }> {
    const e = await kickOff(h, { from: general, engagementChannel: 'coaching-payments', form: { channels: [general] } });
    return { e, ch: e.engagementChannelId! };
  }

  // ------------------------------------------------------------------------------------------
  describe('raising', () => {
    it('quick capture in the engagement channel creates it at once, reads the severity prefix, and confirms with Edit and Escalate', async () => {
      const { e, ch } = await withChannel();
      const cases = [
        { text: '!high The staging database is down', severity: 'high', description: 'The staging database is down' },
        { text: '!low The coffee machine is broken', severity: 'low', description: 'The coffee machine is broken' },
        { text: '!CRITICAL Payments fail in production', severity: 'critical', description: 'Payments fail in production' },
        { text: 'Builds take an hour', severity: 'medium', description: 'Builds take an hour' },
      ];
      for (const [i, c] of cases.entries()) {
        const { imp, res } = await quickRaise(h, c.text, { user: P.reporter, channel: ch });
        expect(res.status).toBe(200);
        const body = json(res);
        expect(body.response_type).toBe('ephemeral');
        expect(textOf(body)).toContain(`IMP-${i + 1}`);
        expect(buttonsOf(body).map((b) => [b.action_id, b.value])).toEqual([
          [ACTION.impEdit, String(imp.id)],
          [ACTION.impEscalate, String(imp.id)],
        ]);
        expect(imp).toMatchObject({ number: i + 1, engagementId: e.id, severity: c.severity, description: c.description, reporterId: P.reporter, source: 'command', state: 'open', level: 1, organisational: false, anonymous: false });
        // The card is in the engagement channel.
        const card = await cardOf(h, imp);
        expect(card.channel).toBe(ch);
        expect(textOf(card.message)).toContain(c.description);
      }
      expect(h.emu.callsTo('views.open')).toHaveLength(1); // the kickoff modal only
      // The engagement channel holds the pinned announcement and the four cards, nothing else at top level.
      expect(h.emu.messages(ch).filter((m) => !m.thread_ts)).toHaveLength(5);
    });

    it('quick capture in an announcement channel of one engagement creates it at once; the card goes to the engagement channel', async () => {
      const { ch } = await withChannel();
      const { imp, res } = await quickRaise(h, '!high Nobody can deploy on Fridays', { user: P.reporter, channel: general });
      expect(json(res).response_type).toBe('ephemeral');
      expect(textOf(json(res))).toContain('IMP-1');
      expect(imp.severity).toBe('high');
      expect((await cardOf(h, imp)).channel).toBe(ch);
      expect(h.emu.messages(general).filter((m) => !m.thread_ts)).toHaveLength(1); // only the announcement
      expect(h.emu.callsTo('views.open')).toHaveLength(1);
    });

    it('quick capture in a channel of no engagement, or of two, opens the modal prefilled and stores nothing', async () => {
      const shared = h.emu.addChannel({ name: 'shared' });
      const lonely = h.emu.addChannel({ name: 'lonely' });
      const a = await kickOff(h, { from: general, form: { key: 'payments-platform', channels: [shared] } });
      const b = await kickOff(h, { from: general, form: { key: 'checkout', name: 'Checkout', channels: [shared] } });

      for (const channel of [lonely, shared]) {
        const view = await opening(h, () => h.command({ command: '/impediment', text: '!high The CAB meets once a month', user_id: P.reporter, channel_id: channel }));
        expect(view.result.status).toBe(200);
        expect(view.result.body).toBe('');
        expect(view.callback_id).toBe(CALLBACK.raiseImpediment);
        expect(inputBlock(view, BLOCK.impDescription).element.initial_value).toBe('The CAB meets once a month');
        expect(inputBlock(view, BLOCK.impSeverity).element.initial_option.value).toBe('high');
        const select = inputBlock(view, BLOCK.impEngagement).element;
        expect(select.initial_option).toBeUndefined(); // nothing to guess
        expect(select.options.map((o: { value: string }) => o.value).sort()).toEqual([String(a.id), String(b.id)].sort());
        expect(JSON.parse(String(view.private_metadata))).toMatchObject({ channelId: channel });
      }
      expect(await count(h, 'impediments')).toBe(0);

      // Submitting the prefilled modal raises it where the person chose.
      const view = await opening(h, () => h.command({ command: '/impediment', text: 'Two teams own the same service', user_id: P.reporter, channel_id: shared }));
      const res = await submitRaise(h, view, { engagementId: b.id, description: 'Two teams own the same service', severity: 'high' }, { user: P.reporter });
      expect(res.body).toBe('');
      await quiesce(h);
      expect(await latest(h)).toMatchObject({ engagementId: b.id, description: 'Two teams own the same service', severity: 'high', reporterId: P.reporter });
      // No engagement channel: the card went to the coach.
      expect((await cardOf(h, await latest(h))).channel).toBe(h.emu.dmChannelFor(P.coach));
    });

    it('/impediment alone opens the form: engagement, description, severity, organisational, anonymous', async () => {
      const { e, ch } = await withChannel();
      const view = await opening(h, () => h.command({ command: '/impediment', text: '', user_id: P.reporter, channel_id: ch }));
      expect(view.result.body).toBe('');
      expect(view.callback_id).toBe(CALLBACK.raiseImpediment);
      expect(ids(view)).toEqual([BLOCK.impEngagement, BLOCK.impDescription, BLOCK.impSeverity, BLOCK.impOrganisational, BLOCK.impAnonymous]);
      expect(inputBlock(view, BLOCK.impEngagement).element.initial_option.value).toBe(String(e.id)); // the channel's engagement
      expect(inputBlock(view, BLOCK.impSeverity).element.initial_option.value).toBe('medium');
      expect(inputBlock(view, BLOCK.impDescription).element.initial_value).toBeUndefined();
      expect(await count(h, 'impediments')).toBe(0);
    });

    it('the message shortcut opens the form with the message text and its permalink; the card links to the message', async () => {
      const { e, ch } = await withChannel();
      const msg = h.emu.addMessage(general, { user: 'UALICE', text: 'The release train is blocked by the CAB again' });
      const view = await opening(h, () => shortcutOn(h, general, msg, P.reporter));
      expect(view.result.status).toBe(200);
      expect(view.callback_id).toBe(CALLBACK.raiseImpediment);
      expect(inputBlock(view, BLOCK.impDescription).element.initial_value).toBe('The release train is blocked by the CAB again');
      const meta = JSON.parse(String(view.private_metadata)) as { source: string; permalink: string };
      const permalink = `https://example.slack.com/archives/${general}/p${msg.ts.replace('.', '')}`;
      expect(meta).toMatchObject({ source: 'shortcut', permalink });

      const res = await submitRaise(h, view, { engagementId: e.id, description: msg.text, severity: 'high' }, { user: P.reporter });
      expect(res.body).toBe('');
      await quiesce(h);
      const imp = await latest(h);
      expect(imp).toMatchObject({ source: 'shortcut', sourcePermalink: permalink, description: msg.text });
      const card = await cardOf(h, imp);
      expect(card.channel).toBe(ch);
      expect(textOf(card.message)).toContain('Raised from a message');
      expect(textOf(card.message)).toContain(permalink);
    });

    it('a modal submission posts the card with every field and confirms to the reporter', async () => {
      const { e, ch } = await withChannel();
      const { imp, res } = await raiseWithModal(h, { engagementId: e.id, description: 'Budget for the test lab is frozen', severity: 'critical', organisational: true }, { user: P.reporter, channel: ch });
      expect(res.body).toBe(''); // the modal closes
      expect(imp).toMatchObject({ number: 1, severity: 'critical', organisational: true, reporterId: P.reporter, source: 'modal', ownerId: null });

      const card = await cardOf(h, imp);
      const m = card.message;
      expect(textOf(m.blocks)).toContain('*IMP-1*');
      expect(textOf(m.blocks)).toContain('Budget for the test lab is frozen');
      expect(field(m, 'Severity')).toMatch(/Critical/);
      expect(field(m, 'Organisational')).toMatch(/^Yes/);
      expect(field(m, 'Reporter')).toBe(`<@${P.reporter}>`);
      expect(field(m, 'Owner')).toBe('nobody yet');
      expect(field(m, 'State')).toBe('Open');
      expect(field(m, 'Level')).toBe('1 · Team');
      const due = Math.floor(imp.dueAt!.getTime() / 1000);
      expect(field(m, 'Response due')).toMatch(new RegExp(`^<!date\\^${due}\\^`));
      expect(buttonsOf(m).map((b) => [b.action_id, b.text.text, b.value])).toEqual([
        [ACTION.impAcknowledge, 'Acknowledge', String(imp.id)],
        [ACTION.impTakeOwnership, 'Take ownership', String(imp.id)],
        [ACTION.impEscalate, 'Escalate…', String(imp.id)],
        [ACTION.impResolve, 'Resolve…', String(imp.id)],
      ]);
      expect(m.text).toMatch(/IMP-1/); // a text fallback with the blocks
      expect(card.thread).toHaveLength(0);

      // The reporter's confirmation, ephemeral in the channel the form was opened from.
      const eph = h.emu.ephemerals.filter((x) => x.user === P.reporter);
      expect(eph).toHaveLength(1);
      expect(eph[0].channel).toBe(ch);
      expect(textOf(eph[0])).toContain('IMP-1');
      expect(h.emu.warnings).toEqual([]);
    });

    it('an anonymous submission shows "anonymous" on the card and stores no reporter anywhere', async () => {
      const { e, ch } = await withChannel();
      const view = await opening(h, () => h.command({ command: '/impediment', text: '', user_id: P.reporter, channel_id: ch }));
      const res = await submitRaise(h, view, { engagementId: e.id, description: 'Our manager reads our retro notes', anonymous: true }, { user: P.reporter });
      const body = res.json() as { response_action: string; view: unknown };
      expect(body.response_action).toBe('update'); // the follow-up code, shown once
      expect(textOf(body.view)).toMatch(/cannot be recovered/);
      await quiesce(h);
      const imp = await latest(h);
      expect(imp).toMatchObject({ anonymous: true, reporterId: null });
      const card = await cardOf(h, imp);
      expect(field(card.message, 'Reporter')).toBe('anonymous');
      expect(textOf(card.message)).not.toContain(P.reporter);
      expect(JSON.stringify((await h.rows('SELECT * FROM events')))).not.toContain(P.reporter);
      expect(h.emu.ephemerals).toHaveLength(0);
      // The reporter's rights need a known reporter: refusals never name one, and the (unknown) reporter is refused too.
      for (const user of [P.stranger, P.reporter]) {
        const r = await clickCard(h, card, ACTION.impEscalate, { user });
        expect(said(r)).toMatch(/Only .* can escalate IMP-1/);
        expect(said(r)).not.toMatch(/reporter|UREPORTER/);
      }
    });
  });

  // ------------------------------------------------------------------------------------------
  describe('the card and its buttons', () => {
    it('acknowledge, take ownership, escalate twice and resolve: one card updated in place, exactly one thread line per change', async () => {
      const { ch } = await withChannel();
      const { imp } = await quickRaise(h, '!high The staging database is down', { user: P.reporter, channel: ch });
      const first = await cardOf(h, imp);
      const topCount = first.topLevel.length;
      const dmBase = { program: dmsTo(h, P.program).length, exec: dmsTo(h, P.exec).length };

      /** After each change: same card, edited, one more chat.update and one more thread line. */
      const after = async (n: number, line: RegExp) => {
        const card = await cardOf(h, imp);
        expect(card.ts).toBe(first.ts);
        expect(card.topLevel).toHaveLength(topCount);
        expect(card.message.edited).toBe(true);
        expect(updatesOf(h, ch, first.ts)).toHaveLength(n);
        expect(card.thread).toHaveLength(n);
        expect(textOf(card.thread[n - 1])).toMatch(line);
        return card;
      };

      // Acknowledge (the Team contact): stops level 1's clock.
      let r = await clickCard(h, first, ACTION.impAcknowledge, { user: P.teamLead });
      expect(r.status).toBe(200);
      expect(r.responses).toEqual([]);
      let card = await after(1, /<@UTEAMLEAD> acknowledged this at level \*Team\*/);
      expect(field(card.message, 'State')).toBe('Acknowledged');
      expect(field(card.message, 'Response due')).toBe('—');
      const clock1 = (await h.rows('SELECT * FROM escalation_clocks WHERE impediment_id = ? AND level = 1', imp.id))[0] as { acknowledged_at: string | null; ended_at: string | null };
      expect(clock1.acknowledged_at).not.toBeNull();
      expect(clock1.ended_at).toBeNull();

      // Take ownership (the coach).
      r = await clickCard(h, card, ACTION.impTakeOwnership, { user: P.coach });
      expect(r.responses).toEqual([]);
      card = await after(2, /<@UCOACH1> took ownership/);
      expect(field(card.message, 'Owner')).toBe(`<@${P.coach}>`);

      // Escalate (the reporter): asks for a reason in a modal carrying the impediment id.
      r = await clickCard(h, card, ACTION.impEscalate, { user: P.reporter });
      expect(r.responses).toEqual([]);
      expect(r.view?.callback_id).toBe(CALLBACK.escalateImpediment);
      expect(JSON.parse(String(r.view?.private_metadata))).toEqual({ impedimentId: imp.id, level: 1 });
      expect(updatesOf(h, ch, first.ts)).toHaveLength(2); // opening the modal changes nothing
      const dueBefore = (await reload(h, imp)).dueAt;
      const res = await submitView(h, r.view!, reasonState('Needs a budget decision the team cannot make'), { user: P.reporter });
      expect(res.body).toBe('');
      await quiesce(h);
      card = await after(3, /<@UREPORTER> escalated this from \*Team\* to \*Program\*: Needs a budget decision/);
      expect(field(card.message, 'Level')).toBe('2 · Program');
      expect(field(card.message, 'State')).toBe('Open');
      const at2 = await reload(h, imp);
      expect(at2).toMatchObject({ level: 2, state: 'open', waitingOnExecutives: false });
      expect(dueBefore).toBeNull(); // acknowledged: no clock ran
      expect(at2.dueAt).not.toBeNull(); // a new clock at the new level
      expect(field(card.message, 'Response due')).toMatch(new RegExp(`^<!date\\^${Math.floor(at2.dueAt!.getTime() / 1000)}\\^`));
      const clocks = (await h.rows('SELECT level, ended_at, acknowledged_at FROM escalation_clocks WHERE impediment_id = ? ORDER BY level', imp.id)) as { level: number; ended_at: string | null }[];
      expect(clocks.map((c) => [c.level, c.ended_at !== null])).toEqual([
        [1, true],
        [2, false],
      ]);
      // The Program contact got the card, the reason, its age and its history.
      const dmP = dmsTo(h, P.program).slice(dmBase.program);
      expect(dmP).toHaveLength(1);
      const dmText = textOf(dmP[0]);
      expect(dmText).toContain('IMP-1');
      expect(dmText).toContain('Needs a budget decision the team cannot make');
      expect(dmText).toContain('Open for');
      expect(dmText).toContain('History');
      expect(dmText).toContain('raised by <@UREPORTER>');
      expect(dmText).toContain('acknowledged by <@UTEAMLEAD> at Team');
      expect(dmText).toContain('<@UCOACH1> took ownership');
      expect(dmText).toContain('escalated to Program by <@UREPORTER>');
      expect(dmText).toContain('The staging database is down'); // the card
      expect(dmsTo(h, P.exec).length).toBe(dmBase.exec);

      // Escalate again (the Program contact, now the current level): the top, waiting on executives.
      await escalateViaCard(h, imp, 'Two directors disagree on priority', P.program);
      card = await after(4, /from \*Program\* to \*Executive\*: Two directors disagree/);
      expect(field(card.message, 'Level')).toBe('3 · Executive');
      expect(textOf(card.message)).toMatch(/Waiting on executives/);
      expect(card.message.text).toMatch(/waiting on executives/);
      expect(buttonsOf(card.message).map((b) => b.action_id)).toEqual([ACTION.impAcknowledge, ACTION.impTakeOwnership, ACTION.impResolve]);
      expect(await reload(h, imp)).toMatchObject({ level: 3, waitingOnExecutives: true, state: 'open' });
      const dmE = dmsTo(h, P.exec).slice(dmBase.exec);
      expect(dmE).toHaveLength(1);
      expect(textOf(dmE[0])).toContain('Two directors disagree on priority');
      expect(textOf(dmE[0])).toMatch(/Waiting on executives/);
      expect(textOf(dmE[0])).toContain('escalated to Program by <@UREPORTER>');
      expect(dmsTo(h, P.program).length).toBe(dmBase.program + 1); // Program is not told again

      // Resolve (the Executive contact): a note, all clocks stop, no buttons left, the reporter is told.
      const resolved = await resolveViaCard(h, imp, 'resolved', 'Budget approved by the CFO', P.exec);
      expect(resolved.body).toBe('');
      card = await after(5, /<@UEXEC> resolved this: Budget approved by the CFO/);
      expect(field(card.message, 'State')).toBe('Resolved');
      expect(textOf(card.message)).toContain('Budget approved by the CFO');
      expect(textOf(card.message)).not.toMatch(/Waiting on executives/);
      expect(buttonsOf(card.message)).toEqual([]);
      expect(await reload(h, imp)).toMatchObject({ state: 'resolved', resolutionNote: 'Budget approved by the CFO', dueAt: null, waitingOnExecutives: false });
      const running = { n: await h.count('escalation_clocks', 'impediment_id = ? AND ended_at IS NULL', imp.id) };
      expect(running.n).toBe(0);
      const toReporter = dmsTo(h, P.reporter);
      expect(toReporter).toHaveLength(1);
      expect(textOf(toReporter[0])).toContain('Budget approved by the CFO');
      expect((await h.app.stores.events.forImpediment(imp.id)).map((x) => x.type)).toEqual([
        'impediment_raised',
        'impediment_acknowledged',
        'impediment_owned',
        'impediment_escalated',
        'impediment_escalated',
        'impediment_resolved',
      ]);
      expect((await h.app.stores.outbox.counts()).parked).toBe(0);
      expect(h.emu.warnings).toEqual([]);
    });

    it("resolve as won't fix: the card says so, the thread gets the note, the clocks stop", async () => {
      const { ch } = await withChannel();
      const { imp } = await quickRaise(h, 'We want a second monitor each', { user: P.reporter, channel: ch });
      const res = await resolveViaCard(h, imp, 'wont_fix', 'Out of budget this year', P.sponsor);
      expect(res.body).toBe('');
      const card = await cardOf(h, imp);
      expect(card.message.edited).toBe(true);
      expect(card.topLevel.filter((m) => m.ts === card.ts)).toHaveLength(1);
      expect(field(card.message, 'State')).toBe('Won’t fix');
      expect(textOf(card.message)).toContain('Out of budget this year');
      expect(buttonsOf(card.message)).toEqual([]);
      expect(card.thread).toHaveLength(1);
      expect(textOf(card.thread[0])).toMatch(/<@USPONSOR> closed this as won’t fix: Out of budget this year/);
      expect(await reload(h, imp)).toMatchObject({ state: 'wont_fix', resolutionNote: 'Out of budget this year' });
      expect((await h.count('escalation_clocks', 'impediment_id = ? AND ended_at IS NULL', imp.id))).toBe(0);
    });

    it('Edit… clicked by someone who may not edit: refused before any modal opens, naming who can', async () => {
      const { ch } = await withChannel();
      const { res } = await quickRaise(h, 'Builds are slow', { user: P.reporter, channel: ch });
      for (const user of [P.stranger, P.teamLead]) {
        const r = await click(h, { channel: ch, blocks: json(res).blocks }, ACTION.impEdit, { user });
        expect(r.view).toBeNull();
        expect(r.responses).toHaveLength(1);
        const text = said(r);
        expect(text).toMatch(/Only .*can edit IMP-1/);
        for (const n of ['<@UREPORTER>', '<@UCOACH1>', '<@USPONSOR>', 'admin']) expect(text).toContain(n);
      }
      expect(h.emu.callsTo('views.open')).toHaveLength(1); // the kickoff modal only
    });

    it('Edit on the confirmation opens the edit modal; saving updates the card in place with one thread line', async () => {
      const { ch } = await withChannel();
      const { imp, res } = await quickRaise(h, 'Builds are slow', { user: P.reporter, channel: ch });
      const r = await click(h, { channel: ch, blocks: json(res).blocks }, ACTION.impEdit, { user: P.reporter });
      expect(r.view?.callback_id).toBe(CALLBACK.editImpediment);
      expect(JSON.parse(String(r.view?.private_metadata))).toEqual({ impedimentId: imp.id });
      expect(inputBlock(r.view!, BLOCK.impDescription).element.initial_value).toBe('Builds are slow');
      const saved = await submitView(h, r.view!, editState('Builds take 55 minutes on the shared runner', 'high'), { user: P.reporter });
      expect(saved.body).toBe('');
      await quiesce(h);
      const card = await cardOf(h, imp);
      expect(card.message.edited).toBe(true);
      expect(textOf(card.message)).toContain('Builds take 55 minutes on the shared runner');
      expect(field(card.message, 'Severity')).toMatch(/High/);
      expect(card.thread).toHaveLength(1);
      expect(textOf(card.thread[0])).toMatch(/<@UREPORTER> edited this: description; severity medium → high/);
      expect(await reload(h, imp)).toMatchObject({ description: 'Builds take 55 minutes on the shared runner', severity: 'high' });
    });

    it('refuses to escalate past the top, clearly, from the command and from an old Escalate button, naming the top level', async () => {
      const { ch } = await withChannel();
      const { imp, res } = await quickRaise(h, 'Hiring freeze stops the team', { user: P.reporter, channel: ch });
      await escalateCommand(h, 'IMP-1 needs a director', { user: P.coach, channel: ch });
      await escalateCommand(h, 'IMP-1 needs the VP', { user: P.coach, channel: ch });
      expect(await reload(h, imp)).toMatchObject({ level: 3, waitingOnExecutives: true });
      const before = await snapshot(h);
      const updates = h.emu.callsTo('chat.update').length;

      const cmd = await impediment(h, 'escalate IMP-1 still stuck', { user: P.coach, channel: ch });
      expect(json(cmd).response_type).toBe('ephemeral');
      expect(cmd.body).toMatch(/IMP-1 is already at the top of the escalation line/);
      const alias = await escalateCommand(h, 'IMP-1 still stuck', { user: P.coach, channel: ch });
      expect(alias.body).toMatch(/already at the top/);
      // The reporter's confirmation still has an Escalate button from when it was raised.
      const r = await click(h, { channel: ch, blocks: json(res).blocks }, ACTION.impEscalate, { user: P.reporter });
      expect(r.view).toBeNull();
      expect(said(r)).toMatch(/already at the top of the escalation line/);
      expect(r.responses[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(await snapshot(h)).toEqual(before);
      expect(h.emu.callsTo('chat.update').length).toBe(updates);

      // Who is at the top must be readable: the contact as a live mention, not escaped text.
      for (const text of [textOf(json(cmd).blocks), said(r)]) {
        expect(text).not.toContain('&lt;@UEXEC&gt;');
        expect(text).toContain('<@UEXEC>');
      }
    });

    it("the escalation DM's buttons work on the card; escalating resets the due time; a repeated click changes nothing", async () => {
      const { ch } = await withChannel();
      const { imp } = await quickRaise(h, 'The test environment is shared by five teams', { user: P.reporter, channel: ch });
      const due1 = (await reload(h, imp)).dueAt!;
      const base = dmsTo(h, P.program).length;
      const res = await escalateCommand(h, 'IMP-1 the team has asked twice', { user: P.coach, channel: ch });
      expect(res.body).toMatch(/escalated to level 2/);
      const due2 = (await reload(h, imp)).dueAt!;
      expect(due2.getTime()).toBeGreaterThan(due1.getTime()); // a new clock: Program answers within 3 business days
      expect(field((await cardOf(h, imp)).message, 'Response due')).toContain(`<!date^${Math.floor(due2.getTime() / 1000)}^`);

      const dm = dmsTo(h, P.program)[base];
      expect(textOf(dm)).toContain('the team has asked twice');
      const r = await click(h, { channel: h.emu.dmChannelFor(P.program), message: dm }, ACTION.impAcknowledge, { user: P.program });
      expect(r.responses).toEqual([]);
      const card = await cardOf(h, imp);
      expect(field(card.message, 'State')).toBe('Acknowledged');
      expect(card.thread).toHaveLength(2);
      expect(textOf(card.thread[1])).toMatch(/<@UPROGRAM> acknowledged this at level \*Program\*/);
      const clocks = (await h.rows('SELECT level, acknowledged_at FROM escalation_clocks WHERE impediment_id = ? ORDER BY level', imp.id)) as { level: number; acknowledged_at: string | null }[];
      expect(clocks.map((c) => [c.level, c.acknowledged_at !== null])).toEqual([
        [1, false],
        [2, true],
      ]);

      // The same click again (a double click): a clear answer, no second line, no update.
      const before = await snapshot(h);
      const again = await clickCard(h, card, ACTION.impAcknowledge, { user: P.program });
      expect(said(again)).toMatch(/IMP-1 is already acknowledged/);
      const own = await clickCard(h, card, ACTION.impTakeOwnership, { user: P.coach });
      expect(own.responses).toEqual([]);
      const ownAgain = await clickCard(h, card, ACTION.impTakeOwnership, { user: P.coach });
      expect(said(ownAgain)).toMatch(/You already own IMP-1/);
      expect((await cardOf(h, imp)).thread).toHaveLength(3);
      expect((await snapshot(h)).events).toHaveLength((before.events as unknown[]).length + 1);
      // Resolved: a second resolution is refused and changes nothing.
      await impediment(h, 'resolve IMP-1 shared environment split', { user: P.coach, channel: ch });
      const closed = await snapshot(h);
      const twice = await impediment(h, 'resolve IMP-1 again', { user: P.coach, channel: ch });
      expect(twice.body).toMatch(/IMP-1 is already resolved/);
      expect(await snapshot(h)).toEqual(closed);
    });

    it('a repeated escalate submission (Slack delivering the same view twice) escalates once', async () => {
      const { ch } = await withChannel();
      const { imp } = await quickRaise(h, 'Procurement takes a quarter', { user: P.reporter, channel: ch });
      const base = dmsTo(h, P.exec).length;
      const r = await clickCard(h, await cardOf(h, imp), ACTION.impEscalate, { user: P.coach });
      const first = await submitView(h, r.view!, reasonState('The team cannot change procurement'), { user: P.coach });
      await quiesce(h);
      expect(first.body).toBe('');
      const second = await submitView(h, r.view!, reasonState('The team cannot change procurement'), { user: P.coach });
      await quiesce(h);
      expect(second.status).toBe(200);
      expect((await reload(h, imp)).level).toBe(2); // the modal said Team → Program, not → Executive
      expect((await cardOf(h, imp)).thread).toHaveLength(1);
      expect(dmsTo(h, P.exec).length).toBe(base);
    });

    it('a stale escalate modal (opened at Team → Program, submitted after someone else escalated) does not climb a second level', async () => {
      const { ch } = await withChannel();
      const { imp } = await quickRaise(h, 'Procurement takes a quarter', { user: P.reporter, channel: ch });
      const base = dmsTo(h, P.exec).length;
      const coach = await clickCard(h, await cardOf(h, imp), ACTION.impEscalate, { user: P.coach });
      const sponsor = await clickCard(h, await cardOf(h, imp), ACTION.impEscalate, { user: P.sponsor });
      expect(textOf(coach.view?.blocks)).toMatch(/\*Team\* to \*Program\*/);
      expect(textOf(sponsor.view?.blocks)).toMatch(/\*Team\* to \*Program\*/);
      expect((await submitView(h, coach.view!, reasonState('Program must decide'), { user: P.coach })).body).toBe('');
      await quiesce(h);
      const stale = await submitView(h, sponsor.view!, reasonState('Program must decide'), { user: P.sponsor });
      await quiesce(h);
      expect((await reload(h, imp)).level).toBe(2);
      expect(viewErrors(stale)[BLOCK.impReason]).toMatch(/IMP-1/); // told, inline, that it changed meanwhile
      expect((await cardOf(h, imp)).thread).toHaveLength(1);
      expect(dmsTo(h, P.exec).length).toBe(base);
    });
  });

  describe('replays and retries (the same signed bytes again, and with x-slack-retry-num: 1)', () => {
    it('quick capture /impediment TEXT creates one impediment', async () => {
      const { ch } = await withChannel();
      const fields = slashCommand({ command: '/impediment', text: '!high The CAB meets once a month', user_id: P.reporter, channel_id: ch });
      const first = await actsOnce(h, (o) => h.command(fields, o));
      expect(first.body).toContain('IMP-1');
      expect(await count(h, 'impediments')).toBe(1);
    });

    it('/escalate IMP-n REASON climbs one level, /impediment escalate one more, /impediment resolve resolves once', async () => {
      const { ch } = await withChannel();
      const { imp } = await quickRaise(h, 'Procurement takes a quarter', { user: P.reporter, channel: ch });
      const escalate = slashCommand({ command: '/escalate', text: 'IMP-1 the team cannot decide this', user_id: P.coach, channel_id: ch });
      expect((await actsOnce(h, (o) => h.command(escalate, o))).body).toContain('escalated to level 2');
      expect((await reload(h, imp)).level).toBe(2);
      expect(dmsTo(h, P.program).filter((m) => m.text.includes('was escalated to you'))).toHaveLength(1);
      const again = slashCommand({ command: '/impediment', text: 'escalate IMP-1 program cannot either', user_id: P.coach, channel_id: ch });
      expect((await actsOnce(h, (o) => h.command(again, o))).body).toContain('escalated to level 3');
      expect((await reload(h, imp)).level).toBe(3);
      const resolve = slashCommand({ command: '/impediment', text: 'resolve IMP-1 split the environment', user_id: P.coach, channel_id: ch });
      expect((await actsOnce(h, (o) => h.command(resolve, o))).body).toContain('is resolved');
      expect((await cardOf(h, imp)).thread).toHaveLength(3);
    });

    it('/impediment follow CODE reply posts one anonymous reply', async () => {
      const { e, ch } = await withChannel();
      const view = await opening(h, () => h.command({ command: '/impediment', text: '', user_id: P.reporter, channel_id: ch }));
      const raised = await submitRaise(h, view, { engagementId: e.id, anonymous: true }, { user: P.reporter });
      await quiesce(h);
      const code = codeFromUpdate(raised.json());
      const imp = await latest(h);
      const fields = slashCommand({ command: '/impediment', text: `follow ${code} It meets on Tuesdays`, user_id: P.reporter, channel_id: ch });
      expect((await actsOnce(h, (o) => h.command(fields, o))).body).toContain('IMP-1');
      expect((await cardOf(h, imp)).thread.filter((m) => m.text.includes('It meets on Tuesdays'))).toHaveLength(1);
    });

    it('/impediment auto-escalation KEY off records one change', async () => {
      const { e, ch } = await withChannel();
      const fields = slashCommand({ command: '/impediment', text: 'auto-escalation payments-platform off', user_id: P.sponsor, channel_id: ch });
      await actsOnce(h, (o) => h.command(fields, o));
      expect((await h.app.stores.engagements.get(e.id))!.autoEscalate).toBe(false);
      expect((await h.app.stores.events.forEngagement(e.id)).filter((ev) => ev.type === 'auto_escalation_off')).toHaveLength(1);
    });

    it('the card buttons Acknowledge and Take ownership act once, with no refusal for the repeats', async () => {
      const { ch } = await withChannel();
      const { imp } = await quickRaise(h, 'Procurement takes a quarter', { user: P.reporter, channel: ch });
      const card = await cardOf(h, imp);
      const acknowledge = clickPayload({ channel: card.channel, message: card.message }, ACTION.impAcknowledge, { user: P.teamLead });
      await actsOnce(h, (o) => h.interact(acknowledge, o));
      expect((await reload(h, imp)).state).toBe('acknowledged');
      const own = clickPayload({ channel: card.channel, message: (await cardOf(h, imp)).message }, ACTION.impTakeOwnership, { user: P.coach });
      await actsOnce(h, (o) => h.interact(own, o));
      expect((await reload(h, imp)).ownerId).toBe(P.coach);
      expect((await cardOf(h, imp)).thread).toHaveLength(2);
    });

    it('the raise, edit, escalate and resolve modals act once per submitted view', async () => {
      const { e, ch } = await withChannel();
      const raise = await opening(h, () => h.command({ command: '/impediment', text: '', user_id: P.reporter, channel_id: ch }));
      const raised = viewPayload(raise, raiseState({ engagementId: e.id, description: 'Every firewall change takes two weeks', severity: 'high', organisational: false, anonymous: false }), { user: P.reporter });
      expect((await actsOnce(h, (o) => h.interact(raised, o))).body).toBe('');
      const imp = await latest(h);
      expect(await count(h, 'impediments')).toBe(1);

      const confirmation = h.emu.callsTo('chat.postEphemeral').filter((c) => c.args.user === P.reporter);
      expect(confirmation).toHaveLength(1);
      const edit = (await click(h, { channel: ch, blocks: confirmation[0]!.args.blocks as unknown[] }, ACTION.impEdit, { user: P.reporter })).view!;
      const edited = viewPayload(edit, editState('Every firewall change takes three weeks', 'high'), { user: P.reporter });
      expect((await actsOnce(h, (o) => h.interact(edited, o))).body).toBe('');
      expect((await reload(h, imp)).description).toBe('Every firewall change takes three weeks');

      const escalate = (await clickCard(h, await cardOf(h, imp), ACTION.impEscalate, { user: P.coach })).view!;
      const escalated = viewPayload(escalate, reasonState('The team cannot change procurement'), { user: P.coach });
      expect((await actsOnce(h, (o) => h.interact(escalated, o))).body).toBe('');
      expect((await reload(h, imp)).level).toBe(2);

      const resolve = (await clickCard(h, await cardOf(h, imp), ACTION.impResolve, { user: P.coach })).view!;
      const resolved = viewPayload(resolve, resolveState('resolved', 'Split the environment'), { user: P.coach });
      expect((await actsOnce(h, (o) => h.interact(resolved, o))).body).toBe('');
      expect((await reload(h, imp)).state).toBe('resolved');
      expect((await cardOf(h, imp)).thread).toHaveLength(3);
    });
  });

  describe('a closed engagement', () => {
    it('no longer owns its channel: quick capture there opens the modal and stores nothing', async () => {
      const { ch } = await withChannel();
      const close = await h.command({ command: '/kickoff', text: 'close payments-platform Done', user_id: P.sponsor, channel_id: general });
      expect(close.body).toMatch(/completed/);
      await quiesce(h);
      const view = await opening(h, () => h.command({ command: '/impediment', text: 'Too late?', user_id: P.reporter, channel_id: ch }));
      expect(textOf(view.blocks)).toMatch(/no active coaching engagement/);
      expect(await count(h, 'impediments')).toBe(0);
    });
  });

  // ------------------------------------------------------------------------------------------
  describe('without an engagement channel', () => {
    it("sends the card as a DM to each coach, and every change updates every coach's card and thread", async () => {
      const e = await kickOff(h, { from: general, form: { coaches: [P.coach, P.coach2], channels: [general] } });
      expect(e.engagementChannelId).toBeNull();
      const { imp, res } = await quickRaise(h, '!high Security review takes six weeks', { user: P.reporter, channel: general });
      expect(textOf(json(res))).toMatch(/direct message/);
      const cards = await cardsOf(h, imp);
      expect(cards.map((c) => c.channel).sort()).toEqual([h.emu.dmChannelFor(P.coach), h.emu.dmChannelFor(P.coach2)].sort());
      for (const c of cards) expect(textOf(c.message)).toContain('Security review takes six weeks');
      expect(h.emu.messages(general).filter((m) => !m.thread_ts)).toHaveLength(1); // only the announcement

      // Coach 1 acknowledges from their DM: both copies change.
      const mine = cards.find((c) => c.channel === h.emu.dmChannelFor(P.coach))!;
      await clickCard(h, mine, ACTION.impAcknowledge, { user: P.coach });
      for (const c of await cardsOf(h, imp)) {
        expect(c.message.edited).toBe(true);
        expect(field(c.message, 'State')).toBe('Acknowledged');
        expect(updatesOf(h, c.channel, c.ts)).toHaveLength(1);
        expect(c.thread).toHaveLength(1);
        expect(textOf(c.thread[0])).toMatch(/<@UCOACH1> acknowledged/);
      }
      // Coach 2 escalates with the command: both copies change again.
      await escalateCommand(h, 'IMP-1 needs the program', { user: P.coach2, channel: general });
      for (const c of await cardsOf(h, imp)) {
        expect(field(c.message, 'Level')).toBe('2 · Program');
        expect(updatesOf(h, c.channel, c.ts)).toHaveLength(2);
        expect(c.thread).toHaveLength(2);
        expect(textOf(c.thread[1])).toMatch(/<@UCOACH2> escalated this from \*Team\* to \*Program\*: needs the program/);
        expect(c.topLevel.filter((m) => m.ts === c.ts)).toHaveLength(1);
      }
    });
  });

  // ------------------------------------------------------------------------------------------
  describe('permissions', () => {
    it('refuses each button to the wrong person, ephemerally, saying who can, and changes nothing', async () => {
      const { ch } = await withChannel();
      const { imp } = await quickRaise(h, 'The vendor does not answer', { user: P.reporter, channel: ch });
      const card = await cardOf(h, imp);
      const before = await snapshot(h);
      const cases: { action: string; user: string; what: RegExp; names: string[]; notNames?: string[] }[] = [
        { action: ACTION.impAcknowledge, user: P.stranger, what: /can acknowledge IMP-1/, names: ['<@UTEAMLEAD>', '<@UCOACH1>', '<@USPONSOR>', 'admin'] },
        { action: ACTION.impAcknowledge, user: P.reporter, what: /can acknowledge IMP-1/, names: ['<@UTEAMLEAD>'] },
        { action: ACTION.impTakeOwnership, user: P.stranger, what: /can take ownership of IMP-1/, names: ['<@UCOACH1>', '<@UTEAMLEAD>', '<@UPROGRAM>', '<@UEXEC>', '<@USPONSOR>', 'admin'] },
        { action: ACTION.impEscalate, user: P.stranger, what: /can escalate IMP-1/, names: ['<@UREPORTER>', '<@UCOACH1>', '<@UTEAMLEAD>', '<@USPONSOR>', 'admin'] },
        { action: ACTION.impResolve, user: P.stranger, what: /can resolve IMP-1/, names: ['<@UCOACH1>', '<@UTEAMLEAD>', '<@USPONSOR>', 'admin'] },
        // The reporter may escalate but not resolve; a contact of another level is not the current one.
        { action: ACTION.impResolve, user: P.reporter, what: /can resolve IMP-1/, names: ['<@UCOACH1>', '<@UTEAMLEAD>'], notNames: ['<@UREPORTER>'] },
        { action: ACTION.impResolve, user: P.program, what: /can resolve IMP-1/, names: ['<@UTEAMLEAD>'], notNames: ['<@UPROGRAM>'] },
      ];
      for (const c of cases) {
        const r = await clickCard(h, card, c.action, { user: c.user });
        expect(r.status).toBe(200);
        expect(r.view).toBeNull();
        expect(r.responses).toHaveLength(1);
        expect(r.responses[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
        const text = said(r);
        expect(text).toMatch(/Only /);
        expect(text).toMatch(c.what);
        for (const n of c.names) expect(text).toContain(n);
        for (const n of c.notNames ?? []) expect(text).not.toContain(n);
      }
      expect(await snapshot(h)).toEqual(before);
      expect(updatesOf(h, ch, card.ts)).toHaveLength(0);
      expect((await cardOf(h, imp)).thread).toHaveLength(0);
      expect(h.emu.callsTo('views.open')).toHaveLength(1); // the kickoff modal only
    });

    it('refuses commands to the wrong person with an ephemeral answer naming who can, and changes nothing', async () => {
      const { ch } = await withChannel();
      await quickRaise(h, 'The vendor does not answer', { user: P.reporter, channel: ch });
      const before = await snapshot(h);
      const resolve = await impediment(h, 'resolve IMP-1 fixed it myself', { user: P.stranger, channel: ch });
      expect(json(resolve).response_type).toBe('ephemeral');
      expect(resolve.body).toMatch(/Only .* can resolve IMP-1/);
      for (const n of ['<@UCOACH1>', '<@UTEAMLEAD>', '<@USPONSOR>', 'admin']) expect(resolve.body).toContain(n);
      const reporterResolve = await impediment(h, 'resolve IMP-1 it went away', { user: P.reporter, channel: ch });
      expect(reporterResolve.body).toMatch(/can resolve IMP-1/);
      for (const res of [await impediment(h, 'escalate IMP-1 nobody listens', { user: P.stranger, channel: ch }), await escalateCommand(h, 'IMP-1 nobody listens', { user: P.stranger, channel: ch })]) {
        expect(json(res).response_type).toBe('ephemeral');
        expect(res.body).toMatch(/Only .* can escalate IMP-1/);
        for (const n of ['<@UREPORTER>', '<@UCOACH1>', '<@UTEAMLEAD>', '<@USPONSOR>', 'admin']) expect(res.body).toContain(n);
      }
      expect(await snapshot(h)).toEqual(before);
    });

    it('lets the reporter, owner, current-level contact, coach, sponsor and admin do what the rules allow', async () => {
      const { ch } = await withChannel();
      for (let i = 1; i <= 5; i++) await quickRaise(h, `Impediment number ${i}`, { user: P.reporter, channel: ch });
      const byNumber = async (n: number) => (await h.app.stores.impediments.getByNumber(TEAM, n))!;
      const ok = (res: Res) => expect(res.body).not.toMatch(/Only|:warning:|:no_entry:/);

      // The reporter escalates; then the Team contact is no longer current and may not resolve, the Program contact may.
      ok(await escalateCommand(h, 'IMP-1 the team is stuck', { user: P.reporter, channel: ch }));
      const refused = await impediment(h, 'resolve IMP-1 done', { user: P.teamLead, channel: ch });
      expect(refused.body).toMatch(/Only .* can resolve IMP-1/);
      expect(refused.body).toContain('<@UPROGRAM>');
      ok(await impediment(h, 'resolve IMP-1 done', { user: P.program, channel: ch }));
      expect((await byNumber(1)).state).toBe('resolved');

      // A contact of another level takes ownership, and as owner resolves.
      const c2 = await cardOf(h, await byNumber(2));
      expect((await clickCard(h, c2, ACTION.impTakeOwnership, { user: P.program })).responses).toEqual([]);
      expect((await byNumber(2)).ownerId).toBe(P.program);
      ok(await impediment(h, 'resolve IMP-2 sorted with the vendor', { user: P.program, channel: ch }));
      expect((await byNumber(2)).state).toBe('resolved');

      // The current-level contact escalates; the coach resolves.
      ok(await impediment(h, 'escalate IMP-3 needs budget', { user: P.teamLead, channel: ch }));
      expect((await byNumber(3)).level).toBe(2);
      ok(await impediment(h, 'resolve IMP-3 budget found', { user: P.coach, channel: ch }));

      // An owner who is no contact of the current level escalates; the sponsor resolves.
      expect((await clickCard(h, await cardOf(h, await byNumber(4)), ACTION.impTakeOwnership, { user: P.exec })).responses).toEqual([]);
      ok(await escalateCommand(h, 'IMP-4 I own it and need Program', { user: P.exec, channel: ch }));
      expect((await byNumber(4)).level).toBe(2);
      ok(await impediment(h, 'resolve IMP-4 not needed', { user: P.sponsor, channel: ch }));

      // An admin escalates and resolves; the sponsor escalates too.
      ok(await impediment(h, 'escalate IMP-5 admin says so', { user: P.admin, channel: ch }));
      ok(await impediment(h, 'escalate IMP-5 sponsor says so', { user: P.sponsor, channel: ch }));
      expect((await byNumber(5)).level).toBe(3);
      ok(await impediment(h, 'resolve IMP-5 done', { user: P.admin, channel: ch }));
      expect(await Promise.all([3, 4, 5].map(async (n) => (await byNumber(n)).state))).toEqual(['resolved', 'resolved', 'resolved']);
    });

    it('refuses a modal submitted by someone not allowed, inline, and changes nothing', async () => {
      const { ch } = await withChannel();
      const { imp } = await quickRaise(h, 'The vendor does not answer', { user: P.reporter, channel: ch });
      const esc = await clickCard(h, await cardOf(h, imp), ACTION.impEscalate, { user: P.coach });
      const res = await clickCard(h, await cardOf(h, imp), ACTION.impResolve, { user: P.coach });
      expect(esc.view?.callback_id).toBe(CALLBACK.escalateImpediment);
      expect(res.view?.callback_id).toBe(CALLBACK.resolveImpediment);
      const before = await snapshot(h);
      const e1 = viewErrors(await submitView(h, esc.view!, reasonState('I want it higher'), { user: P.stranger }));
      expect(e1[BLOCK.impReason]).toMatch(/Only .*can escalate IMP-1/);
      const e2 = viewErrors(await submitView(h, res.view!, resolveState('resolved', 'gone'), { user: P.stranger }));
      expect(e2[BLOCK.impNote]).toMatch(/Only .*can resolve IMP-1/);
      const editView = forgedView(CALLBACK.editImpediment, JSON.stringify({ impedimentId: imp.id }));
      const e3 = viewErrors(await submitView(h, editView, editState('Something else entirely', 'low'), { user: P.stranger }));
      expect(e3[BLOCK.impDescription]).toMatch(/Only .*can edit IMP-1/);
      await quiesce(h);
      expect(await snapshot(h)).toEqual(before);
    });
  });

  // ------------------------------------------------------------------------------------------
  describe('tampering', () => {
    /**
     * An engagement and IMP-1 in another workspace: its row id is not ours. Requests from
     * another workspace are refused at the door, so its rows are written through the services
     * (as a second installation sharing the database would write them).
     */
    async function otherWorkspace(): Promise<number> {
      const e = await insertEngagement(h, { key: 'their-platform', name: 'Their platform', sponsorId: 'UOTHER' }, OTHER_TEAM);
      const { impediment: imp } = await h.app.impediments.raise(OTHER_TEAM, {
        engagementId: e.id,
        description: 'Their own problem',
        severity: 'medium',
        organisational: false,
        reporterId: 'UOTHER',
        anonymous: false,
        source: 'command',
        sourcePermalink: null,
      });
      expect(imp.number).toBe(1); // numbered per workspace
      await quiesce(h);
      return (await h.app.stores.impediments.getByNumber(OTHER_TEAM, 1))!.id;
    }

    it('refuses tampered button values (not a number, another workspace, unknown) and changes nothing', async () => {
      const { ch } = await withChannel();
      const { imp } = await quickRaise(h, 'Our impediment', { user: P.reporter, channel: ch });
      const theirId = await otherWorkspace();
      expect(theirId).not.toBe(imp.id);
      const card = await cardOf(h, imp);
      const before = await snapshot(h);
      const updates = h.emu.callsTo('chat.update').length;
      const values: [string, RegExp][] = [
        ['abc', /could not be read/],
        ['', /could not be read/],
        ['-1', /could not be read/],
        ['1.5', /could not be read/],
        ['1e3', /could not be read/],
        [String(theirId), /no longer exists/],
        ['99999', /no longer exists/],
      ];
      for (const action of [ACTION.impAcknowledge, ACTION.impTakeOwnership, ACTION.impEscalate, ACTION.impResolve]) {
        for (const [value, answer] of values) {
          const r = await clickCard(h, card, action, { user: P.admin, value });
          expect(r.view).toBeNull();
          expect(r.responses).toHaveLength(1);
          expect(said(r)).toMatch(answer);
        }
      }
      expect(await snapshot(h)).toEqual(before);
      expect(h.emu.callsTo('chat.update').length).toBe(updates);
      expect(await reload(h, { id: theirId })).toMatchObject({ state: 'open', ownerId: null, level: 1 });
    });

    it('refuses tampered private_metadata on the escalate, resolve, edit and raise modals, inline, and changes nothing', async () => {
      const { e, ch } = await withChannel();
      const { imp } = await quickRaise(h, 'Our impediment', { user: P.reporter, channel: ch });
      const theirId = await otherWorkspace();
      const before = await snapshot(h);
      const metas = [
        'not json',
        '',
        JSON.stringify({ impedimentId: String(imp.id) }),
        JSON.stringify({ impedimentId: imp.id, admin: true }),
        JSON.stringify({ impedimentId: 0 }),
        JSON.stringify({ impedimentId: -imp.id }),
        JSON.stringify({ impedimentId: theirId }),
        JSON.stringify({ impedimentId: 99999 }),
        JSON.stringify([imp.id]),
      ];
      const forms: [string, ReturnType<typeof reasonState>, string][] = [
        [CALLBACK.escalateImpediment, reasonState('Escalate it'), BLOCK.impReason],
        [CALLBACK.resolveImpediment, resolveState('resolved', 'Resolved it'), BLOCK.impNote],
        [CALLBACK.editImpediment, editState('Changed it', 'critical'), BLOCK.impDescription],
      ];
      for (const [callbackId, state, block] of forms) {
        for (const meta of metas) {
          const res = await submitView(h, forgedView(callbackId, meta), state, { user: P.admin });
          expect(res.status).toBe(200);
          const errors = viewErrors(res);
          expect(Object.keys(errors)).toEqual([block]);
          expect(errors[block]).toMatch(/could not be read|no longer exists/);
        }
      }
      // The raise modal: its context and the engagement it names are checked too.
      const raiseMetas = ['not json', JSON.stringify({ source: 'evil' }), JSON.stringify({ source: 'shortcut', permalink: 'javascript:alert(1)' }), JSON.stringify({ source: 'modal', channelId: 'not a channel' })];
      for (const meta of raiseMetas) {
        const res = await submitView(h, forgedView(CALLBACK.raiseImpediment, meta), raiseState({ engagementId: e.id, description: 'x', severity: 'low', organisational: false, anonymous: false }), { user: P.reporter });
        expect(Object.keys(viewErrors(res)).length).toBeGreaterThan(0);
      }
      const theirEngagement = (await h.app.stores.engagements.getByKey(OTHER_TEAM, 'their-platform'))!.id;
      for (const engagementId of [theirEngagement, 99999, 'abc']) {
        const res = await submitView(h, forgedView(CALLBACK.raiseImpediment, JSON.stringify({ source: 'modal' })), raiseState({ engagementId, description: 'x', severity: 'low', organisational: false, anonymous: false }), { user: P.reporter });
        expect(viewErrors(res)[BLOCK.impEngagement]).toBeTruthy();
      }
      await quiesce(h);
      expect(await snapshot(h)).toEqual(before);
    });

    it('a command in one workspace never reaches the same number in another', async () => {
      const { ch } = await withChannel();
      const { imp } = await quickRaise(h, 'Ours', { user: P.reporter, channel: ch });
      const theirId = await otherWorkspace();
      const res = await impediment(h, 'resolve IMP-1 done', { user: P.sponsor, channel: ch });
      expect(res.body).toMatch(/resolved/);
      expect((await reload(h, imp)).state).toBe('resolved');
      expect((await reload(h, { id: theirId })).state).toBe('open');
    });
  });

  // ------------------------------------------------------------------------------------------
  describe('lists', () => {
    it('lists in the channel, by key (the scorecard for the sponsor only), mine and open', async () => {
      const { ch } = await withChannel();
      await quickRaise(h, 'First: acknowledged promptly', { user: P.reporter, channel: ch });
      await quickRaise(h, 'Second: escalated without an answer', { user: P.coach, channel: ch });
      await quickRaise(h, 'Third: resolved', { user: P.reporter, channel: ch });
      const imp1 = (await h.app.stores.impediments.getByNumber(TEAM, 1))!;
      await clickCard(h, await cardOf(h, imp1), ACTION.impAcknowledge, { user: P.teamLead });
      await escalateCommand(h, 'IMP-2 nobody answered', { user: P.coach, channel: ch });
      const imp3 = (await h.app.stores.impediments.getByNumber(TEAM, 3))!;
      await clickCard(h, await cardOf(h, imp3), ACTION.impAcknowledge, { user: P.coach });
      await impediment(h, 'resolve IMP-3 done', { user: P.coach, channel: ch });
      const before = await snapshot(h);

      const inChannel = await impediment(h, 'list', { user: P.stranger, channel: ch });
      expect(json(inChannel).response_type).toBe('ephemeral');
      expect(inChannel.body).toContain('Impediments of payments-platform');
      expect(inChannel.body).toContain('IMP-1');
      expect(inChannel.body).toContain('IMP-2');
      expect(inChannel.body).not.toContain('IMP-3*');
      expect(inChannel.body).not.toMatch(/Response by escalation level/);

      const sponsor = await impediment(h, 'list payments-platform', { user: P.sponsor, channel: general });
      const blocks = json(sponsor).blocks as { type: string; text?: { text: string } }[];
      expect(blocks[0].type).toBe('header');
      expect(sponsor.body).toMatch(/Response by escalation level/);
      expect(sponsor.body).toMatch(/\*1 · Team\* — 2 in time · 0 late · 1 never · median time to acknowledge \d+m/);
      expect(sponsor.body).toMatch(/\*2 · Program\* — 0 in time · 0 late · 0 never · median time to acknowledge —/);
      expect(sponsor.body).toContain('Team → Program → Executive');
      // The scorecard comes before the impediments (the head of the answer).
      const scoreAt = blocks.findIndex((b) => /in time/.test(b.text?.text ?? ''));
      const firstItem = blocks.findIndex((b) => /IMP-\d/.test(b.text?.text ?? ''));
      expect(scoreAt).toBeGreaterThan(0);
      expect(scoreAt).toBeLessThan(firstItem);

      const stranger = await impediment(h, 'list payments-platform', { user: P.stranger, channel: general });
      expect(stranger.body).toContain('IMP-1');
      expect(stranger.body).not.toMatch(/Response by escalation level|in time/);

      const mine = await impediment(h, 'list mine', { user: P.reporter, channel: general });
      expect(mine.body).toContain('*IMP-1*');
      expect(mine.body).toContain('*IMP-3*'); // closed ones too: what happened to mine
      expect(mine.body).not.toContain('*IMP-2*');

      const open = await impediment(h, 'list open', { user: P.stranger, channel: general });
      expect(open.body).toContain('*IMP-1*');
      expect(open.body).toContain('*IMP-2*');
      expect(open.body).not.toContain('*IMP-3*');
      expect(open.body).toMatch(/level 2 · Program/);

      const unknown = await impediment(h, 'list no-such-thing', { user: P.stranger, channel: general });
      expect(unknown.body).toMatch(/no engagement with the key `?no-such-thing/);
      expect(await snapshot(h)).toEqual(before);
    });
  });

  describe('the scorecard', () => {
    it('counts in time, late and never per level with the median time to acknowledge (fixed clock)', async () => {
      // Swap the harness for one on a fixed clock (after the first one finished starting up: Bolt's auth.test).
      await impediment(h, 'help', { user: P.reporter, channel: general });
      await h.close();
      const clock = new FixedClock(new Date('2026-11-23T10:00:00Z')); // a Monday
      h = await startHarness({ env: { ADMIN_USER_IDS: P.admin }, clock, scheduler: false });
      general = h.emu.addChannel({ name: 'general' });
      const { ch } = await withChannel();
      for (const t of ['one', 'two', 'three']) await quickRaise(h, `Impediment ${t}`, { user: P.reporter, channel: ch });
      const byNumber = async (n: number) => (await h.app.stores.impediments.getByNumber(TEAM, n))!;
      expect((await byNumber(1)).dueAt!.getTime()).toBeGreaterThan(clock.now().getTime());

      clock.advance(30 * 60_000); // 30 minutes: in time
      await clickCard(h, await cardOf(h, await byNumber(1)), ACTION.impAcknowledge, { user: P.teamLead });
      clock.set(new Date('2026-11-28T10:00:00Z')); // five days later: past Team's 2 business days
      expect((await byNumber(2)).dueAt!.getTime()).toBeLessThan(clock.now().getTime());
      await clickCard(h, await cardOf(h, await byNumber(2)), ACTION.impAcknowledge, { user: P.coach }); // late
      // IMP-3: never acknowledged and overdue.

      const res = await impediment(h, 'list payments-platform', { user: P.sponsor, channel: general });
      // Median of 30 minutes and 5 days: (30 + 7200) / 2 = 3615 minutes.
      expect(res.body).toContain('*1 · Team* — 1 in time · 1 late · 1 never · median time to acknowledge 2d 12h');
      expect(res.body).toContain('*2 · Program* — 0 in time · 0 late · 0 never · median time to acknowledge —');
      const coach = await impediment(h, 'list payments-platform', { user: P.coach, channel: general });
      expect(coach.body).toContain('1 in time · 1 late · 1 never');
      const stranger = await impediment(h, 'list payments-platform', { user: P.reporter, channel: general });
      expect(stranger.body).not.toContain('Response by escalation level');
    });
  });

  // ------------------------------------------------------------------------------------------
  describe('commands and ids', () => {
    it('/escalate is /impediment escalate, and IMP-3, imp-3 and 3 name the same impediment', async () => {
      const { ch } = await withChannel();
      for (const t of ['one', 'two', 'three']) await quickRaise(h, `Impediment ${t}`, { user: P.reporter, channel: ch });
      const third = (await h.app.stores.impediments.getByNumber(TEAM, 3))!;

      const a = await escalateCommand(h, 'IMP-3 the team cannot decide this', { user: P.coach, channel: ch });
      expect(json(a).response_type).toBe('ephemeral');
      expect(a.body).toMatch(/IMP-3 is escalated to level 2/);
      const b = await impediment(h, 'escalate imp-3 the program cannot either', { user: P.coach, channel: ch });
      expect(b.body).toMatch(/IMP-3 is escalated to level 3/);
      const c = await impediment(h, 'resolve 3 the VP decided', { user: P.coach, channel: ch });
      expect(c.body).toMatch(/IMP-3 is resolved/);

      expect(await reload(h, third)).toMatchObject({ level: 3, state: 'resolved', resolutionNote: 'the VP decided' });
      const card = await cardOf(h, third);
      expect(card.thread.map((m) => m.text)).toEqual([
        expect.stringMatching(/escalated this from \*Team\* to \*Program\*: the team cannot decide this/),
        expect.stringMatching(/escalated this from \*Program\* to \*Executive\*: the program cannot either/),
        expect.stringMatching(/resolved this: the VP decided/),
      ]);
      for (const n of [1, 2]) expect(await h.app.stores.impediments.getByNumber(TEAM, n)).toMatchObject({ level: 1, state: 'open' });
    });

    it('IMP-0, IMP-99999, abc and missing arguments get clear answers and change nothing', async () => {
      const { ch } = await withChannel();
      await quickRaise(h, 'Something', { user: P.reporter, channel: ch });
      const before = await snapshot(h);
      const run = async (cmd: 'impediment' | 'escalate', text: string) =>
        cmd === 'impediment' ? impediment(h, text, { user: P.admin, channel: ch }) : escalateCommand(h, text, { user: P.admin, channel: ch });
      const cases: ['impediment' | 'escalate', string, RegExp][] = [
        ['impediment', 'resolve IMP-0 done', /start at 1/],
        ['impediment', 'escalate IMP-0 why', /start at 1/],
        ['escalate', 'IMP-0 why', /start at 1/],
        ['impediment', 'resolve IMP-99999 done', /There is no IMP-99999 in this workspace/],
        ['impediment', 'escalate IMP-99999 why', /There is no IMP-99999 in this workspace/],
        ['escalate', 'IMP-99999 why', /There is no IMP-99999 in this workspace/],
        ['impediment', 'resolve abc done', /not an impediment id.*IMP-12/],
        ['impediment', 'escalate abc why', /not an impediment id.*IMP-12/],
        ['escalate', 'abc why', /not an impediment id.*IMP-12/],
        ['impediment', 'resolve IMP-1', /Usage: \/impediment resolve IMP-12/],
        ['impediment', 'escalate IMP-1', /Usage: \/impediment escalate IMP-12/],
        ['escalate', 'IMP-1', /Usage: \/escalate IMP-12/],
        ['impediment', 'list mine extra', /Usage: \/impediment list/],
      ];
      for (const [cmd, text, expected] of cases) {
        const res = await run(cmd, text);
        expect(res.status).toBe(200);
        expect(json(res).response_type).toBe('ephemeral');
        expect(json(res).text).toMatch(expected);
      }
      expect(await snapshot(h)).toEqual(before);
      expect(h.emu.callsTo('views.open')).toHaveLength(1);
    });

    it('10,000 characters: quick capture answers clearly, the modals show inline errors, nothing is stored', async () => {
      const { e, ch } = await withChannel();
      const long = 'x'.repeat(10_000);
      const before = await snapshot(h);

      const quick = await impediment(h, long, { user: P.reporter, channel: ch });
      expect(quick.status).toBe(200);
      expect(json(quick).response_type).toBe('ephemeral');
      expect(json(quick).text).toMatch(/10,000 characters.*3,000/);
      const lonely = h.emu.addChannel({ name: 'lonely' });
      const elsewhere = await impediment(h, `!high ${long}`, { user: P.reporter, channel: lonely });
      expect(json(elsewhere).text).toMatch(/10,000 characters.*3,000/);

      const view = await opening(h, () => h.command({ command: '/impediment', text: '', user_id: P.reporter, channel_id: ch }));
      const res = await submitRaise(h, view, { engagementId: e.id, description: long }, { user: P.reporter });
      const errors = viewErrors(res);
      expect(Object.keys(errors)).toEqual([BLOCK.impDescription]);
      expect(errors[BLOCK.impDescription]).toMatch(/10,000 characters.*3,000/);
      await quiesce(h);
      expect(await snapshot(h)).toEqual(before);

      // Reasons and notes have their limits too.
      const { imp } = await quickRaise(h, 'Something', { user: P.reporter, channel: ch });
      const after = await snapshot(h);
      const esc = await clickCard(h, await cardOf(h, imp), ACTION.impEscalate, { user: P.coach });
      expect(viewErrors(await submitView(h, esc.view!, reasonState(long), { user: P.coach }))[BLOCK.impReason]).toMatch(/1,000/);
      const rsv = await clickCard(h, await cardOf(h, imp), ACTION.impResolve, { user: P.coach });
      expect(viewErrors(await submitView(h, rsv.view!, resolveState('resolved', long), { user: P.coach }))[BLOCK.impNote]).toMatch(/2,000/);
      expect(json(await impediment(h, `resolve IMP-1 ${long}`, { user: P.coach, channel: ch })).text).toMatch(/2,000/);
      expect(json(await escalateCommand(h, `IMP-1 ${long}`, { user: P.coach, channel: ch })).text).toMatch(/1,000/);
      await quiesce(h);
      expect(await snapshot(h)).toEqual(after);
    });

    it('/impediment help mentions every subcommand and that a lost code cannot be recovered', async () => {
      const res = await impediment(h, 'help', { user: P.reporter, channel: general });
      expect(res.status).toBe(200);
      const body = json(res);
      expect(body.response_type).toBe('ephemeral');
      const all = textOf(body);
      for (const s of ['/impediment TEXT', '!low', '!high', '!critical', 'list [KEY|mine|open]', 'resolve IMP-12', 'escalate IMP-12', '/escalate IMP-12', 'follow CODE', 'auto-escalation KEY on|off', 'help', 'Raise as impediment', 'imp-12']) {
        expect(all).toContain(s);
      }
      expect(all).toMatch(/lost code cannot be recovered/i);
      const alias = await escalateCommand(h, 'help', { user: P.reporter, channel: general });
      expect(textOf(json(alias))).toMatch(/lost code cannot be recovered/i);
    });
  });
});
