import type { Outcome } from '../../../src/domain/types';
import { BLOCK, checkinOutcomeBlock } from '../../../src/slack/ids';
import {
  encodeCheckinMetadata,
  encodeSnoozeValue,
  parseCheckinMetadata,
  parseCheckinSubmission,
  parseHomeButton,
  parseMetricValue,
  parseSnoozeValue,
} from '../../../src/slack/input/checkinInput';
import { numberInput, plainText, radio, type StateValues } from '../../../src/sandbox/payloads';

const outcomes: Outcome[] = [
  { text: 'Lead time', metric: { baseline: 21, target: 5, current: 14, unit: 'days' } },
  { text: 'Team runs its own retros', metric: null },
  { text: 'Deploys a week', metric: { baseline: 1, target: 10, current: null, unit: '' } },
];

function state(over: { health?: string | null; summary?: string | null; next?: string | null; metrics?: Record<number, string | null> } = {}): StateValues {
  const s: StateValues = {
    [BLOCK.checkinHealth]: { value: radio(over.health === undefined ? 'amber' : over.health) },
    [BLOCK.checkinSummary]: { value: plainText(over.summary === undefined ? 'Retro went well' : over.summary) },
    [BLOCK.checkinNextSteps]: { value: plainText(over.next === undefined ? null : over.next) },
  };
  for (const [pos, v] of Object.entries(over.metrics ?? {})) s[checkinOutcomeBlock(Number(pos))] = { value: numberInput(v) };
  return s;
}

describe('parseCheckinSubmission', () => {
  it('reads health, summary, next steps and the typed metric values', () => {
    const r = parseCheckinSubmission(state({ summary: '  Retro went well \n', next: 'Pair on CI', metrics: { 0: '12.5', 2: '3' } }), outcomes);
    expect(r).toEqual({
      ok: true,
      input: { health: 'amber', summary: 'Retro went well', nextSteps: 'Pair on CI', outcomeValues: [{ position: 0, value: 12.5 }, { position: 2, value: 3 }] },
    });
  });

  it('treats an empty metric as unchanged (no value recorded)', () => {
    const r = parseCheckinSubmission(state({ metrics: { 0: null, 2: '  ' } }), outcomes);
    expect(r.ok && r.input.outcomeValues).toEqual([]);
    expect(parseCheckinSubmission(state(), outcomes)).toMatchObject({ ok: true, input: { nextSteps: '', outcomeValues: [] } });
  });

  it('reports every problem on its own block at once', () => {
    const r = parseCheckinSubmission(state({ health: null, summary: '   ', metrics: { 0: '1,234', 2: 'twelve' } }), outcomes);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual([BLOCK.checkinHealth, BLOCK.checkinSummary, checkinOutcomeBlock(0), checkinOutcomeBlock(2)].sort());
    expect(r.errors[checkinOutcomeBlock(0)]).toMatch(/without commas/);
    expect(r.errors[BLOCK.checkinHealth]).toMatch(/green, amber or red/);
  });

  it('counts length in characters as Slack does: 3,000 emoji fit, 3,001 do not', () => {
    expect(parseCheckinSubmission(state({ summary: '🙂'.repeat(3000) }), outcomes).ok).toBe(true);
    const long = parseCheckinSubmission(state({ summary: 'x', next: 'y'.repeat(3001) }), outcomes);
    expect(long).toEqual({ ok: false, errors: { [BLOCK.checkinNextSteps]: 'This is 3,001 characters; keep it to 3,000 or fewer' } });
  });

  it('refuses a forged health value', () => {
    for (const health of ['purple', 'GREEN', '']) {
      expect(parseCheckinSubmission(state({ health }), outcomes)).toEqual({ ok: false, errors: { [BLOCK.checkinHealth]: expect.stringMatching(/Choose/) } });
    }
  });

  it('survives forged shapes without throwing, reporting what it could not read', () => {
    for (const values of [null, undefined, 'x', 42, [], { [BLOCK.checkinHealth]: 'green' }]) {
      const r = parseCheckinSubmission(values, outcomes);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors[BLOCK.checkinSummary]).toBeDefined();
    }
    const wrongTypes = { ...state(), [BLOCK.checkinSummary]: { value: { type: 'plain_text_input', value: 42 } } };
    expect(parseCheckinSubmission(wrongTypes, outcomes)).toEqual({ ok: false, errors: { [BLOCK.checkinSummary]: 'This field could not be read; fill it in again' } });
    const polluted = JSON.parse(`{"__proto__": {"value": {"value": "x"}}, "${BLOCK.checkinSummary}": {"value": {"value": "ok"}}, "${BLOCK.checkinHealth}": {"value": {"selected_option": {"value": "red"}}}}`) as unknown;
    expect(parseCheckinSubmission(polluted, outcomes)).toMatchObject({ ok: true, input: { health: 'red', summary: 'ok' } });
  });

  it('ignores metric blocks for outcomes without a metric or that do not exist', () => {
    const forged = state({ metrics: { 1: '99', 3: '5', [-1]: '7' } });
    expect(parseCheckinSubmission(forged, outcomes)).toMatchObject({ ok: true, input: { outcomeValues: [] } });
  });
});

describe('parseMetricValue', () => {
  it.each([
    ['12', 12],
    ['12.5', 12.5],
    ['-3', -3],
    ['+3', 3],
    ['\u22123', -3],
    ['.5', 0.5],
    ['0.50', 0.5],
    ['  7 ', 7],
    ['-0', 0],
    ['1000000000000', 1e12],
  ])('accepts %j', (text, value) => {
    expect(parseMetricValue(text)).toEqual({ ok: true, value });
  });

  it.each(['1,234', '12,5', '1,234.5', '1e3', 'NaN', 'Infinity', '0x10', '12abc', '12 days', '--3', '.', '1000000000001', '9'.repeat(41)])(
    'refuses %j with a message',
    (text) => {
      const r = parseMetricValue(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message.length).toBeGreaterThan(10);
    },
  );
});

describe('metadata and button values', () => {
  it('round-trips the modal’s metadata and rejects anything tampered with', () => {
    const text = encodeCheckinMetadata({ engagementId: 7 });
    expect(parseCheckinMetadata(text)).toEqual({ engagementId: 7 });
    for (const bad of [undefined, null, 7, '', 'not json', '{"engagementId":"7"}', '{"engagementId":0}', '{"engagementId":-2}', '{"engagementId":1.5}', '{"engagementId":7,"admin":true}', '{}', JSON.stringify({ engagementId: 7, pad: 'x'.repeat(3000) })]) {
      expect(parseCheckinMetadata(bad)).toBeNull();
    }
    expect(() => encodeCheckinMetadata({ engagementId: 0 })).toThrow();
  });

  it('reads the Home "Check in" button value: a positive id in decimal only', () => {
    expect(parseHomeButton('12')).toEqual({ engagementId: 12 });
    for (const bad of ['0', '-1', '1.5', ' 12', '12abc', '', '0012', '9999999999999999', 12, null, undefined]) expect(parseHomeButton(bad)).toBeNull();
  });

  it('round-trips snooze values and rejects forged ones', () => {
    expect(parseSnoozeValue(encodeSnoozeValue({ kind: 'checkin', id: 12 }))).toEqual({ kind: 'checkin', id: 12 });
    expect(parseSnoozeValue('{"kind":"impediment","id":34}')).toEqual({ kind: 'impediment', id: 34 });
    for (const bad of [
      '{"kind":"engagement","id":1}',
      '{"kind":"checkin","id":0}',
      '{"kind":"checkin","id":"12"}',
      '{"kind":"checkin","id":12,"user":"U1"}',
      '{"kind":"checkin"}',
      `{"kind":"checkin","id":12${' '.repeat(100)}}`,
      'checkin:12',
      '',
      34,
      null,
    ]) {
      expect(parseSnoozeValue(bad)).toBeNull();
    }
  });
});
