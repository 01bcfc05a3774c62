import { requestKind } from './middleware/admission';

type Body = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = (v: unknown): Body => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Body) : {});

/**
 * The one identity of a request from Slack, passed to a service as `requestKey` and claimed
 * (RequestLedger.claim) inside the transaction that acts on it. The same signed bytes replayed,
 * or Slack's retry of them (`x-slack-retry-num`), have the same identity and act once; a refused
 * or failed request leaves no claim, so it can be sent again.
 *
 * - slash commands and shortcuts: `trigger_id`
 * - view submissions: view id + view hash (the hash changes when the view is updated, so an
 *   updated form is a new request; an unchanged one submitted again is the same request)
 * - block actions: `trigger_id`, else `action_ts` + user + `action_id`
 * - events: `event_id`
 *
 * Undefined when the body carries none of these (admission refuses such bodies first).
 */
export function requestIdentity(body: unknown): string | undefined {
  const kind = requestKind(body);
  const b = obj(body);
  switch (kind) {
    case 'command':
    case 'shortcut':
    case 'message_action': {
      const trigger = str(b.trigger_id);
      return trigger && `${kind === 'command' ? 'command' : 'shortcut'}:${trigger}`;
    }
    case 'view_submission': {
      const view = obj(b.view);
      const id = str(view.id);
      return id && `view:${id}:${str(view.hash) ?? ''}`;
    }
    case 'block_actions': {
      const trigger = str(b.trigger_id);
      if (trigger) return `action:${trigger}`;
      const action = obj(Array.isArray(b.actions) ? b.actions[0] : undefined);
      const ts = str(action.action_ts);
      const user = str(obj(b.user).id);
      const actionId = str(action.action_id);
      return ts && user && actionId ? `action:${ts}:${user}:${actionId}` : undefined;
    }
    case 'event_callback': {
      const id = str(b.event_id);
      return id && `event:${id}`;
    }
    default:
      return undefined;
  }
}
