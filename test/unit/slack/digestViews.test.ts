import { ACTION, BLOCK } from '../../../src/slack/ids';
import { parseHomeButton, parseSnoozeValue } from '../../../src/slack/input/checkinInput';
import { checkinReminder, digestMessage, impedimentReminder, snoozedReceipt, type DigestInput } from '../../../src/slack/views/digestViews';
import { assertNoBroadcasts, assertWithinSlackLimits, mrkdwnStrings } from '../../support/blockLimits';
import { HOSTILE, TZ, buttonsIn, checkin, engagement, impediment } from './checkinFixtures';

const allText = (v: unknown) => mrkdwnStrings(v).join('\n');
const week = { from: new Date('2026-11-23T08:00:00Z'), to: new Date('2026-11-30T08:00:00Z') };

function input(over: Partial<DigestInput> = {}): DigestInput {
  return {
    engagement: engagement(),
    ...week,
    healthBefore: 'green',
    healthNow: 'green',
    checkins: [],
    raised: [],
    resolved: [],
    escalated: [],
    outcomeMoves: [],
    timeZone: TZ,
    ...over,
  };
}

describe('digestMessage', () => {
  it('says nothing changed this week when nothing did', () => {
    const m = digestMessage(input());
    assertWithinSlackLimits(m);
    expect(allText(m)).toContain('Nothing changed this week');
    expect(allText(m)).toContain('/status update payments-platform');
    expect(m.text).toBe('Weekly digest for Payments platform: nothing changed this week.');
    expect(m.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Weekly digest: Payments platform' } });
  });

  it('shows the period as days in the reader’s zone', () => {
    const text = allText(digestMessage(input()));
    expect(text).toContain('|2026-11-23>');
    expect(text).toContain('|2026-11-30>');
  });

  it('counts an outcome "move" that did not move as nothing', () => {
    const m = digestMessage(input({ outcomeMoves: [{ text: 'Lead time', from: 14, to: 14, unit: 'days' }] }));
    expect(allText(m)).toContain('Nothing changed this week');
  });

  it('lists health, check-ins, impediments and outcome movement', () => {
    const m = digestMessage(
      input({
        healthBefore: 'green',
        healthNow: 'amber',
        checkins: [checkin({ health: 'amber', summary: 'Releases still slow' })],
        raised: [impediment({ number: 13 })],
        resolved: [impediment({ number: 9, state: 'wont_fix', ownerId: 'UOWNER' })],
        escalated: [impediment({ number: 12, level: 3, waitingOnExecutives: true })],
        outcomeMoves: [
          { text: 'Lead time', from: 21, to: 14, unit: 'days' },
          { text: 'Deploys a week', from: null, to: 3, unit: '' },
        ],
      }),
    );
    assertWithinSlackLimits(m);
    const text = allText(m);
    expect(text).toContain('*Health:* :large_yellow_circle: Amber (was Green).');
    expect(text).toContain('*Check-ins (1)*');
    expect(text).toContain('<@UCOACH1> — Releases still slow');
    expect(text).toContain('*IMP-13* — Staging is down every Monday · raised by <@UREPORTER>');
    expect(text).toContain('*IMP-9* — Staging is down every Monday · Won’t fix · owner <@UOWNER>');
    expect(text).toContain('*IMP-12* — Staging is down every Monday · now at level 3 · :rotating_light: waiting on executives');
    expect(text).toContain('Lead time: 21 → *14* days');
    expect(text).toContain('Deploys a week: — → *3*');
    expect(m.text).toBe(
      'Weekly digest for Payments platform: health Amber (was Green); 1 check-in; 1 impediments raised, 1 resolved, 1 escalated; 2 outcomes moved.',
    );
  });

  it('never names anyone on an anonymous impediment, even if a row carried ids by mistake', () => {
    const anon = impediment({ anonymous: true, reporterId: 'USECRET', ownerId: 'UOWNERX', state: 'resolved' });
    const m = digestMessage(input({ raised: [anon], resolved: [anon], escalated: [anon] }));
    const json = JSON.stringify(m);
    expect(json).not.toContain('USECRET');
    expect(json).not.toContain('UOWNERX');
    expect(allText(m)).toContain('raised anonymously');
  });

  it('escapes what people typed', () => {
    const m = digestMessage(
      input({
        engagement: engagement({ name: HOSTILE }),
        checkins: [checkin({ summary: HOSTILE })],
        raised: [impediment({ description: HOSTILE })],
        outcomeMoves: [{ text: HOSTILE, from: 1, to: 2, unit: HOSTILE }],
      }),
    );
    assertNoBroadcasts(m);
    expect(allText(m)).not.toContain('<http://evil.example'); // the header is plain_text, shown literally
    expect(allText(m)).not.toContain('<@U999>');
  });

  it('stays within 50 blocks and says how many more there are, however much happened', () => {
    const long = '&<'.repeat(1500);
    const imps = Array.from({ length: 500 }, (_, i) => impediment({ id: i + 1, number: i + 1, description: long }));
    const m = digestMessage(
      input({
        healthNow: 'red',
        checkins: Array.from({ length: 200 }, (_, i) => checkin({ id: i + 1, summary: long })),
        raised: imps,
        resolved: imps,
        escalated: imps,
        outcomeMoves: Array.from({ length: 100 }, (_, i) => ({ text: long, from: i, to: i + 1, unit: long })),
      }),
    );
    assertWithinSlackLimits(m);
    const text = allText(m);
    expect(text).toContain('…and 195 more — see `/status payments-platform`');
    expect(text).toContain('…and 492 more — see `/impediment list payments-platform`');
  });
});

describe('reminders', () => {
  it('asks a coach to check in, with Check in and Snooze a week buttons', () => {
    const m = checkinReminder(engagement(), 9);
    assertWithinSlackLimits(m);
    expect(m.text).toContain('has had no check-in for 9 days');
    const [open, snooze] = buttonsIn(m.blocks);
    expect(open?.action_id).toBe(ACTION.homeCheckin);
    expect(parseHomeButton(open?.value)).toEqual({ engagementId: 7 });
    expect(snooze?.action_id).toBe(ACTION.snoozeReminder);
    expect(snooze?.text.text).toBe('Snooze a week');
    expect(parseSnoozeValue(snooze?.value)).toEqual({ kind: 'checkin', id: 7 });
    expect(m.blocks.some((b) => b.block_id === BLOCK.reminderActions)).toBe(true);
    expect(checkinReminder(engagement(), null).text).toContain('since kickoff');
    expect(checkinReminder(engagement(), 1).text).toContain('for 1 day.');
  });

  it('reminds an owner of an idle impediment, with Resolve and Snooze a week buttons', () => {
    const m = impedimentReminder(impediment({ id: 34, number: 12 }), 'payments-platform', 5);
    assertWithinSlackLimits(m);
    expect(m.text).toBe('IMP-12 in payments-platform, which you own, has had no activity for 5 business days.');
    const ids = buttonsIn(m.blocks).map((b) => [b.action_id, b.value]);
    expect(ids).toEqual([
      [ACTION.impResolve, '34'],
      [ACTION.snoozeReminder, '{"kind":"impediment","id":34}'],
    ]);
  });

  it('names nobody and escapes the text of an anonymous impediment', () => {
    const m = impedimentReminder(impediment({ anonymous: true, reporterId: 'USECRET', description: HOSTILE }), HOSTILE, 6);
    assertWithinSlackLimits(m);
    assertNoBroadcasts(m);
    expect(JSON.stringify(m)).not.toContain('USECRET');
  });

  it('confirms a snooze with the time it ends', () => {
    const m = snoozedReceipt(new Date('2026-12-07T09:30:00Z'));
    assertWithinSlackLimits(m);
    expect(m.text).toContain(`<!date^${Date.parse('2026-12-07T09:30:00Z') / 1000}^`);
  });
});
