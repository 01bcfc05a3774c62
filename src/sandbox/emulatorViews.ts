/**
 * views.open / views.push / views.update / views.publish for the Slack emulator.
 */
import { randomBytes } from 'node:crypto';
import { validateView } from './emulatorBlocks';
import type { Answer, Handler } from './emulatorMethods';
import { ApiFailure, type Args, type EmulatedView, type EmulatorState, str } from './emulatorState';

function invalidArguments(messages: string[]): ApiFailure {
  return new ApiFailure('invalid_arguments', {
    response_metadata: { messages: messages.map((m) => `[ERROR] ${m}`) },
  });
}

function viewArg(args: Args, allowedTypes: readonly string[]): Record<string, unknown> {
  const view = args.view;
  if (view === undefined || view === '') throw invalidArguments(['missing required field: view [json-pointer:/view]']);
  if (typeof view !== 'object' || view === null || Array.isArray(view)) {
    throw invalidArguments(['must be a valid JSON object [json-pointer:/view]']);
  }
  const errors = validateView(view, allowedTypes);
  if (errors.length > 0) throw invalidArguments(errors);
  return view as Record<string, unknown>;
}

function newHash(): string {
  return `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`;
}

/** Build the view Slack returns: Slack's defaults, the app's fields, then Slack's own id/hash/state. */
function materialize(
  state: EmulatorState,
  view: Record<string, unknown>,
  keep: { id: string; rootViewId?: string; previousViewId?: string | null; stateValues?: unknown },
): EmulatedView {
  return {
    team_id: state.teamId,
    app_installed_team_id: state.teamId,
    app_id: state.appId,
    bot_id: state.botId,
    private_metadata: '',
    callback_id: '',
    external_id: '',
    title: { type: 'plain_text', text: '', emoji: true },
    close: null,
    submit: null,
    clear_on_close: false,
    notify_on_close: false,
    previous_view_id: keep.previousViewId ?? null,
    root_view_id: keep.rootViewId ?? keep.id,
    ...view,
    blocks: Array.isArray(view.blocks) ? view.blocks : [],
    type: String(view.type),
    id: keep.id,
    hash: newHash(),
    state: { values: keep.stateValues ?? {} },
  } as EmulatedView;
}

/** Uses up the trigger; answers whose it is when the sandbox handed it out. */
function useTrigger(state: EmulatorState, args: Args): string | undefined {
  const trigger = str(args, 'trigger_id');
  if (!trigger) throw invalidArguments(['missing required field: trigger_id [json-pointer:/trigger_id]']);
  // Slack: a trigger_id can be exchanged once, within 3 s. Reuse answers expired_trigger_id here.
  if (state.usedTriggers.has(trigger)) throw new ApiFailure('expired_trigger_id');
  state.usedTriggers.add(trigger);
  return state.triggerUsers.get(trigger);
}

function checkExternalIdFree(state: EmulatorState, externalId: unknown, exceptId?: string): void {
  if (typeof externalId !== 'string' || externalId === '') return;
  for (const v of [...state.views.values(), ...state.homeViews.values()]) {
    if (v.external_id === externalId && v.id !== exceptId) throw new ApiFailure('duplicate_external_id');
  }
}

const open: Handler = ({ state, args }) => {
  const view = viewArg(args, ['modal']);
  checkExternalIdFree(state, view.external_id);
  const owner = useTrigger(state, args);
  const stored = materialize(state, view, { id: state.nextId('V') });
  state.views.set(stored.id, stored);
  if (owner) state.modalStacks.set(owner, [stored.id]);
  return { ok: true, view: stored };
};

const push: Handler = ({ state, args }) => {
  const view = viewArg(args, ['modal']);
  checkExternalIdFree(state, view.external_id);
  const owner = useTrigger(state, args);
  const stack = owner ? state.modalStacks.get(owner) : undefined;
  const top = stack?.[stack.length - 1];
  const previous = top ? state.views.get(top) : [...state.views.values()].pop();
  const stored = materialize(state, view, {
    id: state.nextId('V'),
    rootViewId: previous ? String(previous.root_view_id ?? previous.id) : undefined,
    previousViewId: previous?.id ?? null,
  });
  state.views.set(stored.id, stored);
  if (owner) state.modalStacks.set(owner, [...(stack ?? []), stored.id]);
  return { ok: true, view: stored };
};

function findView(state: EmulatorState, args: Args): { view: EmulatedView; home?: string } {
  const viewId = str(args, 'view_id');
  const externalId = str(args, 'external_id');
  if (!viewId && !externalId) {
    throw invalidArguments(['either view_id or external_id is required [json-pointer:/view_id]']);
  }
  const matches = (v: EmulatedView): boolean => (viewId ? v.id === viewId : v.external_id === externalId);
  for (const v of state.views.values()) if (matches(v)) return { view: v };
  for (const [user, v] of state.homeViews) if (matches(v)) return { view: v, home: user };
  throw new ApiFailure('not_found');
}

function checkHash(args: Args, current: EmulatedView | undefined): void {
  const hash = str(args, 'hash');
  if (hash && current && hash !== current.hash) throw new ApiFailure('hash_conflict');
}

const update: Handler = ({ state, args }) => {
  const { view: current, home } = findView(state, args);
  checkHash(args, current);
  const view = viewArg(args, [current.type]);
  checkExternalIdFree(state, view.external_id, current.id);
  const stored = materialize(state, { external_id: current.external_id, ...view }, {
    id: current.id,
    rootViewId: String(current.root_view_id ?? current.id),
    previousViewId: (current.previous_view_id as string | null | undefined) ?? null,
    stateValues: (current.state as { values?: unknown } | undefined)?.values,
  });
  if (home) state.homeViews.set(home, stored);
  else state.views.set(stored.id, stored);
  return { ok: true, view: stored };
};

const publish: Handler = ({ state, args }): Answer => {
  const userId = str(args, 'user_id');
  if (!userId) throw invalidArguments(['missing required field: user_id [json-pointer:/user_id]']);
  if (!state.user(userId)) throw new ApiFailure('user_not_found');
  const current = state.homeViews.get(userId);
  checkHash(args, current);
  const view = viewArg(args, ['home']);
  checkExternalIdFree(state, view.external_id, current?.id);
  const stored = materialize(state, view, { id: current?.id ?? state.nextId('V') });
  state.homeViews.set(userId, stored);
  return { ok: true, view: stored };
};

export const viewMethods: Record<string, Handler> = {
  'views.open': open,
  'views.push': push,
  'views.update': update,
  'views.publish': publish,
};

/** response_action "update": the submitted view is replaced in place (same id, new hash). */
export function applyViewUpdate(state: EmulatorState, viewId: string, view: Record<string, unknown>): EmulatedView | undefined {
  const current = state.views.get(viewId);
  if (!current || validateView(view, ['modal']).length > 0) return undefined;
  const stored = materialize(state, view, {
    id: current.id,
    rootViewId: String(current.root_view_id ?? current.id),
    previousViewId: (current.previous_view_id as string | null | undefined) ?? null,
  });
  state.views.set(stored.id, stored);
  return stored;
}

/** response_action "push": a new view on top of the person's stack. */
export function applyViewPush(state: EmulatorState, userId: string, view: Record<string, unknown>): EmulatedView | undefined {
  if (validateView(view, ['modal']).length > 0) return undefined;
  const stack = state.modalStacks.get(userId) ?? [];
  const top = stack[stack.length - 1];
  const stored = materialize(state, view, { id: state.nextId('V'), rootViewId: stack[0], previousViewId: top ?? null });
  state.views.set(stored.id, stored);
  state.modalStacks.set(userId, [...stack, stored.id]);
  return stored;
}
