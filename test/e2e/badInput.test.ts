/**
 * Anything a user types (or a forged payload carries) may be wrong, hostile or unusual. Driven
 * through the real app over HTTP against the Slack emulator: people get an inline modal error or
 * an ephemeral message saying what to fix, nothing stored is lost or half-written, text is
 * stored exactly as typed, and nothing typed can ping a channel or become a disguised link in
 * what the bot posts.
 */
import { startHarness, waitFor, SIGNING_SECRET, type Harness } from '../support/harness';
import { kickoffForm, kickoffState, kickoffSubmission, type KickoffForm } from '../support/kickoffForm';
import { viewSubmission, type StateValues } from '../../src/sandbox/payloads';
import { formEncode, postToSlackApp, signRequest, type SlackContentType } from '../../src/sandbox/signing';
import { ACTION, BLOCK, CALLBACK } from '../../src/slack/ids';
import manifest from '../../manifests/manifest.json';

type Errors = Record<string, string>;
type Res = { status: number; body: string; json(): unknown };

const CREATE_META = (channelId: string | null = null) => JSON.stringify({ mode: 'create', channelId });
const EDIT_META = (engagementId: number, channelId: string | null = null) => JSON.stringify({ mode: 'edit', engagementId, channelId });

/** What Slack would parse in a message the bot sent: the `text` fallback and every string in `blocks` outside plain_text objects. */
function parsedTexts(args: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (typeof args.text === 'string') out.push(args.text);
  const walk = (node: unknown): void => {
    if (typeof node === 'string') out.push(node);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      if ((node as { type?: unknown }).type === 'plain_text') return; // shown literally by Slack
      Object.values(node).forEach(walk);
    }
  };
  walk(args.blocks);
  return out;
}

/** Tokens that would ping, link or mention if they reached Slack unescaped. */
const LIVE_TOKENS = ['<!channel>', '<!here>', '<!everyone>', '<!subteam', '<https://evil', '<http://evil', '<@U123>', '<#C999>'];

function liveTokensIn(texts: string[]): string[] {
  return texts.flatMap((t) => LIVE_TOKENS.filter((tok) => t.includes(tok)).map((tok) => `${tok} in ${JSON.stringify(t.slice(0, 200))}`));
}

describe('bad input end to end', () => {
  let h: Harness;
  let general: string;

  beforeEach(async () => {
    h = await startHarness({ env: { ADMIN_USER_IDS: 'UADMIN' } });
    general = h.emu.addChannel({ name: 'general' });
  });
  afterEach(async () => h.close());

  const count = (table: string): number => (h.app.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  const counts = () => ({ engagements: count('engagements'), events: count('events'), outbox: count('outbox') });
  const TABLES = ['engagements', 'engagement_coaches', 'pain_points', 'outcomes', 'escalation_levels', 'escalation_contacts', 'announcements', 'events', 'outbox'];
  /** Every row of every table: "nothing changed" means this is equal before and after. */
  const dump = () => Object.fromEntries(TABLES.map((t) => [t, h.app.db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()]));
  const tableNames = () => (h.app.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  /** Calls that change something in Slack. */
  const slackWrites = () => h.emu.calls.filter((c) => /^(chat|conversations|pins|views)\./.test(c.method) && !/^conversations\.(history|replies)$/.test(c.method));
  const botMessages = () => h.emu.calls.filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update');

  async function openModal(user: string, text = ''): Promise<string> {
    const before = h.emu.callsTo('views.open').length;
    const res = await h.command({ command: '/kickoff', text, user_id: user, channel_id: general });
    expect(res.status).toBe(200);
    await waitFor(() => h.emu.callsTo('views.open').length > before, 'views.open');
    return String((h.emu.callsTo('views.open')[before]!.args.view as { private_metadata: string }).private_metadata);
  }

  function submit(form: Partial<KickoffForm>, opts: { user?: string; meta?: string; teamId?: string } = {}): Promise<Res> {
    return h.interact(kickoffSubmission(kickoffForm({ channels: [general], ...form }), { user: opts.user ?? 'USPONSOR', privateMetadata: opts.meta ?? CREATE_META(general), teamId: opts.teamId }));
  }

  function submitState(state: unknown, opts: { user?: string; meta?: string } = {}): Promise<Res> {
    return h.interact(
      viewSubmission({ user: { id: opts.user ?? 'USPONSOR' }, view: { callback_id: CALLBACK.kickoff, private_metadata: opts.meta ?? CREATE_META(general), state_values: state as StateValues } }),
    );
  }

  function inlineErrors(res: Res): Errors {
    expect(res.status).toBe(200);
    const body = res.json() as { response_action?: string; errors?: Errors };
    expect(body.response_action).toBe('errors');
    expect(body.errors).toBeDefined();
    for (const message of Object.values(body.errors ?? {})) {
      expect(message.trim().length).toBeGreaterThan(5);
      expect(message.length).toBeLessThanOrEqual(1000);
    }
    return body.errors as Errors;
  }

  async function kickOffValid(form: Partial<KickoffForm> = {}, user = 'USPONSOR') {
    const meta = await openModal(user);
    const res = await submit(form, { user, meta });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    await h.settle();
    return h.app.db.prepare('SELECT id, key FROM engagements ORDER BY id DESC LIMIT 1').get() as { id: number; key: string };
  }

  // ---------------------------------------------------------------------------------------------

  describe('kickoff modal: missing and oversized fields', () => {
    it('empty fields: an inline error on each required block, saying what to fill in, and nothing stored', async () => {
      const res = await submit({ name: '', level: null, origin: null, requester: null, coaches: [], sponsor: null, painPoints: '', outcomes: '', startDate: null, reviewDate: null, channels: [] });
      const errors = inlineErrors(res);
      expect(Object.keys(errors).sort()).toEqual(
        [BLOCK.kickoffName, BLOCK.kickoffLevel, BLOCK.kickoffOrigin, BLOCK.kickoffCoaches, BLOCK.kickoffPainPoints, BLOCK.kickoffStartDate, BLOCK.kickoffReviewDate, BLOCK.kickoffChannels].sort(),
      );
      expect(errors[BLOCK.kickoffName]).toMatch(/name/i);
      expect(errors[BLOCK.kickoffLevel]).toMatch(/level/i);
      expect(errors[BLOCK.kickoffOrigin]).toMatch(/pull|push/i);
      expect(errors[BLOCK.kickoffCoaches]).toMatch(/coach/i);
      expect(errors[BLOCK.kickoffPainPoints]).toMatch(/pain point/i);
      expect(errors[BLOCK.kickoffStartDate]).toMatch(/start date/i);
      expect(errors[BLOCK.kickoffReviewDate]).toMatch(/review date/i);
      expect(errors[BLOCK.kickoffChannels]).toMatch(/channel/i);
      expect(counts()).toEqual({ engagements: 0, events: 0, outbox: 0 });
      expect(slackWrites()).toHaveLength(0);
    });

    it('whitespace-only fields count as empty', async () => {
      const errors = inlineErrors(await submit({ name: ' \t ', painPoints: '  \n\n \t\n' }));
      expect(Object.keys(errors).sort()).toEqual([BLOCK.kickoffName, BLOCK.kickoffPainPoints].sort());
      expect(counts()).toEqual({ engagements: 0, events: 0, outbox: 0 });
    });

    it('a state with no blocks at all (forged) gets the same inline errors', async () => {
      const errors = inlineErrors(await submitState({}));
      expect(errors).toHaveProperty(BLOCK.kickoffName);
      expect(errors).toHaveProperty(BLOCK.kickoffPainPoints);
      expect(errors).toHaveProperty(BLOCK.kickoffCoaches);
      expect(errors).toHaveProperty(BLOCK.kickoffChannels);
      expect(counts()).toEqual({ engagements: 0, events: 0, outbox: 0 });
    });

    it.each([
      ['name', BLOCK.kickoffName, { name: 'n'.repeat(5000) }],
      ['pain points', BLOCK.kickoffPainPoints, { painPoints: 'p'.repeat(5000) }],
      ['outcomes', BLOCK.kickoffOutcomes, { outcomes: 'o'.repeat(5000) }],
    ] as const)('a 5,000-character %s (beyond Slack’s max_length) is refused inline, saying how long it is and what to do', async (_what, block, form) => {
      const errors = inlineErrors(await submit(form));
      expect(Object.keys(errors)).toEqual([block]);
      expect(errors[block]).toMatch(/5,000 characters/);
      expect(errors[block]).toMatch(/3,000/);
      expect(errors[block]).toMatch(/shorten/i);
      expect(counts()).toEqual({ engagements: 0, events: 0, outbox: 0 });
      expect(slackWrites()).toHaveLength(0);
    });

    it('all three oversized at once: three inline errors in one answer', async () => {
      const multiLine = Array.from({ length: 50 }, (_, i) => `Pain point number ${i} `.padEnd(100, '.')).join('\n'); // 5,049 characters
      const errors = inlineErrors(await submit({ name: 'x'.repeat(5000), painPoints: multiLine, outcomes: 'y'.repeat(5000) }));
      expect(Object.keys(errors).sort()).toEqual([BLOCK.kickoffName, BLOCK.kickoffPainPoints, BLOCK.kickoffOutcomes].sort());
      expect(counts()).toEqual({ engagements: 0, events: 0, outbox: 0 });
    });

    it('within Slack’s limit but over ours: the name, one long line, too many lines', async () => {
      const errors = inlineErrors(
        await submit({
          name: 'N'.repeat(121),
          painPoints: `${'a'.repeat(1001)}\nfine`,
          outcomes: Array.from({ length: 21 }, (_, i) => `Outcome ${i}`).join('\n'),
        }),
      );
      expect(Object.keys(errors).sort()).toEqual([BLOCK.kickoffName, BLOCK.kickoffPainPoints, BLOCK.kickoffOutcomes].sort());
      expect(errors[BLOCK.kickoffName]).toMatch(/121 characters; keep it to 120/);
      expect(errors[BLOCK.kickoffPainPoints]).toMatch(/line 1 is 1,001 characters/i);
      expect(errors[BLOCK.kickoffOutcomes]).toMatch(/21 outcomes; keep it to 20/);
      expect(counts()).toEqual({ engagements: 0, events: 0, outbox: 0 });
    });

    it('counts emoji as one character each, as Slack does: a 120-emoji name is accepted and posted within limits', async () => {
      const name = '🚀'.repeat(120); // 240 UTF-16 units
      const { id } = await kickOffValid({ name, key: 'rockets' });
      expect((await h.app.stores.engagements.get(id))!.name).toBe(name);
      expect(h.emu.messages(general).filter((m) => !m.thread_ts)).toHaveLength(1);
      expect(h.emu.warnings).toEqual([]);
      expect((await h.app.stores.outbox.counts()).parked).toBe(0);
    });
  });

  // ---------------------------------------------------------------------------------------------

  describe('unusual but valid text', () => {
    it('emoji and right-to-left text are stored exactly as typed and announced', async () => {
      const name = 'צוות תשלומים 🚀 فريق الدفع';
      const pain = ['הפריסה לוקחת שלושה שבועות 😩', 'النشر يستغرق ثلاثة أسابيع 🐢', '\u200Fמי אחראי? 👩🏽‍💻 👨‍👩‍👧 🇮🇱'];
      const { id } = await kickOffValid({
        name,
        painPoints: pain.join('\n'),
        outcomes: 'זמן אספקה: 21 -> 5 ימים\nالفريق يدير مراجعاته بنفسه ✅',
        escalation: [
          { name: 'צוות', contacts: [], response: '2' },
          { name: 'البرنامج', contacts: ['UPROGRAM'], response: '3' },
          { name: 'הנהלה 👔', contacts: [], response: '5' },
        ],
      });
      const e = (await h.app.stores.engagements.get(id))!;
      expect(e.name).toBe(name);
      expect(e.painPoints).toEqual(pain);
      expect(e.outcomes).toEqual([
        { text: 'זמן אספקה', metric: { baseline: 21, target: 5, current: null, unit: 'ימים' } },
        { text: 'الفريق يدير مراجعاته بنفسه ✅', metric: null },
      ]);
      expect(e.escalation.map((l) => l.name)).toEqual(['צוות', 'البرنامج', 'הנהלה 👔']);
      expect(e.key).toMatch(/^[a-z0-9-]{2,40}$/); // a usable key even though the name has no Latin letters

      const [announcement] = h.emu.messages(general).filter((m) => !m.thread_ts);
      expect(announcement).toBeDefined();
      expect(announcement!.text).toContain(name);
      for (const p of pain) expect(announcement!.text).toContain(p);
      const blocks = JSON.stringify(announcement!.blocks);
      for (const s of [name, ...pain, 'זמן אספקה', 'الفريق يدير مراجعاته بنفسه ✅', 'البرنامج']) expect(blocks).toContain(s);
      expect(JSON.stringify(h.emu.messages('UCOACH1'))).toContain(name); // the coach's DM
      expect(h.emu.warnings).toEqual([]);
    });

    it('SQL-looking text is stored as typed and every table is intact', async () => {
      const tablesBefore = tableNames();
      const name = "Robert'); DROP TABLE engagements;--";
      const pain = ['" OR 1=1 --', "'; DELETE FROM events; --", 'x\'); UPDATE engagements SET lifecycle = \'cancelled\' WHERE (\'1\'=\'1'];
      const { id } = await kickOffValid({
        name,
        painPoints: pain.join('\n'),
        outcomes: "1' OR '1'='1",
        escalation: [
          { name: "x' OR '1'='1", contacts: [], response: '2' },
          { name: '', contacts: [], response: '' },
          { name: 'Exec"; --', contacts: [], response: '' },
        ],
      });
      const e = (await h.app.stores.engagements.get(id))!;
      expect(e.name).toBe(name);
      expect(e.painPoints).toEqual(pain);
      expect(e.outcomes).toEqual([{ text: "1' OR '1'='1", metric: null }]);
      expect(e.escalation.map((l) => l.name)).toEqual(["x' OR '1'='1", 'Exec"; --']);
      expect(e.lifecycle).toBe('active');
      expect(tableNames()).toEqual(tablesBefore);
      expect(counts().engagements).toBe(1);
      expect((await h.app.stores.events.forEngagement(id)).map((x) => x.type)).toEqual(['kicked_off']);
      expect(JSON.stringify(h.emu.messages(general)[0]!.blocks)).toContain('DROP TABLE engagements');

      // SQL-looking keys are refused, in the modal and in commands.
      const keyErrors = inlineErrors(await submit({ key: "x'; drop table engagements" }));
      expect(Object.keys(keyErrors)).toEqual([BLOCK.kickoffKey]);
      expect(keyErrors[BLOCK.kickoffKey]).toMatch(/lowercase letters, digits/i);
      for (const text of ["edit x');DROP", "edit robert');drop--", "close ' OR 1=1 --"]) {
        const res = await h.command({ command: '/kickoff', text, user_id: 'USPONSOR', channel_id: general });
        expect(res.status).toBe(200);
        expect(res.json()).toMatchObject({ response_type: 'ephemeral' });
        expect(res.body).toMatch(/lowercase letters, digits and dashes/);
      }
      expect(tableNames()).toEqual(tablesBefore);
      expect(counts().engagements).toBe(1);
      expect((await h.app.stores.engagements.get(id))!.lifecycle).toBe('active');
    });
  });

  // ---------------------------------------------------------------------------------------------

  describe('mentions and links typed as text never ping or link', () => {
    const EVIL_NAME = 'Launch <!here> & <@U123> <https://evil.example|your bank>';
    const EVIL_PAIN = [
      '<!channel> the release is blocked',
      'Log in at <https://evil.example|your bank> to see why',
      '<!subteam^S123|@admins> and <@U123> in <#C999> & <http://evil.example>',
    ];
    const EVIL_OUTCOMES = ['<!everyone> is happy', 'Lead time <!here>: 21 -> 5 days <!channel>'];

    it('in the announcement, DMs, confirmation, edit reply and closing note: escaped in text and every mrkdwn, stored as typed', async () => {
      const { id } = await kickOffValid({
        name: EVIL_NAME,
        key: 'launch',
        painPoints: EVIL_PAIN.join('\n'),
        outcomes: EVIL_OUTCOMES.join('\n'),
        escalation: [
          { name: '<!here> team', contacts: [], response: '2' },
          { name: '<https://evil.example|Program>', contacts: ['UPROGRAM'], response: '3' },
          { name: '<!channel>', contacts: [], response: '5' },
        ],
      });
      const e = (await h.app.stores.engagements.get(id))!;
      expect(e.name).toBe(EVIL_NAME);
      expect(e.painPoints).toEqual(EVIL_PAIN);
      expect(e.outcomes.map((o) => o.text)).toEqual(['<!everyone> is happy', 'Lead time <!here>']);
      expect(e.outcomes[1]!.metric).toMatchObject({ baseline: 21, target: 5, unit: 'days <!channel>' });

      // Edit (a "what changed" reply and chat.update) and close (a closing note) with hostile text too.
      const meta = await openModal('UCOACH1', 'edit launch');
      const edited = await submit(
        { name: 'Relaunch <!channel> <https://evil.example|click>', key: 'launch', painPoints: [...EVIL_PAIN, '<!here> again'].join('\n'), outcomes: EVIL_OUTCOMES.join('\n') },
        { user: 'UCOACH1', meta },
      );
      expect(edited.body).toBe('');
      await h.settle();
      // Slack sends command text with &, <, > escaped; the raw form is tried as well.
      const close = await h.command({ command: '/kickoff', text: 'close launch &lt;!channel&gt; done, see <https://evil.example|your bank> <!here>', user_id: 'USPONSOR', channel_id: general });
      expect(close.status).toBe(200);
      await h.settle();

      const messages = botMessages();
      expect(messages.map((c) => c.method)).toEqual(expect.arrayContaining(['chat.postMessage', 'chat.update']));
      expect(messages.length).toBeGreaterThanOrEqual(6); // announcement, DMs, confirmation, reply, update, closing note
      expect(messages.flatMap((c) => liveTokensIn(parsedTexts(c.args)))).toEqual([]);

      // Escaped, not dropped: people still see what was typed.
      const announcement = h.emu.callsTo('chat.postMessage').find((c) => c.args.channel === general)!;
      const shown = parsedTexts(announcement.args).join('\n');
      expect(shown).toContain('&lt;!channel&gt; the release is blocked');
      expect(shown).toContain('&lt;https://evil.example|your bank&gt;');
      expect(shown).toContain('&lt;@U123&gt;');
      expect(String(announcement.args.text)).toContain('&lt;!here&gt;');
      const closing = h.emu.callsTo('chat.postMessage').filter((c) => c.args.channel === general).pop()!;
      expect(parsedTexts(closing.args).join('\n')).toMatch(/&lt;!channel&gt; done/);
      expect(h.emu.warnings).toEqual([]);
    });

    it('in ephemeral answers to /kickoff that quote what was typed', async () => {
      for (const text of ['frobnicate <!channel> <https://evil.example|your bank>', 'frobnicate &lt;!here&gt; &lt;https://evil.example|your bank&gt;', 'close <!channel>']) {
        const res = await h.command({ command: '/kickoff', text, channel_id: general });
        expect(res.status).toBe(200);
        const body = res.json() as { response_type: string; text: string; blocks: unknown[] };
        expect(body.response_type).toBe('ephemeral');
        expect(liveTokensIn(parsedTexts(body as unknown as Record<string, unknown>))).toEqual([]);
      }
    });
  });

  // ---------------------------------------------------------------------------------------------

  describe('/kickoff text that is not a command', () => {
    const ask = async (text: string) => {
      const res = await h.command({ command: '/kickoff', text, user_id: 'USPONSOR', channel_id: general });
      expect(res.status).toBe(200);
      const body = res.json() as { response_type: string; text: string };
      expect(body.response_type).toBe('ephemeral');
      return body.text;
    };

    it.each([
      ['frobnicate', /don.t know `\/kickoff frobnicate`.*\/kickoff help/],
      ['edit', /Usage: \/kickoff edit KEY/],
      ['close', /Usage: \/kickoff close KEY \[note\]/],
      ['EDIT', /Usage: \/kickoff edit KEY/],
      ['edit payments platform', /Usage: \/kickoff edit KEY/],
      ['edit UNKNOWN-KEY', /no engagement with the key `unknown-key`/i],
      ['close UNKNOWN-KEY', /no engagement with the key `unknown-key`/i],
      ['edit Not_A_Key!', /lowercase letters, digits and dashes/],
    ])('`/kickoff %s` answers 200 with an ephemeral message saying what to do', async (text, expected) => {
      expect(await ask(text)).toMatch(expected);
      expect(h.emu.callsTo('views.open')).toHaveLength(0);
      expect(counts()).toEqual({ engagements: 0, events: 0, outbox: 0 });
    });

    it('only suggests commands that exist (the manifest declares them)', async () => {
      const declared = new Set(manifest.features.slash_commands.map((c) => c.command));
      const suggested: string[] = [];
      for (const text of ['frobnicate', 'edit', 'close', 'edit unknown-key', 'close unknown-key', 'edit Not_A_Key!']) {
        const answer = await ask(text);
        for (const m of answer.matchAll(/`(\/[a-z-]+)/g)) if (!declared.has(m[1]!)) suggested.push(`${m[1]} (answer to "/kickoff ${text}": ${answer})`);
      }
      expect(suggested).toEqual([]);
    });
  });

  // ---------------------------------------------------------------------------------------------

  describe('tampered private_metadata', () => {
    let engagementId: number;
    beforeEach(async () => {
      engagementId = (await kickOffValid({ key: 'payments' })).id;
    });

    async function expectNothingChanged(res: Res, message: RegExp) {
      const before = { rows: dump(), writes: slackWrites().length };
      const errors = inlineErrors(res);
      expect(Object.keys(errors)).toEqual([BLOCK.kickoffName]);
      expect(errors[BLOCK.kickoffName]).toMatch(message);
      await h.settle();
      expect(dump()).toEqual(before.rows);
      expect(slackWrites()).toHaveLength(before.writes);
    }

    const hijack: Partial<KickoffForm> = { name: 'Hijacked', key: 'payments', painPoints: 'Taken over', coaches: ['UMALLORY'] };
    const UNREADABLE = /could not be read.*\/kickoff again/;

    it.each([
      ['garbage', 'not json {'],
      ['empty', ''],
      ['JSON of the wrong shape (id as a string)', '{"mode":"edit","engagementId":"1","channelId":null}'],
      ['JSON of the wrong shape (unknown mode)', '{"mode":"delete","engagementId":1,"channelId":null}'],
      ['JSON of the wrong shape (extra field)', '{"mode":"edit","engagementId":1,"channelId":null,"admin":true}'],
      ['JSON of the wrong shape (array)', '[1,2,3]'],
      ['JSON of the wrong shape (bad channel id)', '{"mode":"create","channelId":"\'; DROP"}'],
      ['too long', JSON.stringify({ mode: 'create', channelId: null, pad: 'x'.repeat(3000) })],
    ])('%s: inline error, nothing changed', async (_what, meta) => {
      const before = dump();
      await expectNothingChanged(await submit(hijack, { user: 'USPONSOR', meta }), UNREADABLE);
      expect(dump()).toEqual(before);
    });

    it('an edit of an engagement id that does not exist', async () => {
      await expectNothingChanged(await submit(hijack, { user: 'UADMIN', meta: EDIT_META(engagementId + 1000) }), /no longer exists/);
    });

    it('an edit by someone who is not the sponsor, a coach or an admin (says who can)', async () => {
      const res = await submit(hijack, { user: 'USTRANGER', meta: EDIT_META(engagementId) });
      const errors = inlineErrors(res);
      expect(errors[BLOCK.kickoffName]).toMatch(/Only .*sponsor.*coach.*admin/);
      await h.settle();
      expect(await h.app.stores.engagements.get(engagementId)).toMatchObject({ name: 'Payments platform', coachIds: ['UCOACH1'] });
      await expectNothingChanged(await submit(hijack, { user: 'USTRANGER', meta: EDIT_META(engagementId) }), /Only /);
    });

    it('an edit from another workspace, even by the sponsor’s user id: refused before any listener, nothing changed', async () => {
      const before = { rows: dump(), writes: slackWrites().length };
      const res = await submit(hijack, { user: 'USPONSOR', meta: EDIT_META(engagementId), teamId: 'T0002' });
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: '' });
      await h.settle();
      expect(dump()).toEqual(before.rows);
      expect(slackWrites()).toHaveLength(before.writes);
    });

    it('the untampered edit still works (control)', async () => {
      const meta = await openModal('USPONSOR', 'edit payments');
      expect(JSON.parse(meta)).toEqual({ mode: 'edit', engagementId, channelId: general });
      const res = await submit({ ...hijack, coaches: ['UCOACH1'] }, { user: 'USPONSOR', meta });
      expect(res.body).toBe('');
      expect((await h.app.stores.engagements.get(engagementId))!.name).toBe('Hijacked');
    });
  });

  // ---------------------------------------------------------------------------------------------

  describe('forged state values of the wrong type', () => {
    const valid = () => kickoffState(kickoffForm({ channels: [general] }));
    const set = (state: StateValues, block: string, element: Record<string, unknown>) => {
      state[block] = { [ACTION.value]: element };
      return state;
    };

    it.each([
      ['selected_users is a string', BLOCK.kickoffCoaches, { type: 'multi_users_select', selected_users: 'U1' }, /could not be read/],
      ['selected_users holds a non-id', BLOCK.kickoffCoaches, { type: 'multi_users_select', selected_users: ["U1'; DROP TABLE engagements;--"] }, /Choose people from the list/],
      ['a channel id is SQL', BLOCK.kickoffChannels, { type: 'multi_conversations_select', selected_conversations: ["'; DROP"] }, /Choose channels from the list/],
      ['selected_conversations is a string', BLOCK.kickoffChannels, { type: 'multi_conversations_select', selected_conversations: 'C0001' }, /could not be read/],
      ['a text value is a number', BLOCK.kickoffName, { type: 'plain_text_input', value: 42 }, /could not be read/],
      ['a text value is an object', BLOCK.kickoffPainPoints, { type: 'plain_text_input', value: { $gt: '' } }, /could not be read/],
      ['selected_option is a string', BLOCK.kickoffLevel, { type: 'radio_buttons', selected_option: 'team' }, /could not be read/],
      ['selected_option is not a level', BLOCK.kickoffLevel, { type: 'radio_buttons', selected_option: { value: 'galaxy' } }, /Choose a coaching level/],
      ['selected_user is not an id', BLOCK.kickoffSponsor, { type: 'users_select', selected_user: "'; DROP TABLE" }, /Choose a person from the list/],
      ['selected_date is not a date', BLOCK.kickoffStartDate, { type: 'datepicker', selected_date: 'tomorrow' }, /Pick a date from the calendar/],
      ['selected_date does not exist', BLOCK.kickoffReviewDate, { type: 'datepicker', selected_date: '2027-02-30' }, /Pick a date from the calendar/],
      ['selected_options is an object', BLOCK.kickoffCreateChannel, { type: 'checkboxes', selected_options: { value: 'create' } }, /could not be read/],
    ])('%s: inline error on that block, status 200, nothing stored', async (_what, block, element, message) => {
      const res = await submitState(set(valid(), block, element));
      const errors = inlineErrors(res);
      expect(errors).toHaveProperty(block);
      expect(errors[block]).toMatch(message);
      expect(counts()).toEqual({ engagements: 0, events: 0, outbox: 0 });
      expect(slackWrites()).toHaveLength(0);
    });

    it('a block that is not an object, or values that are not a map, are treated as empty', async () => {
      const state = valid() as Record<string, unknown>;
      state[BLOCK.kickoffPainPoints] = 'pain';
      state[BLOCK.kickoffCoaches] = [['U1']];
      const errors = inlineErrors(await submitState(state));
      expect(Object.keys(errors).sort()).toEqual([BLOCK.kickoffCoaches, BLOCK.kickoffPainPoints].sort());
      for (const values of ['garbage', 42, [], null]) {
        const all = inlineErrors(await submitState(values));
        expect(all).toHaveProperty(BLOCK.kickoffName);
      }
      expect(counts()).toEqual({ engagements: 0, events: 0, outbox: 0 });
    });

    it('a view without state (forged): inline error within Slack’s 3 seconds, not a timeout', async () => {
      const payload = viewSubmission({ user: { id: 'USPONSOR' }, view: { callback_id: CALLBACK.kickoff, private_metadata: CREATE_META(general) } });
      (payload.view as Record<string, unknown>).state = null;
      const started = Date.now();
      const res = await h.interact(payload);
      expect({ status: res.status, ms: Date.now() - started < 3000 }).toEqual({ status: 200, ms: true });
      const errors = inlineErrors(res);
      expect(errors).toHaveProperty(BLOCK.kickoffName);
      expect(counts()).toEqual({ engagements: 0, events: 0, outbox: 0 });
    });

    it('the app still stores a valid submission after all of that', async () => {
      await submitState(set(valid(), BLOCK.kickoffCoaches, { selected_users: 'U1' }));
      await submitState(set(valid(), BLOCK.kickoffChannels, { selected_conversations: ["'; DROP"] }));
      const res = await submitState(valid());
      expect(res.status).toBe(200);
      expect(res.body).toBe('');
      expect(counts().engagements).toBe(1);
    });
  });

  // ---------------------------------------------------------------------------------------------

  describe('request bodies that are not what Slack sends (correctly signed)', () => {
    const post = (body: string, contentType: string) => postToSlackApp(`${h.base}/slack/events`, SIGNING_SECRET, body, contentType as SlackContentType);

    async function expectAnswered(body: string, contentType: string, status: number) {
      const started = Date.now();
      const res = await post(body, contentType);
      expect(res.status).toBe(status);
      expect(Date.now() - started).toBeLessThan(3000); // Slack gives up after 3 s
      expect(counts()).toEqual({ engagements: 0, events: 0, outbox: 0 });
      expect(slackWrites()).toHaveLength(0);
    }

    async function expectStillServing() {
      const meta = await openModal('USPONSOR');
      const res = await submit({}, { meta });
      expect(res.body).toBe('');
      expect(counts().engagements).toBe(1);
    }

    it('broken JSON in the payload= field: 400 at once (Bolt cannot parse it), and the next request works', async () => {
      const json = JSON.stringify(kickoffSubmission(kickoffForm({ channels: [general] }), { user: 'USPONSOR', privateMetadata: CREATE_META() }));
      await expectAnswered(formEncode({ payload: json.slice(0, -10) }), 'application/x-www-form-urlencoded', 400);
      await expectAnswered(formEncode({ payload: '{"type":"view_submission",' }), 'application/x-www-form-urlencoded', 400);
      await expectAnswered(formEncode({ payload: '' }), 'application/x-www-form-urlencoded', 400);
      await expectStillServing();
    });

    it('a body that is not form-encoded: 400 at once, and the next request works', async () => {
      await expectAnswered('this is not a form', 'text/plain', 400);
      await expectAnswered('{not json', 'application/json', 400);
      // Slack never adds a charset; Bolt compares the content-type exactly and then fails to parse it as JSON.
      const form = formEncode({ payload: JSON.stringify(kickoffSubmission(kickoffForm({ channels: [general] }), { user: 'USPONSOR', privateMetadata: CREATE_META() })) });
      await expectAnswered(form, 'application/x-www-form-urlencoded; charset=utf-8', 400);
      await expectStillServing();
    });

    it('an object that is no Slack request: an empty 200 at once (the admission gate), nothing acted on', async () => {
      await expectAnswered('', 'application/x-www-form-urlencoded', 200);
      await expectAnswered('{}', 'application/json', 200);
      await expectStillServing();
    });

    it('a view_submission without a view, or without a user: an empty 200 before Bolt reads it (never 500); nothing stored', async () => {
      const full = kickoffSubmission(kickoffForm({ channels: [general] }), { user: 'USPONSOR', privateMetadata: CREATE_META() }) as Record<string, unknown>;
      await expectAnswered(formEncode({ payload: JSON.stringify({ ...full, view: null }) }), 'application/x-www-form-urlencoded', 200);
      await expectAnswered(formEncode({ payload: JSON.stringify({ ...full, user: null }) }), 'application/x-www-form-urlencoded', 200);
      await expectStillServing();
    });

    it.each(['null', '"hello"', '42', '[]'])(
      'payload=%s (JSON, but not an object): 400 at once, no unhandled rejection, and the next request works',
      async (payload) => {
        // Bolt 5.1's HTTPReceiver reads body.ssl_check unguarded: `null` used to leave the request
        // hanging with an unhandled rejection (a crash under Node's default), strings and arrays got a 404 after 1 s.
        const rejections: unknown[] = [];
        const onRejection = (reason: unknown) => rejections.push(reason);
        process.on('unhandledRejection', onRejection);
        try {
          const body = formEncode({ payload });
          const started = Date.now();
          const res = await fetch(`${h.base}/slack/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', ...signRequest(SIGNING_SECRET, body) },
            body,
            signal: AbortSignal.timeout(2500),
          }).then(
            (r) => r.status,
            (err: unknown) => `no answer: ${String(err)}`,
          );
          expect(res).toBe(400);
          expect(Date.now() - started).toBeLessThan(500);
          expect(rejections.map(String)).toEqual([]);
        } finally {
          process.off('unhandledRejection', onRejection);
        }
        expect(counts()).toEqual({ engagements: 0, events: 0, outbox: 0 });
        expect(slackWrites()).toHaveLength(0);
        await expectStillServing();
      },
    );
  });
});
