/**
 * `/status export KEY|all` end to end: the requester gets two files in their DM with coachline
 * (files.uploadV2 against the emulator) — a CSV of the impediments and a JSON of the
 * engagement(s) with check-ins and events. Every field of every row is checked; CSV quoting and
 * formula neutralising; anonymous reporters absent everywhere.
 */
import { FixedClock } from '../../src/lib/clock';
import { IMPEDIMENT_CSV_COLUMNS } from '../../src/domain/export';
import { startHarness, type Harness } from '../support/harness';
import { P, TEAM, escalateCommand, impediment, kickOff, opening, quickRaise, quiesce, submitRaise } from '../support/impedimentFlow';
import { csvRecords, filesOf, insertEngagement, openCheckin, status, statusWithUrl, stop, submitCheckin, visible } from '../support/statusFlow';

const MONDAY = new Date('2026-11-23T10:00:00Z');
const MINUTE = 60_000;
const ANON = 'UANONYMOUS7';

describe('/status export end to end over HTTP', () => {
  let h: Harness;
  let clock: FixedClock;
  let general: string;
  let lonely: string;

  beforeEach(async () => {
    clock = new FixedClock(MONDAY);
    h = await startHarness({ env: { ADMIN_USER_IDS: P.admin }, clock, scheduler: false });
    general = h.emu.addChannel({ name: 'general' });
    lonely = h.emu.addChannel({ name: 'lonely' });
  });
  afterEach(async () => stop(h));

  /** The standard engagement with four impediments, a check-in and a resolution. */
  async function world() {
    const e = await kickOff(h, { from: general, engagementChannel: 'coaching-payments', form: { channels: [general] } });
    const ch = e.engagementChannelId!;
    // IMP-1: commas, quotes and a line break; owned, then resolved with a note that needs quoting too.
    const one = (await quickRaise(h, '!high Deploys need "two" approvals, a CAB, and weekly windows', { user: P.reporter, channel: ch })).imp;
    await h.app.impediments.edit(TEAM, one.id, P.reporter, { description: 'Deploys need "two" approvals, a CAB, and\nweekly windows', severity: 'high' });
    await h.app.impediments.takeOwnership(TEAM, one.id, P.coach);
    // IMP-2: anonymous and organisational, raised at an odd instant, escalated to the top.
    clock.set(new Date('2026-11-23T10:37:12.345Z'));
    const view = await opening(h, () => h.command({ command: '/impediment', text: '', user_id: ANON, channel_id: ch }));
    await submitRaise(h, view, { engagementId: e.id, description: 'Budget rules forbid pairing', severity: 'critical', organisational: true, anonymous: true }, { user: ANON });
    await quiesce(h);
    clock.set(new Date('2026-11-23T11:00:00Z'));
    await escalateCommand(h, 'IMP-2 needs the program', { user: P.coach, channel: ch });
    await escalateCommand(h, 'IMP-2 needs the VP', { user: P.coach, channel: ch });
    // IMP-3 and IMP-4: text a spreadsheet would run as a formula.
    await quickRaise(h, '=HYPERLINK("http://evil.example","click me")', { user: P.reporter, channel: ch });
    await quickRaise(h, '!low @SUM(A1:A9)', { user: P.reporter, channel: ch });
    clock.set(new Date('2026-11-23T12:00:00Z'));
    await impediment(h, 'resolve IMP-1 Moved to "daily", smaller windows', { user: P.coach, channel: ch });
    const checkin = await openCheckin(h, 'payments-platform', { user: P.coach, channel: ch });
    await submitCheckin(h, checkin, { health: 'amber', summary: 'Slow, but moving', nextSteps: 'Talk to the CAB', metrics: { 0: '14' } }, { user: P.coach });
    return { e: (await h.app.stores.engagements.get(e.id))!, ch };
  }

  async function exportAs(user: string, target: string) {
    const before = h.emu.files.size;
    const { res, posted } = await statusWithUrl(h, `export ${target}`, { user, channel: lonely });
    expect(res.status).toBe(200);
    return { ack: res.json() as { response_type?: string; text?: string }, posted: posted(), files: filesOf(h).slice(before) };
  }

  it('/status export KEY sends a CSV and a JSON to the requester\'s DM, and says so', async () => {
    await world();
    const { ack, posted, files } = await exportAs(P.sponsor, 'payments-platform');
    expect(ack.response_type).toBe('ephemeral');
    expect(ack.text).toMatch(/Preparing the export; it will arrive in a direct message/);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(posted[0]!.text).toContain('The export of `payments-platform` (4 impediments) is in your direct messages with coachline.');

    expect(files.map((f) => f.filename)).toEqual(['coachline-payments-platform-impediments-2026-11-23.csv', 'coachline-payments-platform-2026-11-23.json']);
    for (const f of files) {
      expect(f.channel).toBe(h.emu.dmChannelFor(P.sponsor));
      expect(f.content).not.toBeNull();
      expect(f.comment).toContain('Anonymous reporters are not in it.');
    }
    expect(h.emu.callsTo('conversations.open').map((c) => c.args.users)).toEqual([P.sponsor]);
  });

  it('the CSV: header, quoting (commas, quotes, line breaks), formulas neutralised, and every field of every row', async () => {
    const { e } = await world();
    const { files } = await exportAs(P.stranger, 'payments-platform');
    const csv = files[0]!.content!;
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')[0]).toBe(IMPEDIMENT_CSV_COLUMNS.join(','));
    expect([...IMPEDIMENT_CSV_COLUMNS]).toEqual(['id', 'engagement', 'description', 'severity', 'organisational', 'reporter', 'owner', 'state', 'level', 'level_name', 'response_due_utc', 'waiting_on_executives', 'source', 'raised_utc', 'closed_utc', 'resolution_note']);
    // Raw quoting, exactly as RFC 4180 wants it.
    expect(csv).toContain('"Deploys need ""two"" approvals, a CAB, and\nweekly windows"');
    expect(csv).toContain('"Moved to ""daily"", smaller windows"');
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click me"")"`);

    const { header, records } = csvRecords(csv);
    expect(header).toHaveLength(16);
    expect(records).toHaveLength(4);
    for (const r of records) expect(Object.keys(r)).toHaveLength(16);
    const byId = Object.fromEntries(records.map((r) => [r.id, r]));
    const imp = async (n: number) => (await h.app.stores.impediments.getByNumber(TEAM, n))!;

    expect(byId['IMP-1']).toEqual({
      id: 'IMP-1',
      engagement: 'payments-platform',
      description: 'Deploys need "two" approvals, a CAB, and\nweekly windows',
      severity: 'high',
      organisational: 'false',
      reporter: P.reporter,
      owner: P.coach,
      state: 'resolved',
      level: '1',
      level_name: 'Team',
      response_due_utc: '',
      waiting_on_executives: 'false',
      source: 'command',
      raised_utc: '2026-11-23T10:00:00.000Z',
      closed_utc: '2026-11-23T12:00:00.000Z',
      resolution_note: 'Moved to "daily", smaller windows',
    });
    expect(byId['IMP-2']).toEqual({
      id: 'IMP-2',
      engagement: 'payments-platform',
      description: 'Budget rules forbid pairing',
      severity: 'critical',
      organisational: 'true',
      reporter: '',
      owner: '',
      state: 'open',
      level: '3',
      level_name: 'Executive',
      response_due_utc: (await imp(2)).dueAt!.toISOString().slice(0, 10), // anonymous: the day only (it would give away the raise time)
      waiting_on_executives: 'true',
      source: 'modal',
      raised_utc: '2026-11-23', // the day only
      closed_utc: '',
      resolution_note: '',
    });
    expect(byId['IMP-3']).toMatchObject({ description: `'=HYPERLINK("http://evil.example","click me")`, severity: 'medium', reporter: P.reporter, state: 'open', level: '1', level_name: 'Team', owner: '', raised_utc: '2026-11-23T11:00:00.000Z', response_due_utc: (await imp(3)).dueAt!.toISOString(), source: 'command' });
    expect(byId['IMP-4']).toMatchObject({ description: "'@SUM(A1:A9)", severity: 'low' });
    // No cell a spreadsheet would evaluate.
    for (const r of records) for (const v of Object.values(r)) expect(v).not.toMatch(/^[=+\-@\t\r]/);
    expect(e.key).toBe('payments-platform');
  });

  it('the JSON: the engagement\'s fields, its check-ins, and its events in order, with no actor on anonymous events', async () => {
    const { e, ch } = await world();
    const { files } = await exportAs(P.sponsor, 'payments-platform');
    const json = JSON.parse(files[1]!.content!) as Record<string, any>;
    expect(json).toMatchObject({
      key: 'payments-platform',
      name: 'Payments platform',
      level: 'team',
      origin: 'pull',
      requestedBy: 'UREQUESTER',
      sponsor: P.sponsor,
      coaches: [P.coach],
      lifecycle: 'active',
      health: 'amber',
      startDate: '2026-11-23',
      reviewDate: '2027-02-21',
      painPoints: ['Releases take three weeks', 'Nobody owns the backlog'],
      outcomes: [
        { text: 'Lead time', metric: { baseline: 21, target: 5, current: 14, unit: 'days' } },
        { text: 'The team runs its own retrospectives', metric: null },
      ],
      announcementChannels: [general],
      engagementChannel: ch,
      kickedOffAt: '2026-11-23T10:00:00.000Z',
      closedAt: null,
      closeNote: null,
    });
    expect(json.escalationLine.map((l: any) => [l.level, l.name, l.contactIds])).toEqual([
      [1, 'Team', [P.teamLead]],
      [2, 'Program', [P.program]],
      [3, 'Executive', [P.exec]],
    ]);
    expect(json.checkins).toEqual([{ at: '2026-11-23T12:00:00.000Z', author: P.coach, health: 'amber', summary: 'Slow, but moving', nextSteps: 'Talk to the CAB', outcomeValues: [{ position: 0, value: 14 }] }]);

    const events = json.events as { at: string; actor: string | null; type: string; data: Record<string, unknown> }[];
    expect(events.map((x) => [x.type, x.actor])).toEqual([
      ['kicked_off', P.sponsor],
      ['impediment_raised', P.reporter],
      ['impediment_edited', P.reporter],
      ['impediment_owned', P.coach],
      ['impediment_raised', null], // anonymous
      ['impediment_escalated', P.coach],
      ['impediment_escalated', P.coach],
      ['impediment_raised', P.reporter],
      ['impediment_raised', P.reporter],
      ['impediment_resolved', P.coach],
      ['checkin_posted', P.coach],
    ]);
    // In order; the anonymous raise keeps only its day.
    const exact = events.map((x) => x.at).filter((at) => at.length > 10);
    expect(exact).toEqual([...exact].sort());
    expect(events.filter((x) => x.at.length === 10).map((x) => [x.type, x.at])).toEqual([['impediment_raised', '2026-11-23']]);
    expect(events[4]!.data).toMatchObject({ anonymous: true, organisational: true, severity: 'critical' });
    expect(events[5]!.data).toMatchObject({ from: 1, to: 2, reason: 'needs the program' });
    // The anonymous reporter is nowhere in either file.
    for (const f of files) expect(f.content).not.toContain(ANON);
  });

  it('impediment events in the JSON say which impediment they are about', async () => {
    await world();
    const { files } = await exportAs(P.sponsor, 'payments-platform');
    const events = (JSON.parse(files[1]!.content!) as { events: { type: string; data: Record<string, unknown> }[] }).events;
    const about = events.filter((x) => x.type.startsWith('impediment_'));
    expect(about).toHaveLength(9);
    // Without a number (or id) nobody reading the export can tell "escalated" of IMP-2 from any other.
    const unnamed = about.filter((x) => x.data.number === undefined && x.data.impedimentId === undefined && x.data.ref === undefined).map((x) => x.type);
    expect(unnamed).toEqual([]);
  });

  it('the exact time an anonymous impediment was raised appears nowhere in the export (the CSV keeps only the day)', async () => {
    const e = await kickOff(h, { from: general, engagementChannel: 'coaching-payments', form: { channels: [general] } });
    clock.set(new Date('2026-11-24T14:37:12.345Z'));
    const view = await opening(h, () => h.command({ command: '/impediment', text: '', user_id: ANON, channel_id: e.engagementChannelId! }));
    await submitRaise(h, view, { engagementId: e.id, description: 'My manager reads my DMs', severity: 'high', anonymous: true }, { user: ANON });
    await quiesce(h);
    clock.set(new Date('2026-11-25T09:00:00Z'));
    const { files } = await exportAs(P.sponsor, 'payments-platform');
    const row = csvRecords(files[0]!.content!).records[0]!;
    expect(row.raised_utc).toBe('2026-11-24');
    for (const f of files) expect(f.content).not.toContain(ANON);
    // Neither the instant nor its time of day (the response due time is the raise time + 2 business days).
    const leaks = files.flatMap((f) => (f.content!.match(/"?[a-z_]*"?:? ?"?\d{4}-\d{2}-\d{2}T14:37:12\.345Z/g) ?? []).map((m) => `${f.filename}: ${m}`));
    expect(leaks).toEqual([]);
  });

  it('/status export all is for admins: anyone else is told who can, before anything is prepared', async () => {
    await world();
    const before = h.emu.files.size;
    const res = await h.command({ command: '/status', text: 'export all', user_id: P.sponsor, channel_id: lonely });
    expect(res.status).toBe(200);
    expect(res.body).toContain('Only a coachline admin can export every engagement');
    expect(res.body).not.toContain('Preparing');
    await quiesce(h);
    expect(h.emu.files.size).toBe(before);
  });

  it('/status export all: every engagement (a completed one too) in one CSV and one JSON array', async () => {
    await world();
    const other = await insertEngagement(h, { key: 'checkout', name: 'Checkout', coachIds: [P.coach2] });
    await h.app.impediments.raise(TEAM, { engagementId: other.id, description: 'Checkout, "the" slow one', severity: 'medium', organisational: false, reporterId: P.reporter, anonymous: false, source: 'command', sourcePermalink: null });
    const close = await h.command({ command: '/kickoff', text: 'close checkout Done and dusted', user_id: P.sponsor, channel_id: general });
    expect(close.status).toBe(200);
    await quiesce(h);
    await insertEngagement(h, { key: 'elsewhere', name: 'Other workspace' }, 'T0002');
    await quiesce(h);

    const { posted, files } = await exportAs(P.admin, 'all');
    expect(posted[0]!.text).toContain('The export of `all-engagements` (5 impediments)');
    expect(files.map((f) => f.filename)).toEqual(['coachline-all-engagements-impediments-2026-11-23.csv', 'coachline-all-engagements-2026-11-23.json']);
    expect(files.every((f) => f.channel === h.emu.dmChannelFor(P.admin))).toBe(true);
    const { records } = csvRecords(files[0]!.content!);
    expect(records.map((r) => [r.id, r.engagement]).sort()).toEqual([
      ['IMP-1', 'payments-platform'],
      ['IMP-2', 'payments-platform'],
      ['IMP-3', 'payments-platform'],
      ['IMP-4', 'payments-platform'],
      ['IMP-5', 'checkout'],
    ]);
    expect(records.find((r) => r.id === 'IMP-5')).toMatchObject({ description: 'Checkout, "the" slow one', level_name: 'Team', reporter: P.reporter, state: 'open' });
    const json = JSON.parse(files[1]!.content!) as Record<string, any>[];
    expect(Array.isArray(json)).toBe(true);
    expect(json.map((x) => x.key).sort()).toEqual(['checkout', 'payments-platform']);
    const checkout = json.find((x) => x.key === 'checkout')!;
    expect(checkout).toMatchObject({ lifecycle: 'completed', closeNote: 'Done and dusted', closedAt: '2026-11-23T12:00:00.000Z' });
    expect(checkout.events.map((x: any) => x.type)).toEqual(['kicked_off', 'impediment_raised', 'closed']);
    for (const f of files) expect(f.content).not.toContain('Other workspace');
  });

  it('an unknown key, a malformed key or a missing target is answered at once and sends nothing', async () => {
    await world();
    const before = h.emu.files.size;
    const cases: [string, RegExp][] = [
      ['export no-such-thing', /There is no engagement with the key `no-such-thing`/],
      ['export Bad_Key!', /Engagement keys look like/],
      ['export', /Usage: \/status export KEY or \/status export all/],
      ['export a b', /Usage: \/status export KEY or \/status export all/],
    ];
    for (const [text, re] of cases) {
      const res = await status(h, text, { user: P.sponsor, channel: lonely });
      const body = res.json() as { response_type?: string; text?: string };
      expect(body.response_type).toBe('ephemeral');
      expect(`${body.text} ${visible(body)}`).toMatch(re);
    }
    expect(h.emu.files.size).toBe(before);
    expect(h.emu.callsTo('conversations.open')).toHaveLength(0);
  });

  it('an upload Slack refuses is reported to the requester, not swallowed', async () => {
    await world();
    h.emu.fault({ method: 'files.completeUploadExternal', error: 'not_allowed_token_type' });
    const { posted } = await exportAs(P.sponsor, 'payments-platform');
    expect(posted).toHaveLength(1);
    expect(posted[0]!.text).toContain('The export could not be sent to your direct messages.');
    expect(h.logs.some((l) => l.includes('export upload failed'))).toBe(true);
  });
});
