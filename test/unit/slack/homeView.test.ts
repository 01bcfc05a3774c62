import type { KnownBlock } from '@slack/types';
import { ACTION, BLOCK } from '../../../src/slack/ids';
import { parseHomeButton } from '../../../src/slack/input/checkinInput';
import { homeView, type HomeEngagement, type HomeInput } from '../../../src/slack/views/homeView';
import { assertNoBroadcasts, assertWithinSlackLimits, mrkdwnStrings } from '../../support/blockLimits';
import { HOSTILE, TZ, buttonsIn, engagement, impediment } from './checkinFixtures';

const allText = (v: unknown) => mrkdwnStrings(v).join('\n');
const checkinButtons = (blocks: readonly KnownBlock[]) => buttonsIn(blocks).filter((b) => b.action_id === ACTION.homeCheckin);

function input(over: Partial<HomeInput> = {}): HomeInput {
  return {
    userId: 'UCOACH1',
    waiting: { escalations: [], owned: [], checkinsOwed: [] },
    engagements: [],
    timeZone: TZ,
    isAdmin: false,
    ...over,
  };
}

describe('homeView', () => {
  it('shows empty states that say what to do, and the kickoff and raise buttons', () => {
    const v = homeView(input());
    assertWithinSlackLimits(v, { surface: 'home' });
    expect(v.type).toBe('home');
    const text = allText(v);
    expect(text).toContain('Nothing is waiting on you');
    expect(text).toContain('You are not on any engagement yet');
    expect(text).toContain('*Kick off an engagement*');
    const top = v.blocks.find((b) => b.block_id === BLOCK.homeActions);
    expect(buttonsIn(top ? [top] : []).map((b) => [b.action_id, b.text.text])).toEqual([
      [ACTION.homeKickoff, 'Kick off an engagement'],
      [ACTION.homeRaise, 'Raise an impediment'],
    ]);
    expect(checkinButtons(v.blocks)).toEqual([]);
    expect(text).not.toContain('workspace admin');
  });

  it('lists what waits on the user and their engagements with health', () => {
    const e = engagement({ health: 'amber' });
    const other = engagement({ id: 8, key: 'mobile', name: 'Mobile', sponsorId: 'UX', coachIds: ['UY'], health: null });
    const v = homeView(
      input({
        waiting: {
          escalations: [{ imp: impediment({ number: 12, level: 2 }), engagementKey: 'payments-platform', levelName: 'Program' }],
          owned: [{ imp: impediment({ number: 13, state: 'acknowledged' }), engagementKey: 'payments-platform' }],
          checkinsOwed: [e],
        },
        engagements: [
          { e, role: 'coach', health: 'amber', computed: 'red' },
          { e: other, role: 'escalation contact', health: null },
        ],
        isAdmin: true,
      }),
    );
    assertWithinSlackLimits(v, { surface: 'home' });
    const text = allText(v);
    expect(text).toContain('*Escalated to your level (1)');
    expect(text).toContain('*IMP-12* in `payments-platform` · level *Program* · due <!date^');
    expect(text).toContain('*IMP-13* in `payments-platform` · Acknowledged · raised <!date^');
    expect(text).toContain('*Check-ins you owe (1)*');
    expect(text).toContain(':large_yellow_circle: Amber *Payments platform* (`payments-platform`) · _coach_ · signals suggest red');
    expect(text).toContain(':white_circle: No check-in yet *Mobile* (`mobile`) · _escalation contact_');
    expect(text).toContain('workspace admin');
    // One Check in for the owed check-in, one on the engagement the user coaches, none on the other.
    expect(checkinButtons(v.blocks).map((b) => parseHomeButton(b.value))).toEqual([{ engagementId: 7 }, { engagementId: 7 }]);
  });

  it('offers no Check in on engagements that are not active', () => {
    const v = homeView(input({ engagements: [{ e: engagement({ lifecycle: 'completed' }), role: 'coach', health: 'green' }] }));
    expect(checkinButtons(v.blocks)).toEqual([]);
    expect(allText(v)).toContain('· completed');
  });

  it('shows days only and no people for anonymous impediments', () => {
    const anon = impediment({ anonymous: true, reporterId: 'USECRET', dueAt: new Date('2026-11-25T14:37:00Z') });
    const v = homeView(input({ waiting: { escalations: [{ imp: anon, engagementKey: 'k1', levelName: 'Team' }], owned: [], checkinsOwed: [] } }));
    const text = allText(v);
    expect(JSON.stringify(v)).not.toContain('USECRET');
    expect(text).toContain('|2026-11-25>');
    expect(text).not.toContain('14:37');
  });

  it('escapes what people typed', () => {
    const e = engagement({ name: HOSTILE });
    const v = homeView(
      input({
        waiting: {
          escalations: [{ imp: impediment({ description: HOSTILE }), engagementKey: HOSTILE, levelName: HOSTILE }],
          owned: [{ imp: impediment({ description: HOSTILE }), engagementKey: HOSTILE }],
          checkinsOwed: [e],
        },
        engagements: [{ e, role: HOSTILE, health: 'red' }],
      }),
    );
    assertWithinSlackLimits(v, { surface: 'home' });
    assertNoBroadcasts(v);
    expect(allText(v)).not.toContain('<@U999>');
  });

  it('stays within 100 blocks however much data there is, pointing to the rest', () => {
    const long = '&<'.repeat(600);
    const imps = Array.from({ length: 500 }, (_, i) => impediment({ id: i + 1, number: i + 1, description: long }));
    const es = Array.from({ length: 300 }, (_, i) => engagement({ id: i + 1, key: `key-${i}`, name: long, coachIds: ['UCOACH1'] }));
    const engagements: HomeEngagement[] = es.map((e) => ({ e, role: long, health: 'green', computed: 'amber' }));
    const v = homeView(
      input({
        waiting: {
          escalations: imps.map((imp) => ({ imp, engagementKey: 'payments-platform', levelName: long })),
          owned: imps.map((imp) => ({ imp, engagementKey: 'payments-platform' })),
          checkinsOwed: es,
        },
        engagements,
        isAdmin: true,
      }),
    );
    assertWithinSlackLimits(v, { surface: 'home' });
    expect(v.blocks.length).toBeLessThanOrEqual(100);
    const text = allText(v);
    expect(text).toContain('…and 490 more — see `/impediment list mine`');
    expect(text).toContain('…and 290 more — see `/status mine`');
    expect(text).toContain('…and 280 more — see `/status mine`');
    expect(text).toContain('workspace admin'); // the footer survives
  });
});
