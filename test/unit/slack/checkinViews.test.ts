import type { InputBlock, KnownBlock, NumberInput, RadioButtons, SectionBlock } from '@slack/types';
import type { Outcome } from '../../../src/domain/types';
import { ACTION, BLOCK, CALLBACK, checkinOutcomeBlock } from '../../../src/slack/ids';
import { parseCheckinMetadata, parseCheckinSubmission } from '../../../src/slack/input/checkinInput';
import { checkinModal, checkinPost, checkinSavedReceipt, healthText, outcomeValueLine, textSections } from '../../../src/slack/views/checkinViews';
import { assertNoBroadcasts, assertWithinSlackLimits, mrkdwnStrings } from '../../support/blockLimits';
import { HOSTILE, checkin, engagement } from './checkinFixtures';

const inputs = (blocks: readonly KnownBlock[]) => blocks.filter((b): b is InputBlock => b.type === 'input');
const byId = (blocks: readonly KnownBlock[], id: string) => inputs(blocks).find((b) => b.block_id === id);
const allText = (v: unknown) => mrkdwnStrings(v).join('\n');
const manyOutcomes = (n: number, text = 'x'.repeat(1000)): Outcome[] =>
  Array.from({ length: n }, (_, i) => ({ text: `${text}${i}`, metric: i % 4 === 3 ? null : { baseline: i, target: i + 10, current: i + 1, unit: 'u'.repeat(30) } }));

describe('checkinModal', () => {
  it('is the check-in modal for this engagement, within Slack’s limits', () => {
    const m = checkinModal(engagement(), { latest: null });
    assertWithinSlackLimits(m);
    expect(m.callback_id).toBe(CALLBACK.checkin);
    expect(m.title.text.length).toBeLessThanOrEqual(24);
    expect(parseCheckinMetadata(m.private_metadata)).toEqual({ engagementId: 7 });
    expect(inputs(m.blocks).map((b) => b.block_id)).toEqual([BLOCK.checkinHealth, BLOCK.checkinSummary, BLOCK.checkinNextSteps, checkinOutcomeBlock(0)]);
    expect(byId(m.blocks, BLOCK.checkinNextSteps)?.optional).toBe(true);
    expect(byId(m.blocks, BLOCK.checkinSummary)?.optional).toBeUndefined();
  });

  it('prefills health from the latest check-in, else the engagement, else nothing', () => {
    const initial = (m: ReturnType<typeof checkinModal>) => (byId(m.blocks, BLOCK.checkinHealth)?.element as RadioButtons).initial_option?.value;
    expect(initial(checkinModal(engagement({ health: 'green' }), { latest: checkin({ health: 'red' }) }))).toBe('red');
    expect(initial(checkinModal(engagement({ health: 'green' }), { latest: null }))).toBe('green');
    expect(initial(checkinModal(engagement(), { latest: null }))).toBeUndefined();
  });

  it('has one number input per measured outcome, prefilled with the current value, baseline and target in the hint', () => {
    const outcomes: Outcome[] = [
      { text: 'Lead time', metric: { baseline: 21, target: 5, current: 14, unit: 'days' } },
      { text: 'Team runs its own retros', metric: null },
      { text: 'Change failure rate', metric: { baseline: 30, target: 10, current: null, unit: '%' } },
    ];
    const m = checkinModal(engagement({ outcomes }), { latest: null });
    const lead = byId(m.blocks, checkinOutcomeBlock(0));
    const cfr = byId(m.blocks, checkinOutcomeBlock(2));
    expect(byId(m.blocks, checkinOutcomeBlock(1))).toBeUndefined();
    expect(lead?.label.text).toBe('Lead time (days)');
    expect(lead?.hint?.text).toContain('21 → 5 days');
    expect(lead?.optional).toBe(true);
    expect(lead?.element).toMatchObject({ type: 'number_input', action_id: ACTION.value, is_decimal_allowed: true, initial_value: '14' });
    expect((cfr?.element as NumberInput).initial_value).toBeUndefined();
    expect(cfr?.hint?.text).toContain('30% → 10%');
    expect(allText(m)).toContain('Team runs its own retros');
  });

  it('stays within 100 blocks with 20 long outcomes, and with hundreds', () => {
    for (const n of [20, 300]) {
      const m = checkinModal(engagement({ outcomes: manyOutcomes(n), name: HOSTILE.repeat(10) }), { latest: checkin() });
      assertWithinSlackLimits(m);
      assertNoBroadcasts(m);
      expect(m.blocks.length).toBeLessThanOrEqual(100);
    }
    expect(inputs(checkinModal(engagement({ outcomes: manyOutcomes(20) }), { latest: null }).blocks)).toHaveLength(3 + 15);
  });

  it('says so when no outcome has a measure', () => {
    const m = checkinModal(engagement({ outcomes: [{ text: 'Happier team', metric: null }] }), { latest: null });
    expect(allText(m)).toContain('/kickoff edit payments-platform');
  });

  it('reads back what it renders (block ids agree with the parser)', () => {
    const e = engagement();
    const m = checkinModal(e, { latest: null });
    const values = Object.fromEntries(
      inputs(m.blocks).map((b) => {
        const v = b.element.type === 'radio_buttons' ? { selected_option: { value: 'green' } } : { value: b.element.type === 'number_input' ? '9' : 'Fine' };
        return [b.block_id, { [ACTION.value]: v }];
      }),
    );
    expect(parseCheckinSubmission(values, e.outcomes)).toEqual({
      ok: true,
      input: { health: 'green', summary: 'Fine', nextSteps: 'Fine', outcomeValues: [{ position: 0, value: 9 }] },
    });
  });
});

describe('checkinPost', () => {
  it('shows health, summary, next steps and outcome values with progress', () => {
    const m = checkinPost(engagement(), checkin(), 'UCOACH1');
    assertWithinSlackLimits(m);
    const text = allText(m);
    expect(text).toContain(':large_yellow_circle: *Check-in* by <@UCOACH1> · health *Amber*');
    expect(text).toContain('*Summary*\nRetro happened; releases still slow');
    expect(text).toContain('*Next steps*\nPair on the deploy pipeline');
    expect(text).toContain('Lead time: 21 → 14 → 5 days · 44% of the way');
    expect(m.text).toContain('Amber');
  });

  it('leaves out empty next steps and values for outcomes that are gone or unmeasured', () => {
    const m = checkinPost(engagement(), checkin({ nextSteps: ' ', outcomeValues: [{ position: 1, value: 3 }, { position: 9, value: 3 }] }), 'UCOACH1');
    const text = allText(m);
    expect(text).not.toContain('Next steps');
    expect(text).not.toContain('*Outcomes*');
  });

  it('marks a reached outcome', () => {
    expect(outcomeValueLine({ text: 'Lead time', metric: { baseline: 21, target: 5, current: null, unit: 'days' } }, 4)).toBe('Lead time: 21 → 4 → 5 days · reached :white_check_mark:');
  });

  it('escapes what people typed and keeps all of a long summary', () => {
    const summary = '<'.repeat(3000);
    const m = checkinPost(engagement({ name: HOSTILE }), checkin({ summary, nextSteps: HOSTILE }), 'UCOACH1');
    assertWithinSlackLimits(m);
    assertNoBroadcasts(m);
    const sections = m.blocks.filter((b): b is SectionBlock => b.type === 'section').map((b) => b.text?.text ?? '');
    const hostileOpens = HOSTILE.split('<').length - 1; // next steps
    expect(sections.join('').split('&lt;').length - 1).toBe(3000 + hostileOpens);
    expect(allText(m)).not.toContain('<@U999>');
  });

  it('stays within 50 blocks whatever the data', () => {
    const e = engagement({ outcomes: manyOutcomes(200, '&'.repeat(300)) });
    const values = e.outcomes.map((_, position) => ({ position, value: position * 1.5 }));
    const m = checkinPost(e, checkin({ summary: '&'.repeat(3000), nextSteps: '&'.repeat(3000), outcomeValues: values }), 'UCOACH1');
    assertWithinSlackLimits(m);
  });
});

describe('textSections', () => {
  it('never splits an entity and prefers to break at a space', () => {
    const raw = `${'word '.repeat(700)}${'&'.repeat(800)}`;
    const sections = textSections('Summary', raw).map((s) => s.text?.text ?? '');
    expect(sections.length).toBeGreaterThan(1);
    for (const s of sections) {
      expect(s.length).toBeLessThanOrEqual(3000);
      expect(s).not.toMatch(/&(?!amp;)/);
    }
    expect(sections[0]?.endsWith('word')).toBe(true);
    expect(textSections('', '   ')).toEqual([]);
  });
});

describe('checkinSavedReceipt', () => {
  it('says where it went', () => {
    const m = checkinSavedReceipt(engagement(), { health: 'red', permalink: 'https://acme.slack.com/archives/CENG/p1' });
    assertWithinSlackLimits(m);
    expect(m.text).toContain('<#CENG>');
    expect(m.text).toContain('<https://acme.slack.com/archives/CENG/p1|see it in the thread>');
    expect(m.text).toContain(healthText('red'));
  });

  it('copes without an engagement channel and never links a bad permalink', () => {
    const m = checkinSavedReceipt(engagement({ engagementChannelId: null, name: HOSTILE }), { permalink: 'javascript:alert(1)' });
    assertNoBroadcasts(m);
    expect(m.text).toContain('no engagement channel');
    expect(m.text).not.toContain('javascript');
  });
});
