import { ACTION, BLOCK, CREATE_CHANNEL_OPTION, ESCALATION_BLOCKS } from '../../../src/slack/ids';
import {
  decodeCommandText,
  duplicateKeyErrors,
  encodeKickoffMetadata,
  parseKickoffCommand,
  parseKickoffMetadata,
  parseKickoffSubmission,
  type KickoffSubmission,
} from '../../../src/slack/input/kickoffView';

const ctx = { submitterId: 'USUBMIT', today: '2026-11-20' };

interface Form {
  name: string | null;
  key: string | null;
  level: string | null;
  origin: string | null;
  requester: string | null;
  coaches: string[];
  sponsor: string | null;
  painPoints: string | null;
  outcomes: string | null;
  escalation: { name?: string | null; contacts?: string[]; response?: string | null }[];
  start: string | null;
  review: string | null;
  channels: string[];
  createChannel: boolean;
  channelName: string | null;
}

const good: Form = {
  name: 'Payments platform',
  key: null,
  level: 'team',
  origin: 'pull',
  requester: 'UREQ',
  coaches: ['UC1', 'UC2'],
  sponsor: null,
  painPoints: 'Releases take three weeks\n\n  Nobody owns the backlog  \n',
  outcomes: 'Lead time: 12 -> 5 days\nTeam runs its own retros',
  escalation: [{}, {}, {}],
  start: '2026-11-23',
  review: '2027-02-21',
  channels: ['CANNOUNCE'],
  createChannel: false,
  channelName: null,
};

/** `view.state.values` shaped exactly as Slack sends it (empty optional text is `null`). */
function values(overrides: Partial<Form> = {}): Record<string, Record<string, unknown>> {
  const f = { ...good, ...overrides };
  const el = (type: string, body: Record<string, unknown>) => ({ [ACTION.value]: { type, ...body } });
  const text = (v: string | null) => el('plain_text_input', { value: v });
  const opt = (v: string | null) => el('radio_buttons', { selected_option: v === null ? null : { text: { type: 'plain_text', text: v }, value: v } });
  const v: Record<string, Record<string, unknown>> = {
    [BLOCK.kickoffName]: text(f.name),
    [BLOCK.kickoffKey]: text(f.key),
    [BLOCK.kickoffLevel]: opt(f.level),
    [BLOCK.kickoffOrigin]: opt(f.origin),
    [BLOCK.kickoffRequester]: el('users_select', { selected_user: f.requester }),
    [BLOCK.kickoffCoaches]: el('multi_users_select', { selected_users: f.coaches }),
    [BLOCK.kickoffSponsor]: el('users_select', { selected_user: f.sponsor }),
    [BLOCK.kickoffPainPoints]: text(f.painPoints),
    [BLOCK.kickoffOutcomes]: text(f.outcomes),
    [BLOCK.kickoffStartDate]: el('datepicker', { selected_date: f.start }),
    [BLOCK.kickoffReviewDate]: el('datepicker', { selected_date: f.review }),
    [BLOCK.kickoffChannels]: el('multi_conversations_select', { selected_conversations: f.channels }),
    [BLOCK.kickoffCreateChannel]: el('checkboxes', { selected_options: f.createChannel ? [{ value: CREATE_CHANNEL_OPTION }] : [] }),
    [BLOCK.kickoffChannelName]: text(f.channelName),
  };
  ESCALATION_BLOCKS.forEach((ids, i) => {
    const s = f.escalation[i] ?? {};
    v[ids.name] = text(s.name ?? null);
    v[ids.contacts] = el('multi_users_select', { selected_users: s.contacts ?? [] });
    v[ids.response] = text(s.response ?? null);
  });
  return v;
}

function ok(r: KickoffSubmission) {
  if (!r.ok) throw new Error(`expected a valid submission, got ${JSON.stringify(r.errors)}`);
  return r;
}
function errors(r: KickoffSubmission): Record<string, string> {
  if (r.ok) throw new Error('expected errors');
  return r.errors;
}

describe('parseKickoffSubmission: good input', () => {
  it('applies every default', () => {
    const r = ok(parseKickoffSubmission(values(), ctx));
    expect(r.keyWasDerived).toBe(true);
    expect(r.draft).toEqual({
      name: 'Payments platform',
      key: 'payments-platform',
      level: 'team',
      origin: 'pull',
      requestedBy: 'UREQ',
      sponsorId: 'USUBMIT',
      coachIds: ['UC1', 'UC2'],
      teamIds: [],
      associatesConfirmed: false,
      painPoints: ['Releases take three weeks', 'Nobody owns the backlog'],
      outcomes: [
        { text: 'Lead time', metric: { baseline: 12, target: 5, current: null, unit: 'days' } },
        { text: 'Team runs its own retros', metric: null },
      ],
      escalation: [
        { level: 1, name: 'Team', contactIds: ['UC1', 'UC2'], responseTime: 2, responseUnit: 'business_days' },
        { level: 2, name: 'Executive', contactIds: ['USUBMIT'], responseTime: 5, responseUnit: 'business_days' },
      ],
      startDate: '2026-11-23',
      reviewDate: '2027-02-21',
      announcementChannelIds: ['CANNOUNCE'],
      engagementChannelName: null,
    });
  });

  it('takes a typed key (lowercased), a sponsor, push without requester and three escalation levels', () => {
    const r = ok(
      parseKickoffSubmission(
        values({
          key: ' Payments-2027 ',
          sponsor: 'USPONSOR',
          origin: 'push',
          requester: 'UREQ',
          outcomes: null,
          escalation: [{ name: 'Squad', response: '4h' }, { contacts: ['UPROG', 'UPROG'], response: '3 business days' }, { contacts: ['UVP'], response: '1 day' }],
        }),
        ctx,
      ),
    );
    expect(r.keyWasDerived).toBe(false);
    expect(r.draft.key).toBe('payments-2027');
    expect(r.draft.sponsorId).toBe('USPONSOR');
    expect(r.draft.requestedBy).toBeNull();
    expect(r.draft.outcomes).toEqual([]);
    expect(r.draft.escalation).toEqual([
      { level: 1, name: 'Squad', contactIds: ['UC1', 'UC2'], responseTime: 4, responseUnit: 'business_hours' },
      { level: 2, name: 'Program', contactIds: ['UPROG'], responseTime: 3, responseUnit: 'business_days' },
      { level: 3, name: 'Executive', contactIds: ['UVP'], responseTime: 1, responseUnit: 'business_days' },
    ]);
  });

  it('keeps hostile and unusual text exactly as typed', () => {
    const name = "<!channel> 🚀 فريق المدفوعات '); DROP TABLE engagements;--";
    const pain = ['<http://evil.example|Your bank> needs you', "'); DROP TABLE engagements;--", 'צוות 🎉 <@U999>'];
    const r = ok(parseKickoffSubmission(values({ name, painPoints: pain.join('\n') }), ctx));
    expect(r.draft.name).toBe(name);
    expect(r.draft.painPoints).toEqual(pain);
    expect(r.draft.key).toBe('channel-drop-table-engagements');
  });

  it('derives `engagement` from an all-emoji or right-to-left name (uniqueness is the caller’s)', () => {
    expect(ok(parseKickoffSubmission(values({ name: '🚀🔥' }), ctx)).draft.key).toBe('engagement');
    expect(ok(parseKickoffSubmission(values({ name: 'צוות תשלומים' }), ctx)).draft.key).toBe('engagement');
  });

  it('creates the engagement channel under the typed (normalised) name or coaching-KEY', () => {
    expect(ok(parseKickoffSubmission(values({ createChannel: true }), ctx)).draft.engagementChannelName).toBe('coaching-payments-platform');
    expect(ok(parseKickoffSubmission(values({ createChannel: true, channelName: '#Coaching Payments' }), ctx)).draft.engagementChannelName).toBe('coaching-payments');
  });

  it('accepts a line of exactly 1,000 characters, and 20 lines', () => {
    const r = ok(parseKickoffSubmission(values({ painPoints: `${'x'.repeat(1000)}\nshort` }), ctx));
    expect(r.draft.painPoints.map((p) => p.length)).toEqual([1000, 5]);
    const twenty = Array.from({ length: 20 }, (_, i) => `Pain ${i + 1}`);
    expect(ok(parseKickoffSubmission(values({ painPoints: twenty.join('\r\n') }), ctx)).draft.painPoints).toEqual(twenty);
    expect(errors(parseKickoffSubmission(values({ painPoints: 'y'.repeat(1001) }), ctx))).toEqual({
      [BLOCK.kickoffPainPoints]: 'Line 1 is 1,001 characters; keep each line under 1,000',
    });
  });
});

describe('parseKickoffSubmission: problems, all at once, on the right block', () => {
  it('reports every missing field together', () => {
    const e = errors(parseKickoffSubmission(values({ name: '  ', level: null, origin: null, coaches: [], painPoints: '\n \n', start: null, review: null, channels: [] }), ctx));
    expect(e).toEqual({
      [BLOCK.kickoffName]: 'Give the engagement a name',
      [BLOCK.kickoffLevel]: expect.stringContaining('Choose a coaching level'),
      [BLOCK.kickoffOrigin]: expect.stringContaining('pull'),
      [BLOCK.kickoffCoaches]: 'Name at least one coach',
      [BLOCK.kickoffPainPoints]: expect.stringContaining('at least one pain point'),
      [BLOCK.kickoffStartDate]: 'Pick a start date',
      [BLOCK.kickoffReviewDate]: 'Pick a review date',
      [BLOCK.kickoffChannels]: expect.stringContaining('at least one channel'),
    });
  });

  it('asks who requested a pull engagement', () => {
    expect(errors(parseKickoffSubmission(values({ requester: null }), ctx))).toEqual({
      [BLOCK.kickoffRequester]: 'Say who asked for coaching, or choose Assigned',
    });
  });

  it.each([
    ['2027-01-01', '2026-12-31'],
    ['2027-01-01', '2027-01-01'],
  ])('refuses a review date (%s → %s) not after the start', (start, review) => {
    expect(errors(parseKickoffSubmission(values({ start, review }), ctx))).toEqual({
      [BLOCK.kickoffReviewDate]: `The review date must be after the start date (${start})`,
    });
  });

  it('counts lines and characters the way people do', () => {
    const lines = Array.from({ length: 21 }, (_, i) => `pain ${i}`);
    lines[2] = '🎉'.repeat(1240);
    const e = errors(parseKickoffSubmission(values({ painPoints: lines.join('\n') }), ctx));
    expect(e[BLOCK.kickoffPainPoints]).toBe('You listed 21 pain points; keep it to 20 or fewer. Line 3 is 1,240 characters; keep each line under 1,000');
  });

  it('names the outcome line that cannot be read and the expected form', () => {
    const e = errors(parseKickoffSubmission(values({ outcomes: 'Happy team\nLead time: fast -> slow' }), ctx));
    expect(e[BLOCK.kickoffOutcomes]).toBe(
      'Line 2 (“Lead time: fast -> slow”) can\'t be read as a measure. Write it as `metric: baseline -> target unit`, e.g. `Lead time: 12 -> 5 days`',
    );
    const many = errors(parseKickoffSubmission(values({ outcomes: 'a: 1 ->\nok\nb: x -> y\nc: -> 3' }), ctx));
    expect(many[BLOCK.kickoffOutcomes]).toMatch(/^Lines 1, 3 and 4 can't be read as a measure\. Write it as/);
  });

  it('checks the key, level names, response times and channel name', () => {
    const e = errors(
      parseKickoffSubmission(
        values({
          key: 'Payments Platform!',
          escalation: [{ name: 'x'.repeat(41) }, { response: 'whenever' }, { response: '45 days' }],
          createChannel: true,
          channelName: 'Coaching: payments!',
        }),
        ctx,
      ),
    );
    expect(e[BLOCK.kickoffKey]).toMatch(/lowercase letters, digits and dashes/);
    expect(e[BLOCK.kickoffEsc1Name]).toBe('Keep the level name to 40 characters or fewer');
    expect(e[BLOCK.kickoffEsc2Response]).toBe('Write a number of business days (e.g. 2) or hours (e.g. 4h)');
    expect(e[BLOCK.kickoffEsc3Response]).toBe('Keep it between 1 and 30 business days');
    expect(e[BLOCK.kickoffChannelName]).toMatch(/lowercase letters, digits, dashes \(-\) and underscores \(_\), up to 80 characters/);
  });

  it('asks to tick the box when a channel name is typed without it', () => {
    expect(errors(parseKickoffSubmission(values({ channelName: 'coaching-x' }), ctx))).toEqual({
      [BLOCK.kickoffCreateChannel]: 'Tick this to create the channel, or clear the channel name',
    });
  });

  it('rejects a name over 120 characters and dates far from today', () => {
    const e = errors(parseKickoffSubmission(values({ name: 'n'.repeat(121), start: '1999-01-01', review: '2099-01-01' }), ctx));
    expect(e[BLOCK.kickoffName]).toBe('The name is 121 characters; keep it to 120 or fewer');
    expect(e[BLOCK.kickoffStartDate]).toBe('Pick a date within ten years of today');
    expect(e[BLOCK.kickoffReviewDate]).toBe('Pick a date within ten years of today');
  });
});

describe('parseKickoffSubmission: forged payloads', () => {
  it.each([null, undefined, 'values', 42, [], { [BLOCK.kickoffName]: 'not an object' }])('answers %j with errors, not a crash', (v) => {
    const e = errors(parseKickoffSubmission(v, ctx));
    expect(e[BLOCK.kickoffName]).toBeDefined();
    expect(e[BLOCK.kickoffPainPoints]).toBeDefined();
  });

  it('says a 5,000-character field is over Slack’s 3,000', () => {
    const e = errors(parseKickoffSubmission(values({ name: 'x'.repeat(5000), painPoints: 'p'.repeat(5000), escalation: [{ response: '2'.repeat(5000) }, {}, {}] }), ctx));
    for (const block of [BLOCK.kickoffName, BLOCK.kickoffPainPoints, BLOCK.kickoffEsc1Response]) {
      expect(e[block]).toBe('This field is 5,000 characters; Slack allows 3,000 — shorten it');
    }
  });

  it('refuses ids that are not Slack ids (they would end up inside mentions)', () => {
    const e = errors(
      parseKickoffSubmission(values({ coaches: ['UC1', 'U1> <!channel'], requester: '<!here>', channels: ['C1|x'], sponsor: 'everyone' }), ctx),
    );
    expect(e[BLOCK.kickoffCoaches]).toBe('Choose people from the list');
    expect(e[BLOCK.kickoffRequester]).toBe('Choose a person from the list');
    expect(e[BLOCK.kickoffSponsor]).toBe('Choose a person from the list');
    expect(e[BLOCK.kickoffChannels]).toBe('Choose channels from the list');
  });

  it('refuses wrong types, unknown options and impossible dates', () => {
    const v = values({ level: 'admin', start: '2027-02-30', review: '21/02/2027' });
    v[BLOCK.kickoffName] = { [ACTION.value]: { type: 'plain_text_input', value: 42 } };
    v[BLOCK.kickoffCoaches] = { [ACTION.value]: { type: 'multi_users_select', selected_users: 'UC1' } };
    const e = errors(parseKickoffSubmission(v, ctx));
    expect(e[BLOCK.kickoffName]).toBe('This field could not be read; fill it in again');
    expect(e[BLOCK.kickoffCoaches]).toBe('This field could not be read; fill it in again');
    expect(e[BLOCK.kickoffLevel]).toMatch(/Choose a coaching level/);
    expect(e[BLOCK.kickoffStartDate]).toBe('Pick a date from the calendar');
    expect(e[BLOCK.kickoffReviewDate]).toBe('Pick a date from the calendar');
  });

  it('ignores prototype keys and extra blocks', () => {
    const v = JSON.parse(`{"__proto__": {"polluted": true}, "constructor": 1, ${JSON.stringify(values()).slice(1)}`) as unknown;
    expect(ok(parseKickoffSubmission(v, ctx)).draft.name).toBe('Payments platform');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('duplicateKeyErrors', () => {
  it('puts the message on the key field', () => {
    expect(duplicateKeyErrors('payments')).toEqual({ [BLOCK.kickoffKey]: '`payments` is already used by another engagement; choose another key' });
  });
});

describe('kickoff private_metadata', () => {
  it('round-trips create and edit', () => {
    for (const meta of [{ mode: 'create', channelId: 'C123' }, { mode: 'create', channelId: null }, { mode: 'edit', engagementId: 42, channelId: 'G9' }] as const) {
      const text = encodeKickoffMetadata(meta);
      expect(text.length).toBeLessThanOrEqual(3000);
      expect(parseKickoffMetadata(text)).toEqual(meta);
    }
  });

  it.each([
    undefined,
    '',
    'not json',
    '{"mode":"delete","channelId":null}',
    '{"mode":"edit","engagementId":"42","channelId":null}',
    '{"mode":"edit","engagementId":-1,"channelId":null}',
    '{"mode":"edit","engagementId":1.5,"channelId":null}',
    '{"mode":"create","channelId":"<!channel>"}',
    '{"mode":"create","channelId":null,"admin":true}',
    `{"mode":"create","channelId":null,"x":"${'a'.repeat(3000)}"}`,
  ])('returns null for tampered %#', (text) => {
    expect(parseKickoffMetadata(text)).toBeNull();
  });
});

describe('parseKickoffCommand', () => {
  it.each([
    ['', { kind: 'open' }],
    ['   ', { kind: 'open' }],
    ['help', { kind: 'help' }],
    ['HELP me', { kind: 'help' }],
    ['edit Payments', { kind: 'edit', key: 'payments' }],
    ['  EDIT   payments-platform ', { kind: 'edit', key: 'payments-platform' }],
    ['close payments', { kind: 'close', key: 'payments', note: null }],
    ['Close payments  Lead time halved.\nThanks all 🎉', { kind: 'close', key: 'payments', note: 'Lead time halved.\nThanks all 🎉' }],
    ["close payments '); DROP TABLE engagements;--", { kind: 'close', key: 'payments', note: "'); DROP TABLE engagements;--" }],
    ['close payments &lt;!channel&gt; &amp; <@U1|ana> شكرا', { kind: 'close', key: 'payments', note: '<!channel> & @ana شكرا' }],
    ['edit', { kind: 'error', message: 'Usage: /kickoff edit KEY' }],
    ['edit payments extra', { kind: 'error', message: 'Usage: /kickoff edit KEY' }],
    ['close', { kind: 'error', message: 'Usage: /kickoff close KEY [note]' }],
    ['pulse Payments', { kind: 'pulse', key: 'payments' }],
    ['pulse', { kind: 'error', message: 'Usage: /kickoff pulse KEY' }],
    ['pulse payments now', { kind: 'error', message: 'Usage: /kickoff pulse KEY' }],
    ['request', { kind: 'request' }],
    ['profile', { kind: 'profile' }],
    ['profile UOTHER', { kind: 'error', message: 'Usage: /kickoff profile (it opens a form for your own profile)' }],
    ['request something', { kind: 'error', message: 'Usage: /kickoff request (it opens a form)' }],
    ['requests-channel', { kind: 'requests-channel', channel: null }],
    ['requests-channel <#C0123ABCD|coaching-requests>', { kind: 'requests-channel', channel: { id: 'C0123ABCD' } }],
    ['requests-channel #Coaching-Requests', { kind: 'requests-channel', channel: { name: 'coaching-requests' } }],
    ['requests-channel #a b', { kind: 'error', message: 'Usage: /kickoff requests-channel #channel (or run /kickoff requests-channel in that channel)' }],
    ['frobnicate payments', { kind: 'unknown', text: 'frobnicate payments' }],
    ['🚀 &lt;!here&gt;', { kind: 'unknown', text: '🚀 <!here>' }],
  ])('%j', (text, expected) => {
    expect(parseKickoffCommand(text)).toEqual(expected);
  });

  it('refuses keys that cannot exist without echoing them', () => {
    for (const text of ['edit <!channel>', 'close 🚀', `edit ${'a'.repeat(5000)}`]) {
      const r = parseKickoffCommand(text);
      expect(r.kind).toBe('error');
      if (r.kind === 'error') expect(r.message).not.toMatch(/<!channel>|🚀|aaaa/);
    }
  });

  it('refuses a closing note over 2,000 characters', () => {
    expect(parseKickoffCommand(`close payments ${'n'.repeat(5000)}`)).toEqual({
      kind: 'error',
      message: 'The closing note is 5,000 characters; keep it to 2,000 or fewer',
    });
  });

  it('decodes links Slack encoded', () => {
    expect(decodeCommandText('see <https://x.example/a|the doc> and <https://y.example> in <#C1|general>')).toBe(
      'see the doc (https://x.example/a) and https://y.example in #general',
    );
  });
});
