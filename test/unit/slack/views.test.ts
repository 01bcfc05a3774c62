import type { AnyBlock, InputBlock, KnownBlock, ModalView } from '@slack/types';
import { diffEngagement } from '../../../src/domain/kickoffRules';
import type { Engagement } from '../../../src/domain/types';
import { ACTION, BLOCK, CALLBACK } from '../../../src/slack/ids';
import { parseKickoffMetadata, parseKickoffSubmission } from '../../../src/slack/input/kickoffView';
import { announcementMessage, closingNote, deliveryProblemDm, namedDm, sponsorConfirmation, whatChangedReply } from '../../../src/slack/views/announcement';
import { capBlocks, escapeMrkdwn, header, listSections, plainText, truncate, truncateMrkdwn } from '../../../src/slack/views/blocks';
import { errorMessage, kickoffHelp, refusal } from '../../../src/slack/views/kickoffHelp';
import { kickoffModal } from '../../../src/slack/views/kickoffModal';
import { assertNoBroadcasts, assertWithinSlackLimits, mrkdwnStrings } from '../../support/blockLimits';
import { draft } from '../../support/drafts';
import * as fixtures from '../../support/fixtures';

/** These views read the engagement channel: here the engagement has none unless a test gives it one. */
const engagement = (overrides: Partial<Engagement> = {}): Engagement => fixtures.engagement({ engagementChannelId: null, ...overrides });

const HOSTILE = ['<!channel> urgent', '<!here|here> & <!everyone>', '<http://evil.example|Your bank>', '<@U999> <!subteam^S1|@leads>', "'); DROP TABLE engagements;--", 'فريق 🎉 צוות'];

function hostile(): Engagement {
  return engagement({
    name: HOSTILE[0]!,
    painPoints: HOSTILE,
    outcomes: [...HOSTILE.map((text) => ({ text, metric: null })), { text: '<!channel>', metric: { baseline: 1, target: 2, current: 3, unit: '<!here>' } }],
    escalation: [{ level: 1, name: '<!everyone>', contactIds: ['UCOACH1'], responseTime: 2, responseUnit: 'business_days' }],
    engagementChannelName: 'coaching-x',
  });
}

const allText = (m: unknown) => mrkdwnStrings(m).join('\n');
const huge = (char: string) => Array.from({ length: 20 }, (_, i) => `${i} ${char.repeat(998)}`);

describe('blocks helpers', () => {
  it('escapes the three control characters only', () => {
    expect(escapeMrkdwn('<!channel> & <@U1> <http://evil|bank> *bold* 🎉')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt; &lt;http://evil|bank&gt; *bold* 🎉');
  });

  it('truncates with an ellipsis and never splits an emoji, an entity or a mention', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('ab🎉c', 4)).toBe('ab…');
    expect(truncate('ab🎉', 4)).toBe('ab🎉');
    expect(truncateMrkdwn('ab &amp; cd', 6)).toBe('ab …');
    expect(truncateMrkdwn('hi <@U12345> there', 8)).toBe('hi …');
  });

  it('keeps plain text non-empty and headers ≤ 150', () => {
    expect(plainText('  ').text).toBe('—');
    expect(header('h'.repeat(500)).text.text.length).toBe(150);
  });

  it('splits long lists across sections of at most 3000 characters, losing no item', () => {
    const items = Array.from({ length: 40 }, (_, i) => `item-${i} ${'x'.repeat(400)}`);
    const sections = listSections('Title', items);
    expect(sections.length).toBeGreaterThan(5);
    const texts = sections.map((s) => s.text?.text ?? '');
    texts.forEach((t) => expect(t.length).toBeLessThanOrEqual(3000));
    items.forEach((_, i) => expect(texts.join('\n')).toContain(`item-${i} `));
    expect(texts[0]!.startsWith('*Title*\n• item-0')).toBe(true);
  });

  it('caps blocks with a note saying how many are hidden', () => {
    const blocks: KnownBlock[] = Array.from({ length: 60 }, () => ({ type: 'divider' }));
    const capped = capBlocks(blocks, 50, 'see `/status payments`');
    expect(capped.length).toBe(50);
    expect(capped[49]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '…and 11 more — see `/status payments`', verbatim: true }] });
    expect(capBlocks(blocks.slice(0, 3), 50, 'x')).toHaveLength(3);
  });
});

const isInput = (b: AnyBlock): b is InputBlock => b.type === 'input';

/** What Slack would send back if the person pressed submit without touching the modal. */
function submitUntouched(view: ModalView): Record<string, Record<string, unknown>> {
  const values: Record<string, Record<string, unknown>> = {};
  for (const b of view.blocks.filter(isInput)) {
    if (!b.block_id) continue;
    const el = b.element as unknown as Record<string, unknown>;
    const state: Record<string, unknown> = { type: el.type };
    if (el.type === 'plain_text_input') state.value = el.initial_value ?? null;
    if (el.type === 'radio_buttons') state.selected_option = el.initial_option ?? null;
    if (el.type === 'checkboxes') state.selected_options = el.initial_options ?? [];
    if (el.type === 'users_select') state.selected_user = el.initial_user ?? null;
    if (el.type === 'multi_users_select') state.selected_users = el.initial_users ?? [];
    if (el.type === 'multi_conversations_select') state.selected_conversations = el.initial_conversations ?? (el.default_to_current_conversation ? ['CHERE'] : []);
    if (el.type === 'datepicker') state.selected_date = el.initial_date ?? null;
    values[b.block_id] = { [ACTION.value]: state };
  }
  return values;
}

const modalBase = { submitterId: 'USUBMIT', today: '2026-11-20', channelId: 'CHERE', timezone: 'Europe/Paris' };

describe('kickoffModal', () => {
  it('create: within limits, labelled, with the agreed defaults', () => {
    const view = kickoffModal({ mode: 'create', ...modalBase });
    assertWithinSlackLimits(view);
    expect(view.callback_id).toBe(CALLBACK.kickoff);
    expect(view.title.text).toBe('Kick off an engagement');
    expect(view.submit?.text).toBe('Announce');
    expect(parseKickoffMetadata(view.private_metadata)).toEqual({ mode: 'create', channelId: 'CHERE' });
    const inputs = view.blocks.filter(isInput);
    const byId = Object.fromEntries(inputs.map((b) => [b.block_id, b]));
    const blockIds: string[] = Object.values(BLOCK);
    for (const b of inputs) {
      expect(blockIds).toContain(b.block_id);
      expect(b.element.action_id).toBe(ACTION.value);
      expect(b.label.text.length).toBeGreaterThan(3);
      if (b.element.type === 'plain_text_input') expect(b.element.max_length).toBeGreaterThan(0);
    }
    expect(byId[BLOCK.kickoffSponsor]?.element).toMatchObject({ type: 'users_select', initial_user: 'USUBMIT' });
    expect(byId[BLOCK.kickoffChannels]?.element).toMatchObject({
      type: 'multi_conversations_select',
      default_to_current_conversation: true,
      filter: { include: ['public', 'private'], exclude_bot_users: true },
    });
    expect(byId[BLOCK.kickoffPainPoints]?.element).toMatchObject({ multiline: true, max_length: 3000 });
    expect(byId[BLOCK.kickoffStartDate]?.element).toMatchObject({ initial_date: '2026-11-20' });
    expect(byId[BLOCK.kickoffReviewDate]?.element).toMatchObject({ initial_date: '2027-02-18' });
    expect(byId[BLOCK.kickoffEsc1Name]?.element).toMatchObject({ initial_value: 'Team' });
    expect(byId[BLOCK.kickoffEsc3Response]?.element).toMatchObject({ initial_value: '5' });
    expect(byId[BLOCK.kickoffEsc1Contacts]?.hint?.text).toBe('Leave empty to use the coaches');
    expect(byId[BLOCK.kickoffEsc3Contacts]?.hint?.text).toBe('Leave empty to use the sponsor');
    expect(byId[BLOCK.kickoffEsc2Response]?.hint?.text).toBe('Business days, e.g. 2 — or hours, e.g. 4h');
    for (const id of [BLOCK.kickoffKey, BLOCK.kickoffOutcomes, BLOCK.kickoffRequester, BLOCK.kickoffEsc2Contacts, BLOCK.kickoffChannelName]) {
      expect(byId[id]?.optional).toBe(true);
    }
    for (const id of [BLOCK.kickoffName, BLOCK.kickoffCoaches, BLOCK.kickoffPainPoints, BLOCK.kickoffChannels]) {
      expect(byId[id]?.optional).toBeUndefined();
    }
  });

  it('create: submitted untouched, the form asks for what is missing', () => {
    const r = parseKickoffSubmission(submitUntouched(kickoffModal({ mode: 'create', ...modalBase })), modalBase);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors).sort()).toEqual([BLOCK.kickoffCoaches, BLOCK.kickoffName, BLOCK.kickoffOrigin, BLOCK.kickoffPainPoints].sort());
  });

  it('edit: prefilled so that saving unchanged changes nothing', () => {
    const e = engagement({ engagementChannelName: 'coaching-payments' });
    const view = kickoffModal({ mode: 'edit', initial: e, ...modalBase });
    assertWithinSlackLimits(view);
    expect(view.title.text).toBe('Edit engagement');
    expect(view.submit?.text).toBe('Save changes');
    expect(parseKickoffMetadata(view.private_metadata)).toEqual({ mode: 'edit', engagementId: 7, channelId: 'CHERE' });
    const values = submitUntouched(view);
    expect(values[BLOCK.kickoffOutcomes]?.[ACTION.value]).toMatchObject({ value: 'Lead time: 21 -> 5 days\nTeam runs its own retros' });
    expect(values[BLOCK.kickoffEsc1Contacts]?.[ACTION.value]).toMatchObject({ selected_users: [] });
    const r = parseKickoffSubmission(values, modalBase);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(diffEngagement(e, r.draft)).toEqual([]);
  });

  it('edit: a two-level line comes back in the first and last slots', () => {
    const e = engagement({
      escalation: [
        { level: 1, name: 'Squad', contactIds: ['UCOACH1', 'UCOACH2'], responseTime: 4, responseUnit: 'business_hours' },
        { level: 2, name: 'VP', contactIds: ['UVP'], responseTime: 5, responseUnit: 'business_days' },
      ],
    });
    const r = parseKickoffSubmission(submitUntouched(kickoffModal({ mode: 'edit', initial: e, ...modalBase })), modalBase);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.draft.escalation).toEqual(e.escalation);
  });

  it('edit: stays within limits with the largest stored text', () => {
    const e = engagement({ name: 'n'.repeat(120), painPoints: huge('🎉'), outcomes: huge('<').map((text) => ({ text, metric: null })) });
    assertWithinSlackLimits(kickoffModal({ mode: 'edit', initial: e, ...modalBase }));
  });
});

describe('announcementMessage', () => {
  it('is the communication plan', () => {
    const m = announcementMessage(engagement());
    assertWithinSlackLimits(m);
    const text = allText(m);
    expect(m.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Coaching engagement: Payments platform', emoji: true } });
    for (const part of [
      '<@USPONSOR> is sponsoring coaching',
      '<@UCOACH1> and <@UCOACH2>',
      '*Level*\nTeam',
      'Requested by the team (pull) — asked for by <@UREQ>',
      'Mon 23 Nov 2026',
      'Sun 21 Feb 2027',
      '• Releases take three weeks',
      '• Lead time: 21 → 5 days',
      '• Team runs its own retros',
      'Level 1 — *Team*: <@UCOACH1> and <@UCOACH2> · responds within 2 business days',
      'Level 3 — *Executive*: <@USPONSOR> · responds within 5 business days',
      '`/impediment`',
      'See where it stands with `/status payments-platform`',
      'Engagement key: `payments-platform`',
    ]) {
      expect(text).toContain(part);
    }
    expect(m.text).toContain('Payments platform');
    expect(m.text).toContain('/status payments-platform');
  });

  it('says push, "To be agreed", this channel, and marks a completed engagement at the top', () => {
    const m = announcementMessage(engagement({ origin: 'push', requestedBy: null, outcomes: [], lifecycle: 'completed' }), { channelIsEngagementChannel: true });
    const text = allText(m);
    expect(text).toContain('*Origin*\nAssigned (push)');
    expect(text).toContain('*What success looks like*\nTo be agreed');
    expect(text).toContain('Raise an impediment with `/impediment` in this channel');
    expect(m.blocks[0]).toMatchObject({ type: 'context', elements: [{ text: expect.stringContaining('Completed') }] });
  });

  it.each(['x', '<', '🎉'])('stays within 50 blocks for 20 × 1,000 pain points and outcomes of %j', (char) => {
    const e = engagement({
      name: char.repeat(5000),
      painPoints: huge(char),
      outcomes: huge(char).map((text, i) => ({ text, metric: i % 2 ? null : { baseline: 1, target: 2, current: null, unit: char.repeat(30) } })),
      coachIds: Array.from({ length: 20 }, (_, i) => `UCOACH${i}`),
    });
    const m = announcementMessage(e);
    assertWithinSlackLimits(m);
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    expect(m.text.length).toBeLessThanOrEqual(3000);
    expect(m.text).toContain('/status payments-platform');
    expect(allText(m)).toContain('*How to take part*');
    expect(allText(m)).toContain('*Escalation lines*');
  });

  it('shows more list items than fit as a pointer to /status', () => {
    const e = engagement({ painPoints: Array.from({ length: 60 }, () => '<'.repeat(1000)), outcomes: Array.from({ length: 60 }, () => ({ text: '<'.repeat(1000), metric: null })) });
    const m = announcementMessage(e);
    assertWithinSlackLimits(m);
    expect(allText(m)).toMatch(/…and \d+ more — see `\/status payments-platform`/);
  });
});

describe('typed text never pings or links', () => {
  const e = hostile();
  const messages = {
    announcement: announcementMessage(e),
    closing: closingNote(e, 'UCOACH1', HOSTILE.join('\n')),
    changed: whatChangedReply(diffEngagement(engagement(), { ...draft(), name: HOSTILE[1]! }), 'UCOACH1'),
    coachDm: namedDm(e, { kind: 'coach' }),
    contactDm: namedDm(e, 'UCOACH1', 'https://x.slack.com/archives/C1/p1'),
    confirmation: sponsorConfirmation({ ...e, announcements: [{ channelId: 'C1', status: 'failed', messageChannel: null, ts: null, permalink: null, failure: '<!channel> broke', inEngagementChannel: false, active: true }] }),
    problem: deliveryProblemDm('the announcement in <#C1> for <!channel>', '<!here> <http://evil.example|click>'),
    error: errorMessage(`I don't know \`/kickoff ${HOSTILE.join(' ')}\``),
  };

  it.each(Object.entries(messages))('%s', (_, m) => {
    assertWithinSlackLimits(m);
    assertNoBroadcasts(m);
    const text = allText(m);
    expect(text).not.toContain('<http://evil');
    expect(text).not.toContain('<@U999>');
  });

  it('still shows what was typed, escaped', () => {
    expect(allText(messages.announcement)).toContain('&lt;!channel&gt; urgent');
    expect(allText(messages.announcement)).toContain("'); DROP TABLE engagements;--");
    expect(allText(messages.announcement)).toContain('فريق 🎉 צוות');
    expect(allText(messages.problem)).toContain('<#C1>');
  });
});

describe('whatChangedReply', () => {
  it('lists the changes and who made them', () => {
    const m = whatChangedReply(['Review date moved from 2027-02-20 to 2027-03-06', 'Coaches: added <@U2>'], 'UED');
    assertWithinSlackLimits(m);
    expect(allText(m)).toContain('*<@UED> updated this engagement*\n• Review date moved from 2027-02-20 to 2027-03-06\n• Coaches: added <@U2>');
    expect(m.text).toBe('<@UED> updated this engagement: Review date moved from 2027-02-20 to 2027-03-06; Coaches: added <@U2>');
    expect(whatChangedReply([], 'UED').text).toContain('nothing visible changed');
  });
});

describe('closingNote', () => {
  it('shows outcomes reached, not reached and unmeasured, the note and thanks', () => {
    const e = engagement({
      lifecycle: 'completed',
      outcomes: [
        { text: 'Lead time', metric: { baseline: 21, target: 5, current: 4, unit: 'days' } },
        { text: 'Escaped defects', metric: { baseline: 30, target: 10, current: 15, unit: '%' } },
        { text: 'Deploys', metric: { baseline: 1, target: 10, current: null, unit: '' } },
        { text: 'Own retros', metric: null },
      ],
    });
    const m = closingNote(e, 'UCOACH1', 'We did it.\nOnwards');
    assertWithinSlackLimits(m);
    const text = allText(m);
    expect(text).toContain('✅ Lead time: 21 → 4 → 5 days · reached');
    expect(text).toContain('➖ Escaped defects: 30% → 15% → 10% · not reached');
    expect(text).toContain('▫️ Deploys: 1 → — → 10 · no measure yet');
    expect(text).toContain('1 of 2 measured outcomes reached.');
    expect(text).toContain('> We did it.\n> Onwards');
    expect(text).toContain('*Thank you*');
    expect(m.text).toContain('is completed');
  });

  it('stays within limits with 20 long outcomes and a 2,000-character note', () => {
    const e = engagement({ outcomes: huge('<').map((text) => ({ text, metric: { baseline: 1, target: 2, current: 2, unit: '' } })) });
    const m = closingNote(e, 'UCOACH1', '<'.repeat(2000));
    assertWithinSlackLimits(m);
    expect(closingNote(e, 'UCOACH1', null).blocks.length).toBeLessThanOrEqual(50);
  });
});

describe('namedDm', () => {
  const e = engagement();
  it('tells a coach what it means', () => {
    const m = namedDm(e, { kind: 'coach' });
    assertWithinSlackLimits(m);
    expect(m.text).toContain('You’re named as a coach on *Payments platform* (`payments-platform`)');
    expect(allText(m)).toContain('`/status update payments-platform`');
  });

  it('tells each escalation level when impediments reach them and how long they have', () => {
    const [l1, l2, l3] = e.escalation;
    expect(allText(namedDm(e, { kind: 'contact', level: l1! }))).toContain('New impediments come to you first.');
    const middle = allText(namedDm(e, { kind: 'contact', level: l2! }, 'https://acme.slack.com/archives/C1/p1'));
    expect(middle).toContain('An impediment nobody at level 1 (Team) acknowledges within 2 business days climbs to you.');
    expect(middle).toContain('you have 3 business days to respond before it climbs to level 3 (Executive)');
    expect(middle).toContain('<https://acme.slack.com/archives/C1/p1|See the announcement>');
    expect(allText(namedDm(e, { kind: 'contact', level: l3! }))).toContain('yours is the last level');
  });

  it('covers every role of one person, and does not link a doubtful permalink', () => {
    const m = namedDm(e, 'UCOACH1', 'javascript:alert(1)|x>');
    expect(m.text).toContain('coach');
    expect(m.text).toContain('escalation contact at level 1');
    expect(allText(m)).not.toContain('javascript');
  });
});

describe('sponsorConfirmation', () => {
  const a = { messageChannel: null, ts: null, permalink: null, failure: null, inEngagementChannel: false, active: true };
  it('lists posted, pending and failed announcements', () => {
    const m = sponsorConfirmation(
      engagement({
        announcementChannelIds: ['C1', 'C2', 'C3'],
        engagementChannelName: 'coaching-payments',
        announcements: [
          { ...a, channelId: 'C1', status: 'posted', messageChannel: 'C1', ts: '1.1', permalink: 'https://acme.slack.com/archives/C1/p11' },
          { ...a, channelId: 'C2', status: 'pending' },
          { ...a, channelId: 'C3', status: 'failed', failure: "I'm not in this private channel — invite me with `/invite @coachline`, then `/kickoff edit KEY` and save" },
        ],
      }),
    );
    assertWithinSlackLimits(m);
    const text = allText(m);
    expect(text).toContain('*`payments-platform` is announced in 1 of 3 channels*');
    expect(text).toContain('• <#C1> — <https://acme.slack.com/archives/C1/p11|posted>');
    expect(text).toContain('• <#C2> — posting…');
    expect(text).toContain("• <#C3> — not posted: I'm not in this private channel — invite me with `/invite @coachline`, then `/kickoff edit payments-platform` and save");
    expect(text).toContain('Engagement channel #coaching-payments: creating…');
  });

  it('says announced when everything is posted, with the engagement channel', () => {
    const m = sponsorConfirmation(
      engagement({ announcementChannelIds: ['C1'], engagementChannelId: 'CENG', announcements: [{ ...a, channelId: 'C1', status: 'posted', permalink: 'https://acme.slack.com/p' }] }),
    );
    expect(allText(m)).toContain('*`payments-platform` is announced*');
    expect(allText(m)).toContain('Engagement channel: <#CENG>');
  });
});

describe('kickoffHelp, refusal, errorMessage', () => {
  it('explains every subcommand, the outcome format and the defaults', () => {
    const m = kickoffHelp();
    assertWithinSlackLimits(m);
    const text = allText(m);
    for (const part of ['`/kickoff`', '`/kickoff edit KEY`', '`/kickoff close KEY [note]`', '`/kickoff help`', '`metric: baseline -&gt; target unit`', '2 business days', '5 business days', 'sponsor, a coach, or a coachline admin']) {
      expect(text).toContain(part);
    }
  });

  it('refuses and says who can', () => {
    const m = refusal('edit `payments`', ['the sponsor (<@U1>)', 'a coach (<@U2>, <@U3>)', 'a coachline admin']);
    assertWithinSlackLimits(m);
    expect(m.text).toBe('Only the sponsor (<@U1>), a coach (<@U2>, <@U3>) or a coachline admin can edit `payments`.');
  });

  it('escapes error text', () => {
    const m = errorMessage('Nope: <!channel> & <http://evil|x>');
    assertNoBroadcasts(m);
    expect(m.text).toBe('Nope: &lt;!channel&gt; &amp; &lt;http://evil|x&gt;');
  });
});

describe('assertWithinSlackLimits', () => {
  it('catches what Slack would reject', () => {
    const bad = {
      type: 'modal',
      title: { type: 'plain_text', text: 'A title that is far too long for Slack' },
      private_metadata: 'x'.repeat(3001),
      blocks: [
        { type: 'section', block_id: 'a', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } },
        { type: 'header', block_id: 'a', text: { type: 'plain_text', text: 'h'.repeat(151) } },
        { type: 'input', label: { type: 'plain_text', text: 'L' }, element: { type: 'plain_text_input', max_length: 5000 } },
      ],
    };
    expect(() => assertWithinSlackLimits(bad)).toThrow(/title[\s\S]*private_metadata[\s\S]*3001 characters[\s\S]*duplicate a[\s\S]*151 characters[\s\S]*max_length/);
    expect(() => assertWithinSlackLimits({ text: '', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) })).toThrow(/text fallback[\s\S]*51 blocks/);
    expect(() => assertNoBroadcasts({ text: 'hi <!channel>' })).toThrow(/broadcast/);
  });
});
