import type { Pulse, PulseSummary } from '../../../src/domain/ports';
import { pulseResults, type PulseAnswer, type PulseScores } from '../../../src/domain/pulseRules';
import { BLOCK, CALLBACK, PULSE_BLOCKS } from '../../../src/slack/ids';
import { parsePulseMetadata } from '../../../src/slack/input/pulseInput';
import { homeView } from '../../../src/slack/views/homeView';
import { distributionBars, pulseClosedMessage, pulseModal, pulseResultLines, pulseStatusBlocks, pulseWords } from '../../../src/slack/views/pulseViews';
import { assertNoBroadcasts, assertWithinSlackLimits, mrkdwnStrings } from '../../support/blockLimits';
import { HOSTILE, TZ, engagement } from './checkinFixtures';

const pulse = (over: Partial<Pulse> = {}): Pulse => ({
  id: 7,
  teamId: 'T1',
  engagementId: 1,
  occurrence: 'baseline',
  reason: 'baseline',
  requestedBy: null,
  status: 'closed',
  asked: 9,
  answered: 6,
  openedAt: new Date('2026-11-09T08:00:00Z'),
  remindAt: new Date('2026-11-12T08:00:00Z'),
  closesAt: new Date('2026-11-16T08:00:00Z'),
  closedOn: '2026-11-16',
  ...over,
});
const answers = (n: number, scores: PulseScores, comment: string | null = null): PulseAnswer[] => Array.from({ length: n }, () => ({ scores, comment }));

describe('pulse views', () => {
  it('the modal has one 1–5 choice per statement, an optional comment and the pulse id', () => {
    const m = pulseModal(engagement(), pulse());
    assertWithinSlackLimits(m, { surface: 'modal' });
    expect(m.callback_id).toBe(CALLBACK.pulse);
    const ids = m.blocks.filter((b) => b.type === 'input').map((b) => (b as { block_id: string }).block_id);
    expect(ids).toEqual([...PULSE_BLOCKS, BLOCK.pulseComment]);
    expect(parsePulseMetadata(m.private_metadata)).toEqual({ pulseId: 7 });
  });

  it('below the threshold says only how many answered; from it, medians, bars and changes', () => {
    expect(pulseResultLines(pulseResults(answers(4, [5, 5, 5, 5, 5]), null, 5))).toEqual(["4 answered; results show from 5 answers, so that nobody's answer can be singled out."]);
    const shown = pulseResultLines(pulseResults(answers(5, [4, 4, 2, 4, 3]), answers(5, [4, 4, 4, 4, 3]), 5));
    expect(shown[0]).toBe('*Buy-in* 4 of 5 (±0 since the last pulse) · *Safety* 2 of 5 (−2 since the last pulse) · 5 answers');
    expect(shown[3]).toContain('Safe to raise problems (−2 since the last pulse)');
    expect(distributionBars([0, 1, 0, 4, 2])).toBe('·▃·█▅');
  });

  it('a closed pulse shows comments escaped, only when shown; nothing broadcasts', () => {
    const e = engagement();
    const r = pulseResults(answers(5, [4, 4, 4, 4, 4], HOSTILE), null, 5);
    const m = pulseClosedMessage(e, pulse(), r);
    assertWithinSlackLimits(m, { surface: 'message' });
    assertNoBroadcasts(m);
    expect(mrkdwnStrings(m).join('\n')).toContain('Comments (in no particular order)');
    const hidden = pulseClosedMessage(e, pulse(), pulseResults(answers(3, [4, 4, 4, 4, 4], 'secret'), null, 5));
    expect(JSON.stringify(hidden)).not.toContain('secret');
  });

  it('status, Home and open pulses', () => {
    const summary: PulseSummary = { latest: { pulse: pulse(), results: pulseResults(answers(5, [4, 4, 3, 4, 4]), answers(5, [4, 4, 5, 4, 4]), 5) }, open: null };
    expect(pulseWords(summary)).toBe('pulse: buy-in 4 · safety 3 (−2)');
    expect(pulseWords({ latest: null, open: pulse({ status: 'open', answered: 2, asked: 8 }) })).toBe('pulse open, 2 of 8 answered');
    expect(pulseWords(null)).toBeNull();
    expect(pulseStatusBlocks(null, TZ)).toEqual([]);
    expect(mrkdwnStrings(pulseStatusBlocks(summary, TZ)).join('\n')).toContain('*Team pulse*');
    const home = homeView({ userId: 'UCOACH1', waiting: { escalations: [], owned: [], checkinsOwed: [] }, engagements: [{ e: engagement(), role: 'coach', health: 'green', pulse: summary }], timeZone: TZ, isAdmin: false });
    expect(mrkdwnStrings(home).join('\n')).toContain('pulse: buy-in 4 · safety 3 (−2)');
  });
});
