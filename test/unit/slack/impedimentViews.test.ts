import type { ActionsBlock, Button, ModalView } from '@slack/types';
import type { Impediment, ScorecardRow } from '../../../src/domain/impedimentTypes';
import { ACTION, BLOCK, CALLBACK } from '../../../src/slack/ids';
import { encodeRaiseMetadata, parseImpedimentMetadata } from '../../../src/slack/input/impedimentInput';
import { dayOnly, impedimentCard, lines, thread, threadLine } from '../../../src/slack/views/impedimentCard';
import {
  autoEscalationChanged,
  escalationDm,
  followView,
  formatMinutes,
  impedimentHelp,
  impedimentList,
  raisedConfirmation,
  resolvedDm,
} from '../../../src/slack/views/impedimentMessages';
import { anonymousRaisedView, editModal, escalateModal, raiseModal, resolveModal } from '../../../src/slack/views/impedimentModals';
import { assertNoBroadcasts, assertWithinSlackLimits, mrkdwnStrings } from '../../support/blockLimits';
import { HOSTILE, TZ, engagement, escalationLine, impediment } from '../../support/fixtures';

const ctx = (e = engagement(), levelName = 'Team') => ({ engagement: e, levelName, timeZone: TZ });
const json = (v: unknown) => JSON.stringify(v);
const allText = (v: unknown) => mrkdwnStrings(v).join('\n');
function buttons(m: { blocks?: unknown[] }): Button[] {
  const actions = (m.blocks ?? []).filter((b): b is ActionsBlock => (b as { type?: string }).type === 'actions');
  return actions.flatMap((a) => a.elements as Button[]);
}
const actionIds = (m: { blocks?: unknown[] }) => buttons(m).map((b) => b.action_id);
function checkAll(subject: unknown, surface?: 'modal') {
  assertWithinSlackLimits(subject, surface ? { surface } : {});
  assertNoBroadcasts(subject);
}

const hostileImp = (o: Partial<Impediment> = {}) =>
  impediment({ description: `${HOSTILE} ${'<'.repeat(2900)}`, resolutionNote: HOSTILE.repeat(40), sourcePermalink: 'javascript:alert(1)', ...o });
const hostileEng = () => engagement({ name: HOSTILE, escalation: escalationLine().map((l) => ({ ...l, name: HOSTILE })) });

describe('impedimentCard', () => {
  it('shows id, severity, fields and the four buttons with the impediment id', () => {
    const m = impedimentCard(impediment({ ownerId: 'UOWNER', organisational: true }), ctx());
    checkAll(m);
    const text = allText(m);
    for (const s of ['*IMP-12*', ':large_orange_circle: High', 'Yes — beyond the team’s control', '<@UREPORTER>', '<@UOWNER>', 'Open', '1 · Team']) expect(text).toContain(s);
    expect(text).toContain(`<!date^${Date.parse('2026-11-25T14:37:00Z') / 1000}^{date_short_pretty} at {time}|2026-11-25 14:37 UTC>`);
    expect(actionIds(m)).toEqual([ACTION.impAcknowledge, ACTION.impTakeOwnership, ACTION.impEscalate, ACTION.impResolve]);
    expect(buttons(m).every((b) => b.value === '41')).toBe(true);
    expect(m.text).toContain('IMP-12');
  });

  it('has no buttons once resolved or won’t fix, and shows the note', () => {
    for (const state of ['resolved', 'wont_fix'] as const) {
      const m = impedimentCard(impediment({ state, resolutionNote: 'Moved to new DB', closedAt: new Date('2026-11-24T10:00:00Z'), dueAt: null }), ctx());
      checkAll(m);
      expect(actionIds(m)).toEqual([]);
      expect(allText(m)).toContain('Moved to new DB');
      expect(allText(m)).toContain('*Response due*\n—');
    }
  });

  it('hides Escalate at the top level and marks waiting on executives', () => {
    const m = impedimentCard(impediment({ level: 3, waitingOnExecutives: true }), ctx(engagement(), 'Executive'));
    expect(actionIds(m)).toEqual([ACTION.impAcknowledge, ACTION.impTakeOwnership, ACTION.impResolve]);
    expect(allText(m)).toContain('Waiting on executives');
    expect(m.text).toContain('waiting on executives');
  });

  it('never shows an anonymous reporter, nor the minute it was raised', () => {
    const imp = impediment({ anonymous: true, reporterId: 'ULEAK' });
    const m = impedimentCard(imp, ctx());
    checkAll(m);
    expect(json(m)).not.toContain('ULEAK');
    expect(allText(m)).toContain('*Reporter*\nanonymous');
    expect(json(m)).not.toContain('{time}');
    expect(json(m)).not.toContain(String(imp.createdAt.getTime() / 1000));
    // Noon Berlin time on the local day, whatever the minute.
    const noon = Date.parse('2026-11-23T11:00:00Z') / 1000;
    expect(allText(m)).toContain(`<!date^${noon}^{date_short_pretty}|2026-11-23>`);
    const later = impedimentCard({ ...imp, createdAt: new Date('2026-11-23T22:59:00Z') }, ctx());
    expect(json(later)).toContain(`<!date^${noon}^`);
  });

  it('uses the local day for the anonymous day, and falls back to UTC for a bad zone', () => {
    expect(dayOnly(new Date('2026-11-23T23:30:00Z'), TZ)).toContain('|2026-11-24>');
    expect(dayOnly(new Date('2026-11-23T23:30:00Z'), 'Not/AZone')).toBe(`<!date^${Date.parse('2026-11-23T12:00:00Z') / 1000}^{date_short_pretty}|2026-11-23>`);
  });

  it('escapes everything typed and stays in limits with a 3,000-character description', () => {
    const m = impedimentCard(hostileImp({ state: 'resolved' }), ctx(hostileEng(), HOSTILE));
    checkAll(m);
    expect(allText(m)).toContain('&lt;!channel&gt;');
    expect(json(m)).not.toContain('javascript:');
    checkAll(impedimentCard(impediment({ description: '🎉'.repeat(3000) }), ctx()));
  });

  it('links only http(s) source permalinks', () => {
    const ok = impedimentCard(impediment({ source: 'shortcut', sourcePermalink: 'https://acme.slack.com/archives/C1/p1?a=1&b=2' }), ctx());
    expect(allText(ok)).toContain('<https://acme.slack.com/archives/C1/p1?a=1&amp;b=2|the original message>');
    for (const bad of ['https://x.example|bank>', 'ftp://x', 'https://a b']) {
      expect(json(impedimentCard(impediment({ sourcePermalink: bad }), ctx()))).not.toContain('original message');
    }
  });
});

describe('thread lines', () => {
  it('builds each line with user text escaped', () => {
    expect(lines.acknowledged('U1', HOSTILE)).toContain('<@U1> acknowledged this at level *&lt;!channel&gt;');
    expect(lines.owned('U1')).toContain('<@U1> took ownership');
    expect(lines.escalated(null, 'Team', 'Program', 'no response')).toBe(':arrow_double_up: Escalated automatically from *Team* to *Program*: no response');
    expect(lines.escalated('U2', 'Team', 'Program', '')).toContain('<@U2> escalated this from *Team* to *Program*.');
    expect(lines.resolved('U3', 'wont_fix', 'policy')).toContain('won’t fix: policy');
    expect(lines.anonymousReply('still <!here>')).toBe('*reporter (anonymous):* still &lt;!here&gt;');
    expect(lines.edited('U4', ['description', 'severity medium → high'])).toContain('description; severity medium → high');
    expect(lines.autoEscalationChanged('U5', false)).toContain('*off*');
  });

  it('keeps huge and hostile lines within limits', () => {
    const long = `${HOSTILE}${'&'.repeat(10_000)}`;
    for (const m of [
      thread.escalated('U1', long, long, long),
      thread.resolved('U1', 'resolved', long),
      thread.anonymousReply(long),
      thread.acknowledged('U1', long),
      thread.edited('U1', [long]),
      thread.waitingOnExecutives(long),
      threadLine('plain'),
    ]) {
      checkAll(m);
    }
  });
});

describe('impediment modals', () => {
  const engs = Array.from({ length: 150 }, (_, i) => ({ id: i + 1, key: `team-${i + 1}`, name: `${HOSTILE} ${'n'.repeat(100)}` }));
  const meta = encodeRaiseMetadata({ source: 'shortcut', permalink: 'https://acme.slack.com/archives/C1/p1', channelId: 'C1' });

  it('raise: ≤ 100 engagements, the chosen one preselected, prefilled and within limits', () => {
    const v = raiseModal({ engagements: engs, initial: { engagementId: 140, description: `${HOSTILE}${'d'.repeat(10_000)}`, severity: 'critical', organisational: true }, metadata: meta });
    checkAll(v, 'modal');
    expect(v.callback_id).toBe(CALLBACK.raiseImpediment);
    expect(v.private_metadata).toBe(meta);
    const s = json(v);
    for (const id of [BLOCK.impEngagement, BLOCK.impDescription, BLOCK.impSeverity, BLOCK.impOrganisational, BLOCK.impAnonymous]) expect(s).toContain(`"block_id":"${id}"`);
    expect(s).toContain('"initial_option":{"text":{"type":"plain_text","text":"<!channel>');
    expect(s).toContain('"value":"140"');
    expect(s).toContain('Organisational impediment (beyond the team’s control)');
    expect(s).toContain('Report anonymously');
    expect(s).toMatch(/admins.*follow-up code/);
    expect(s).toContain('"initial_option":{"text":{"type":"plain_text","text":"Critical"');
  });

  it('raise without engagements: explains /kickoff and has no submit', () => {
    const v = raiseModal({ engagements: [], metadata: meta });
    checkAll(v, 'modal');
    expect(v.submit).toBeUndefined();
    expect(allText(v)).toContain('/kickoff');
  });

  it('escalate, resolve and edit carry the impediment id and stay within limits', () => {
    const imp = hostileImp();
    const views: [ModalView, string][] = [
      [escalateModal(imp, HOSTILE, HOSTILE), CALLBACK.escalateImpediment],
      [resolveModal(imp), CALLBACK.resolveImpediment],
      [editModal(impediment({ description: '🎉'.repeat(3000) })), CALLBACK.editImpediment],
      [editModal(imp), CALLBACK.editImpediment],
    ];
    for (const [v, callback] of views) {
      checkAll(v, 'modal');
      expect(v.callback_id).toBe(callback);
      // The escalate form also carries the level it was opened at (a stale form must not climb twice).
      const expected = callback === CALLBACK.escalateImpediment ? { impedimentId: 41, level: imp.level } : { impedimentId: 41 };
      expect(parseImpedimentMetadata(v.private_metadata)).toEqual(expected);
    }
    expect(json(resolveModal(imp))).toContain(`"block_id":"${BLOCK.impResolution}"`);
    expect(json(resolveModal(imp))).toContain('"value":"wont_fix"');
    expect(json(escalateModal(imp, 'Team', 'Program'))).toContain(`"block_id":"${BLOCK.impReason}"`);
  });

  it('shows the anonymous follow-up code once, with no submit', () => {
    const v = anonymousRaisedView('IMP-12', 'F12-ABCD-EFGH-JKLM');
    checkAll(v, 'modal');
    expect(v.submit).toBeUndefined();
    expect(v.close?.text).toBe('Done');
    const t = allText(v);
    for (const s of ['IMP-12', '```F12-ABCD-EFGH-JKLM```', 'only once', 'cannot be recovered', '/impediment follow F12-ABCD-EFGH-JKLM']) expect(t).toContain(s);
    checkAll(anonymousRaisedView(HOSTILE, `${HOSTILE}\`\`\``), 'modal');
  });
});

describe('impediment messages', () => {
  it('confirms to the reporter with Edit and Escalate', () => {
    const m = raisedConfirmation(impediment({ cards: [{ channel: 'CENG', ts: '1700000000.000100', target: 'CENG' }] }), engagement());
    checkAll(m);
    expect(actionIds(m)).toEqual([ACTION.impEdit, ACTION.impEscalate]);
    expect(buttons(m).every((b) => b.value === '41')).toBe(true);
    expect(allText(m)).toContain('<#CENG>');
    expect(actionIds(raisedConfirmation(impediment({ level: 3 }), engagement()))).toEqual([ACTION.impEdit]);
    checkAll(raisedConfirmation(hostileImp({ cards: [] }), hostileEng()));
  });

  it('an anonymous confirmation shows the code, no buttons and no reporter', () => {
    const m = raisedConfirmation(impediment({ anonymous: true, reporterId: null, source: 'modal' }), engagement(), { followUpCode: 'F12-ABCD-EFGH-JKLM' });
    checkAll(m);
    expect(actionIds(m)).toEqual([]);
    expect(allText(m)).toContain('`F12-ABCD-EFGH-JKLM`');
    expect(allText(m)).toContain('cannot be recovered');
  });

  it('escalation DM: who, reason, age, history, what acknowledging means, the card', () => {
    const history = Array.from({ length: 300 }, (_, i) => ({ at: new Date(Date.UTC(2026, 10, 23, 9, i % 60)), text: `${HOSTILE} <@U${i}> step ${i}` }));
    const m = escalationDm(impediment({ level: 2 }), engagement(), { levelName: 'Program', reason: HOSTILE, actorId: 'UESC', age: '2 days', history, timeZone: TZ, cardPermalink: 'https://acme.slack.com/archives/CENG/p1' });
    checkAll(m);
    const t = allText(m);
    for (const s of ['<@UESC>', '&lt;!channel&gt;', '2 days', 'What acknowledging means', '<@U0> step 0', 'Open the card', '{time}']) expect(t).toContain(s);
    expect(actionIds(m)).toContain(ACTION.impAcknowledge);
    const auto = escalationDm(impediment({ level: 3, waitingOnExecutives: true }), engagement(), { levelName: 'Executive', reason: 'No response', actorId: null, age: '5 days', history: [], timeZone: TZ });
    expect(allText(auto)).toContain('automatically');
    expect(allText(auto)).toContain('Waiting on executives');
    checkAll(escalationDm(hostileImp({ level: 2 }), hostileEng(), { levelName: HOSTILE, reason: 'r'.repeat(10_000), actorId: null, age: HOSTILE, history, timeZone: TZ }));
  });

  it('escalation DM for an anonymous impediment shows days only', () => {
    const history = [{ at: new Date('2026-11-23T14:37:00Z'), text: 'raised anonymously' }];
    const m = escalationDm(impediment({ anonymous: true, reporterId: 'ULEAK', level: 2 }), engagement(), { levelName: 'Program', reason: 'x', actorId: null, age: '5 hours', history, timeZone: TZ });
    checkAll(m);
    expect(json(m)).not.toContain('{time}');
    expect(json(m)).not.toContain('ULEAK');
    expect(allText(m)).toContain('less than a day');
  });

  it('tells a reporter it was resolved', () => {
    checkAll(resolvedDm(impediment({ state: 'resolved', resolutionNote: HOSTILE }), engagement(), 'UCOACH1'));
    expect(allText(resolvedDm(impediment({ state: 'wont_fix' }), engagement(), 'UCOACH1'))).toContain('won’t fix');
  });

  it('lists a huge list in ≤ 50 blocks and says how many more', () => {
    const items = Array.from({ length: 500 }, (_, i) => ({
      imp: hostileImp({ id: i + 1, number: i + 1, ownerId: 'UOWN', organisational: true, waitingOnExecutives: i % 2 === 0 }),
      engagementKey: 'payments-platform',
      levelName: HOSTILE,
    }));
    const scorecard: ScorecardRow[] = [
      { level: 1, name: HOSTILE, inTime: 4, late: 1, never: 0, medianMinutesToAck: 130 },
      { level: 2, name: 'Program', inTime: 0, late: 0, never: 2, medianMinutesToAck: null },
    ];
    const m = impedimentList(items, { title: `Impediments in ${HOSTILE}`, scorecard, levelNames: [HOSTILE, 'Program'], timeZone: TZ, total: 612 });
    checkAll(m);
    const t = allText(m);
    expect(t).toContain('4 in time · 1 late · 0 never · median time to acknowledge 2h 10m');
    expect(t).toContain('median time to acknowledge —');
    const shown = (t.match(/\*IMP-\d+\*/g) ?? []).length;
    expect(shown).toBeGreaterThan(10);
    expect(t).toContain(`…and ${612 - shown} more`);
  });

  it('lists a short list in order, and an empty one', () => {
    const m = impedimentList([{ imp: impediment(), engagementKey: 'k', levelName: 'Team' }, { imp: impediment({ number: 3 }), engagementKey: 'k', levelName: 'Team' }], { title: 'Open', timeZone: TZ, total: 2 });
    checkAll(m);
    expect(allText(m).indexOf('IMP-12')).toBeLessThan(allText(m).indexOf('IMP-3'));
    expect(allText(m)).not.toContain('more —');
    const empty = impedimentList([], { title: 'Mine', timeZone: TZ, total: 0 });
    checkAll(empty);
    expect(allText(empty)).toContain('No impediments match');
  });

  it('help covers every command, anonymity and lost codes', () => {
    const m = impedimentHelp();
    checkAll(m);
    const t = allText(m);
    for (const s of ['/impediment TEXT', 'list [KEY|mine|open]', 'resolve IMP-12', 'escalate IMP-12', '/escalate IMP-12', 'auto-escalation KEY on|off', 'follow CODE', 'Raise as impediment', 'cannot be recovered', '!critical', 'imp-12', 'anonymous']) {
      expect(t).toContain(s);
    }
  });

  it('follow view shows the answers escaped, within limits', () => {
    const replies = Array.from({ length: 300 }, (_, i) => ({ author: i % 2 ? 'reporter (anonymous)' : '<@UCOACH1>', text: `${HOSTILE} ${'a'.repeat(3000)}`, at: new Date(Date.UTC(2026, 10, 23, 10, i % 60)) }));
    const m = followView(hostileImp({ state: 'resolved' }), replies);
    checkAll(m);
    expect(allText(m)).toContain('*reporter (anonymous)*');
    const none = followView(impediment(), []);
    expect(allText(none)).toContain('No answers');
  });

  it('answers auto-escalation changes', () => {
    expect(allText(autoEscalationChanged('payments-platform', true))).toContain('*on* for `payments-platform`');
    checkAll(autoEscalationChanged(HOSTILE, false));
  });

  it('formats minutes', () => {
    expect([0, 45, 60, 130, 1440, 1500].map(formatMinutes)).toEqual(['0m', '45m', '1h', '2h 10m', '1d', '1d 1h']);
  });
});
