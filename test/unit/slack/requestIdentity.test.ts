import { requestIdentity } from '../../../src/slack/requestIdentity';
import { appHomeOpened, blockActions, eventCallback, messageShortcut, slashCommand, viewSubmission } from '../../../src/sandbox/payloads';

/** What the listener receives: the payload after the HTTP receiver parsed it (a round trip through JSON). */
const parsed = (body: object): unknown => JSON.parse(JSON.stringify(body));

describe('requestIdentity: one id per request, the same for a replay or a retry of it', () => {
  it('slash commands by trigger_id', () => {
    const c = slashCommand({ command: '/impediment', text: 'The CAB meets monthly', trigger_id: '111.222.aaa' });
    expect(requestIdentity(parsed(c))).toBe('command:111.222.aaa');
    expect(requestIdentity(parsed({ ...c, text: 'something else' }))).toBe('command:111.222.aaa');
    expect(requestIdentity(parsed({ ...c, trigger_id: '111.222.bbb' }))).toBe('command:111.222.bbb');
  });

  it('shortcuts by trigger_id', () => {
    const s = { ...messageShortcut({ callback_id: 'raise', message: { ts: '1.2' } }), trigger_id: '333.444.ccc' };
    expect(requestIdentity(parsed(s))).toBe('shortcut:333.444.ccc');
  });

  it('view submissions by view id and hash: a new hash (the view was updated) is a new request', () => {
    const sub = (hash?: string, id = 'V0001', summary = 'x') =>
      parsed(viewSubmission({ view: { id, ...(hash ? { hash } : {}), callback_id: 'checkin', state_values: { s: { v: { type: 'plain_text_input', value: summary } } } } }));
    const a = sub('1700000000.abcd');
    expect(requestIdentity(a)).toBe('view:V0001:1700000000.abcd');
    // The trigger_id of a submission differs per delivery in the payload factory; only the view counts.
    expect(requestIdentity(sub('1700000000.abcd', 'V0001', 'fixed after a refusal'))).toBe(requestIdentity(a));
    expect(requestIdentity(sub('1700000099.ef01'))).toBe('view:V0001:1700000099.ef01');
    expect(requestIdentity(sub('1700000000.abcd', 'V0002'))).toBe('view:V0002:1700000000.abcd');
    const noHash = { ...(a as { view: Record<string, unknown> }) };
    noHash.view = { ...noHash.view, hash: undefined };
    expect(requestIdentity(parsed(noHash))).toBe('view:V0001:');
  });

  it('block actions by trigger_id, else by action_ts + user + action_id', () => {
    const click = blockActions({ user: 'UCOACH1', actions: [{ action_id: 'imp_ack', block_id: 'b', value: '{"i":1}' }], channel: { id: 'C1' }, message: { ts: '1.1' } }) as Record<string, unknown>;
    click.trigger_id = '555.666.ddd';
    expect(requestIdentity(parsed(click))).toBe('action:555.666.ddd');
    const { trigger_id: _t, ...untriggered } = click;
    const ts = (untriggered.actions as { action_ts: string }[])[0]!.action_ts;
    expect(requestIdentity(parsed(untriggered))).toBe(`action:${ts}:UCOACH1:imp_ack`);
    expect(requestIdentity(parsed({ ...untriggered, actions: [] }))).toBeUndefined();
  });

  it('events by event_id', () => {
    const e = eventCallback(appHomeOpened('USPONSOR'), { eventId: 'Ev0HOME1' });
    expect(requestIdentity(parsed(e))).toBe('event:Ev0HOME1');
    expect(requestIdentity(parsed({ ...e, event: appHomeOpened('USPONSOR') }))).toBe('event:Ev0HOME1');
  });

  it('kinds without an id, and bodies that are not requests, have none', () => {
    for (const body of [null, 'text', [], {}, { type: 'url_verification', challenge: 'c' }, { command: '/kickoff' }, { type: 'view_submission', view: {} }, { type: 'event_callback', event_id: '' }]) {
      expect(requestIdentity(body)).toBeUndefined();
    }
  });

  it('kinds never share an id even when Slack reuses the same string', () => {
    const keys = [
      requestIdentity({ command: '/x', trigger_id: 'same' }),
      requestIdentity({ type: 'shortcut', trigger_id: 'same' }),
      requestIdentity({ type: 'block_actions', trigger_id: 'same', actions: [{}], user: {} }),
      requestIdentity({ type: 'view_submission', view: { id: 'same' } }),
      requestIdentity({ type: 'event_callback', event_id: 'same' }),
    ];
    expect(new Set(keys).size).toBe(5);
  });
});
