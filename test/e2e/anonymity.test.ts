/**
 * Anonymous, for real. Known users raise anonymous impediments through the modal (with error
 * paths and a failing Slack), follow them up with their code and reply anonymously. Then every
 * place a Slack id could end up is searched: the SQLite file with its -wal and -shm (raw bytes,
 * and every column of every table), every log line (LOG_LEVEL=debug), and everything the
 * emulator received. A named reporter is the positive control: the same scan finds them.
 */
import fs from 'node:fs';
import { BLOCK, CALLBACK } from '../../src/slack/ids';
import { appHomeOpened, messageShortcut } from '../../src/sandbox/payloads';
import { encodeRaiseMetadata } from '../../src/slack/input/impedimentInput';
import { startHarness, waitFor, type Harness } from '../support/harness';
import {
  FOLLOW_UP_CODE,
  codeFromUpdate,
  emulatorTraffic,
  everyRow,
  fileHits,
  hits,
  kickOff,
  openRaiseModal,
  raiseSubmission,
  textOf,
  type Person,
} from '../support/anonHelpers';

const R1: Person = { id: 'UANONREPORTER1', name: 'quiet.fox.q7' };
const R2: Person = { id: 'UANONREPORTER2', name: 'silent.owl.k3' };
const R3: Person = { id: 'UANONREPORTER3', name: 'hidden.lynx.z9' };
const R4: Person = { id: 'UANONREPORTER4', name: 'shy.heron.w2' };
const R5: Person = { id: 'UANONREPORTER5', name: 'masked.otter.v8' };
const R6: Person = { id: 'UANONREPORTER6', name: 'veiled.crane.m5' };
const REPORTERS = [R1, R2, R3, R4, R5, R6];
const REAL_NAMES: Record<string, string> = {
  [R1.id]: 'Quinta Foxglove',
  [R2.id]: 'Silas Owlbridge',
  [R3.id]: 'Hedda Lynxworth',
  [R4.id]: 'Shona Heronsby',
  [R5.id]: 'Mason Otterley',
  [R6.id]: 'Vera Cranemoor',
};
/** Positive control: raises in their own name, so the same scan must find them. */
const NAMED: Person = { id: 'UNAMEDCONTROL7', name: 'named.control.p4' };

/** Every string that identifies one of the anonymous reporters. */
const NEEDLES = REPORTERS.flatMap((r) => [r.id, r.name, REAL_NAMES[r.id] as string]);

const HH_MM = /\b\d{1,2}:\d{2}\b/;

describe('anonymous impediments leave no trace of who raised them', () => {
  let h: Harness;
  /** The root logger's level right after start (LOG_LEVEL=debug was configured). */
  let levelAfterStart: string;
  let general: string;
  let channel: string;
  let main: { id: number; key: string };
  let closing: { id: number; key: string };
  const codes: Record<string, string> = {};

  /** Submits the raise modal as `who`, opened with `/impediment` in `where`. */
  async function raise(who: Person, where: string, description: string, engagementId: number, anonymous = true) {
    const { meta } = await openRaiseModal(h, who, where);
    return h.interact(raiseSubmission(who, meta, { engagementId, description, severity: 'high', anonymous }));
  }
  const follow = (who: Person, text: string) =>
    h.command({ command: '/impediment', text: `follow ${text}`, user_id: who.id, user_name: who.name, channel_id: channel });
  const impByDescription = (marker: string) =>
    h.app.db.prepare('SELECT * FROM impediments WHERE description LIKE ?').get(`%${marker}%`) as
      | { id: number; number: number; anonymous: number; reporter_id: string | null; followup_hash: string | null; source: string }
      | undefined;
  const cardOf = (ref: string) => h.emu.messages(channel).filter((m) => !m.thread_ts && m.text.includes(`${ref} `));

  beforeAll(async () => {
    h = await startHarness({ env: { ADMIN_USER_IDS: 'UADMIN', DEFAULT_TIMEZONE: 'Europe/Berlin' } });
    // Bolt calls setLevel on the logger it is given; LOG_LEVEL=debug must survive that, or the
    // scan below would silently miss every debug line (see the first test).
    levelAfterStart = String(h.app.logger.getLevel());
    for (const r of [...REPORTERS, NAMED]) h.emu.addUser({ id: r.id, name: r.name, realName: REAL_NAMES[r.id] ?? 'Nadia Named', tz: 'Europe/Berlin' });
    general = h.emu.addChannel({ name: 'general' });
    const e = await kickOff(h, { key: 'payments-platform', channels: [general], createChannel: true, channelName: 'coaching-payments' }, { channel: general });
    expect(e.engagementChannelId).toMatch(/^C/);
    channel = e.engagementChannelId as string;
    main = e;
    closing = await kickOff(h, { key: 'closing-soon', name: 'Closing soon', channels: [general] }, { channel: general });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('LOG_LEVEL=debug is in effect after start (Bolt must not turn the shared logger down to info)', () => {
    expect(h.app.config.logLevel).toBe('debug');
    expect(levelAfterStart).toBe('debug');
  });

  it('raises through the modal only: the code comes back in the view_submission response, nothing is sent to the reporter by the bot', async () => {
    const { view } = await openRaiseModal(h, R1, channel);
    expect(JSON.stringify(view)).toContain(BLOCK.impAnonymous); // anonymity is offered in the modal

    const ephemeralsBefore = h.emu.callsTo('chat.postEphemeral').length;
    const res = await raise(R1, channel, 'Every firewall change waits two weeks for the approval board', main.id);
    expect(res.status).toBe(200);
    const body = res.json() as { response_action: string; view: { title: { text: string }; blocks: unknown[] } };
    expect(body.response_action).toBe('update');
    expect(body.view.title.text).toBe('Raised anonymously');
    codes[R1.id] = codeFromUpdate(body);
    expect(codes[R1.id]).toMatch(/^F1-/);
    await h.settle();

    const row = impByDescription('firewall change')!;
    expect(row).toMatchObject({ anonymous: 1, reporter_id: null, source: 'modal' });
    // A slow salted hash: scrypt parameters, salt and key; never the code or its secret part.
    expect(row.followup_hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
    expect(row.followup_hash).not.toContain(codes[R1.id]);
    expect(row.followup_hash).not.toContain(codes[R1.id].replace(/^F\d+-/, ''));
    expect(row.followup_hash).not.toContain(codes[R1.id].replace(/^F\d+-/, '').replace(/-/g, ''));
    const events = await h.app.stores.events.forImpediment(row.id);
    expect(events.map((ev) => [ev.type, ev.actorId])).toEqual([['impediment_raised', null]]);
    // The confirmation was the modal itself: no ephemeral message, no DM to the reporter.
    expect(h.emu.callsTo('chat.postEphemeral').length).toBe(ephemeralsBefore);
    expect(h.emu.messages(R1.id)).toEqual([]);
  });

  it('the anonymous card says "anonymous" and shows the raise day, never the minute', async () => {
    const cards = await cardOf('IMP-1');
    expect(cards).toHaveLength(1);
    const card = textOf(cards[0]);
    expect(card).toContain('*Reporter*\\nanonymous');
    const raised = /\*Raised\*\\n(<!date\^(\d+)\^([^|]+)\|([^>]+)>)/.exec(card);
    expect(raised).not.toBeNull();
    const [, , unix, format, fallbackText] = raised!;
    expect(format).toBe('{date_short_pretty}');
    expect(fallbackText).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // The token carries noon of that day in the workspace's zone, not the instant of raising.
    const noonBerlin = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(Number(unix) * 1000));
    expect(noonBerlin).toBe('12:00');
    expect(card).not.toContain('{time}');
    expect(card).not.toMatch(HH_MM);
  });

  it('an invalid anonymous submission (empty description) is refused inline and stores nothing; the corrected one works', async () => {
    const count = () => (h.app.db.prepare('SELECT COUNT(*) AS n FROM impediments').get() as { n: number }).n;
    const before = count();
    const bad = await raise(R2, channel, '   ', main.id);
    expect(bad.status).toBe(200);
    expect(bad.json()).toEqual({ response_action: 'errors', errors: { [BLOCK.impDescription]: 'Say what is blocking you' } });
    expect(count()).toBe(before);
    const good = await raise(R2, channel, 'Nobody can merge on Fridays because the pipeline is frozen', main.id);
    codes[R2.id] = codeFromUpdate(good.json());
    expect(count()).toBe(before + 1);
    await h.settle();
  });

  it('a submission for an engagement closed meanwhile is refused inline and stores nothing', async () => {
    const { meta } = await openRaiseModal(h, R3, general);
    const closed = await h.command({ command: '/kickoff', text: `close ${closing.key}`, user_id: 'USPONSOR', channel_id: general });
    expect(closed.body).toMatch(/completed/);
    const res = await h.interact(raiseSubmission(R3, meta, { engagementId: closing.id, description: 'Stand-ups run an hour', severity: 'low', anonymous: true }));
    const body = res.json() as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors[BLOCK.impEngagement]).toMatch(/closing-soon.*completed/);
    expect(h.app.db.prepare('SELECT COUNT(*) AS n FROM impediments WHERE engagement_id = ?').get(closing.id)).toEqual({ n: 0 });
    await h.settle();
  });

  it('delivers the card exactly once while Slack answers 500 twice and then drops the connection after posting', async () => {
    const marker = 'flaky-card-marker';
    const match = (args: Record<string, unknown>) => JSON.stringify(args).includes(marker);
    h.emu.fault({ method: 'chat.postMessage', status: 500, times: 2, match });
    const dropped = h.emu.fault({ method: 'chat.postMessage', drop: 'after', times: 1, match });
    const res = await raise(R4, channel, `Test data is reset every night (${marker})`, main.id);
    codes[R4.id] = codeFromUpdate(res.json());
    await h.settle();
    expect(dropped.hits).toBe(1);
    const ref = `IMP-${impByDescription(marker)!.number}`;
    expect(await cardOf(ref)).toHaveLength(1);
    expect(textOf((await cardOf(ref))[0])).toContain('anonymous');
    expect(h.emu.calls.filter((c) => c.method === 'chat.postMessage' && match(c.args)).length).toBeGreaterThanOrEqual(3);
  });

  it('a card Slack refuses for good is parked and the sponsor is told, without any reporter in the notice', async () => {
    const marker = 'parked-card-marker';
    h.emu.fault({ method: 'chat.postMessage', error: 'is_archived', times: 1, match: (args) => JSON.stringify(args).includes(marker) });
    const res = await raise(R5, channel, `Security review has no owner (${marker})`, main.id);
    codes[R5.id] = codeFromUpdate(res.json());
    await h.settle();
    const parked = h.app.db.prepare(`SELECT kind FROM outbox WHERE status = 'parked'`).all() as { kind: string }[];
    expect(parked.map((p) => p.kind)).toEqual(['impediment_card']);
    const notices = h.emu.messages('USPONSOR').filter((m) => textOf(m).includes('impediment card'));
    expect(notices).toHaveLength(1);
  });

  it('the message shortcut works anonymously too: the card links the message, not the person who raised it', async () => {
    const msg = h.emu.addMessage(channel, { user: 'UCOLLEAGUE', text: 'The build farm was down again for half the day' });
    const before = h.emu.callsTo('views.open').length;
    await h.interact(messageShortcut({ callback_id: CALLBACK.raiseShortcut, user: { id: R6.id, name: R6.name }, channel: { id: channel, name: 'coaching-payments' }, message: { ts: msg.ts, text: msg.text, user: 'UCOLLEAGUE' } }));
    await waitFor(() => h.emu.callsTo('views.open').length > before, 'views.open for the shortcut');
    const view = h.emu.callsTo('views.open')[before].args.view as { private_metadata: string };
    expect(JSON.parse(view.private_metadata)).toMatchObject({ source: 'shortcut', permalink: expect.stringMatching(/^https:\/\//) });
    const res = await h.interact(raiseSubmission(R6, view.private_metadata, { engagementId: main.id, description: 'The build farm was down again for half the day', severity: 'medium', anonymous: true }));
    codes[R6.id] = codeFromUpdate(res.json());
    await h.settle();
    const imp = impByDescription('build farm')!;
    expect(imp).toMatchObject({ anonymous: 1, reporter_id: null, source: 'shortcut' });
    const card = textOf((await cardOf(`IMP-${imp.number}`))[0]);
    expect(card).toContain('Raised from a message');
    expect(card).toContain('*Reporter*\\nanonymous');
  });

  it('follow CODE shows the answers in the card’s thread (also typed in lower case), even if reading the thread fails once', async () => {
    const card = (await cardOf('IMP-1'))[0];
    h.emu.addMessage(channel, { user: 'UCOACH1', text: 'Thanks for raising this. Which approval board is it?', thread_ts: card.ts });
    const res = await follow(R1, codes[R1.id]);
    expect(res.status).toBe(200);
    const body = res.json() as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(res.body).toContain('IMP-1');
    expect(res.body).toContain('Which approval board is it?');
    expect(res.body).toContain('<@UCOACH1>');

    const lower = await follow(R1, codes[R1.id].toLowerCase());
    expect(lower.body).toContain('Which approval board is it?');

    // Slack fails every try of conversations.replies: the answer still comes, without the thread.
    const failing = h.emu.fault({ method: 'conversations.replies', status: 500, times: Infinity });
    const degraded = await follow(R1, codes[R1.id]);
    failing.cancel();
    expect(degraded.status).toBe(200);
    expect(degraded.body).toContain('IMP-1');
    expect(failing.hits).toBeGreaterThanOrEqual(1);
    expect(h.logs.some((l) => l.includes('could not read an impediment thread'))).toBe(true);

    // A code whose card never reached Slack answers too, with nothing in its thread.
    const parked = await follow(R5, codes[R5.id]);
    expect(parked.body).toContain('No answers in its thread yet');
  });

  it('follow CODE reply posts the reply in the thread as "reporter (anonymous)", with no actor on the event', async () => {
    const card = (await cardOf('IMP-1'))[0];
    const res = await follow(R1, `${codes[R1.id]} The change advisory board, it meets on Tuesdays`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('IMP-1');
    await h.settle();
    const thread = h.emu.messages(channel).filter((m) => m.thread_ts === card.ts);
    const replies = thread.filter((m) => m.text.includes('reporter (anonymous)'));
    expect(replies).toHaveLength(1);
    expect(replies[0].text).toContain('The change advisory board, it meets on Tuesdays');
    expect(replies[0].user).toBe(h.emu.botUserId);
    const imp = impByDescription('firewall change')!;
    const events = await h.app.stores.events.forImpediment(imp.id);
    expect(events.filter((ev) => ev.type === 'impediment_anonymous_reply').map((ev) => ev.actorId)).toEqual([null]);
    // The reporter sees their own reply among the answers next time.
    const again = await follow(R1, codes[R1.id]);
    expect(again.body).toContain('reporter (anonymous)');

    // Anonymity is no licence to ping: mentions in a reply are shown, not sent.
    await follow(R1, `${codes[R1.id].replace(/-/g, '')} <!channel> and <@UCOACH1> please look`); // compact code form works too
    await h.settle();
    const pinged = h.emu.messages(channel).filter((m) => m.thread_ts === card.ts && m.text.includes('please look'));
    expect(pinged).toHaveLength(1);
    expect(textOf(pinged[0])).not.toContain('<!channel>');
    expect(textOf(pinged[0])).not.toContain('<@UCOACH1>');
  });

  it('nobody else can get at the code or the reporter: an admin listing the engagement sees neither', async () => {
    const res = await h.command({ command: '/impediment', text: `list ${main.key}`, user_id: 'UADMIN', channel_id: general });
    expect(res.body).toContain('IMP-1');
    expect(res.body).not.toMatch(FOLLOW_UP_CODE);
    for (const n of NEEDLES) expect(hits(res.body, n)).toEqual([]);
  });

  it('wrong codes get clear answers and change nothing; a lost code cannot be recovered', async () => {
    const notACode = /That is not a follow-up code\. Follow-up codes look like F12-ABCD-EFGH-JKMN/;
    for (const wrong of ['hello', 'F1', 'F1-ABCD-EFGH', 'F0-ABCD-EFGH-JKMN', 'F1-ABCD-EFGH-JKM0', 'IMP-1', 'F1-ABCD-EFGH-JKMN-PQRS', `F1-${'A'.repeat(90)}`]) {
      const res = await follow(R1, wrong);
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({ response_type: 'ephemeral' });
      expect(res.body).toMatch(notACode);
    }
    const missing = await h.command({ command: '/impediment', text: 'follow', user_id: R1.id, user_name: R1.name, channel_id: channel });
    expect(missing.body).toContain('Usage: /impediment follow CODE [your reply]');

    // Right shape, wrong secret; the right secret on another number; a number that does not exist: the same answer.
    const secret = codes[R1.id].replace(/^F\d+-/, '');
    const flipped = codes[R1.id].slice(0, -1) + (codes[R1.id].endsWith('A') ? 'B' : 'A');
    const r4Number = impByDescription('flaky-card-marker')!.number;
    const threadBefore = h.emu.callsTo('chat.postMessage').length;
    const eventsBefore = (h.app.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    for (const wrong of [flipped, `F${r4Number}-${secret}`, `F999-${secret}`]) {
      const res = await follow(R1, `${wrong} this reply must not be posted`);
      expect(res.body).toMatch(/does not match any impediment/);
      expect(res.body).toMatch(/cannot be recovered/);
    }
    await h.settle();
    expect(h.emu.callsTo('chat.postMessage').length).toBe(threadBefore);
    expect((h.app.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n).toBe(eventsBefore);
  });

  it('an escalation DM about an anonymous impediment shows days only and names nobody as reporter', async () => {
    const res = await h.command({ command: '/impediment', text: 'escalate IMP-1 needs a decision from the program', user_id: 'UCOACH1', channel_id: channel });
    expect(res.body).toMatch(/escalated to level 2/);
    await h.settle();
    const dm = h.emu.messages('UPROGRAM').filter((m) => textOf(m).includes('IMP-1'));
    expect(dm).toHaveLength(1);
    const text = textOf(dm[0]);
    expect(text).toContain('raised anonymously');
    expect(text).not.toContain('{time}');
    expect(text).not.toMatch(HH_MM);
  });

  it('a raise from App Home does not say so on the card, and no stored time of a request or a Home visit is finer than the day', async () => {
    await h.event(appHomeOpened(R6.id));
    await h.settle();
    const res = await h.interact(raiseSubmission(R6, encodeRaiseMetadata({ source: 'button' }), { engagementId: main.id, description: 'Raised from my Home tab', severity: 'medium', anonymous: true }));
    expect(res.status).toBe(200);
    await h.settle();
    const imp = impByDescription('Raised from my Home tab')!;
    expect(imp.source).toBe('button');
    const card = cardOf(`IMP-${imp.number}`);
    expect(card).toHaveLength(1);
    expect(textOf(card[0]!)).not.toContain('App Home');
    expect(textOf(card[0]!)).toContain('Raised anonymously');
    const times = [
      ...(h.app.db.prepare('SELECT created_at AS t FROM processed_requests').all() as { t: string }[]),
      ...(h.app.db.prepare('SELECT opened_at AS t FROM home_views').all() as { t: string }[]),
    ].map((r) => r.t);
    expect(times.length).toBeGreaterThan(1);
    for (const t of times) expect(t).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('the positive control: a named reporter is found by the same scan', async () => {
    const res = await raise(NAMED, channel, 'Named control impediment', main.id, false);
    expect(res.body).toBe('');
    await h.settle();
    expect(impByDescription('Named control')!.reporter_id).toBe(NAMED.id);
  });

  describe('after the app stopped', () => {
    const found: Record<string, string[]> = {};
    let rowsWhileRunning: { table: string; row: string }[] = [];
    let logs = '';
    let traffic: string[] = [];
    let walWhileRunning = false;
    const needles = [...NEEDLES, NAMED.id];

    beforeAll(async () => {
      await h.settle();
      rowsWhileRunning = everyRow(h.app.db);
      walWhileRunning = fs.existsSync(`${h.dbFile}-wal`) && fs.statSync(`${h.dbFile}-wal`).size > 0;
      const add = (where: string, list: string[]) => (found[where] = [...(found[where] ?? []), ...list]);
      for (const n of needles) add(n, fileHits(h.dbFile, [n]).map((x) => `running ${x.file}@${x.at}: ${x.needle}`));
      await h.app.stop(); // flushes the outbox, checkpoints the WAL, closes the database
      for (const n of needles) add(n, fileHits(h.dbFile, [n]).map((x) => `stopped ${x.file}@${x.at}: ${x.needle}`));
      logs = h.logs.join('\n');
      traffic = emulatorTraffic(h);
    });

    it('the scan is not blind: the named reporter is in the database (and the debug logs show what they got)', () => {
      expect(found[NAMED.id]!.length).toBeGreaterThan(0);
      expect(rowsWhileRunning.some((r) => r.table === 'impediments' && r.row.includes(NAMED.id))).toBe(true);
      expect(h.logs.length).toBeGreaterThan(50); // debug: plenty of lines were written
      expect(h.logs.some((l) => l.includes('http request body'))).toBe(true); // the Web API client's debug lines are in
      expect(traffic.length).toBeGreaterThan(20);
      expect(traffic.some((t) => t.includes(NAMED.id))).toBe(true); // their ephemeral confirmation
      expect(walWhileRunning).toBe(true); // the -wal file was there to be scanned
    });

    it.each(REPORTERS.map((r) => [r.id, r]))('no trace of %s in the SQLite file, its -wal or -shm, or any column of any table', (_id, r) => {
      for (const n of [r.id, r.name, REAL_NAMES[r.id] as string]) {
        expect(found[n]).toEqual([]);
        expect(rowsWhileRunning.filter((row) => row.row.toLowerCase().includes(n.toLowerCase()))).toEqual([]);
      }
    });

    it.each(REPORTERS.map((r) => [r.id, r]))('no trace of %s in any log line or anything the emulator received', (_id, r) => {
      for (const n of [r.id, r.name, REAL_NAMES[r.id] as string]) {
        expect(hits(logs, n)).toEqual([]);
        expect(traffic.flatMap((t) => hits(t, n))).toEqual([]);
      }
    });

    it('the follow-up codes exist only as salted hashes: not in the database, the logs, or anything sent to Slack', () => {
      const all = Object.values(codes);
      expect(all).toHaveLength(5); // R1, R2, R4, R5, R6 (R3's engagement was closed)
      const secrets = all.flatMap((c) => [c, c.replace(/^F\d+-/, ''), c.replace(/^F\d+-/, '').replace(/-/g, '')]);
      expect(fileHits(h.dbFile, secrets)).toEqual([]);
      expect(rowsWhileRunning.filter((row) => secrets.some((s) => row.row.includes(s)))).toEqual([]);
      expect(traffic.filter((t) => secrets.some((s) => t.includes(s)))).toEqual([]);
      expect(secrets.flatMap((s) => hits(logs, s))).toEqual([]);
    });
  });
});
