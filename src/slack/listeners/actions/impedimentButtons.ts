import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { assertCanEdit, assertCanEscalate, assertCanResolve, nextLevel } from '../../../domain/impedimentRules';
import { parseImpedimentButton } from '../../input/impedimentInput';
import { ACTION } from '../../ids';
import { clickAnswerer, messageForError } from '../../respond';
import { requestIdentity } from '../../requestIdentity';
import { appErrorMessage, errorMessage } from '../../views/kickoffHelp';
import { editModal, escalateModal, resolveModal } from '../../views/impedimentModals';
import type { ListenerDeps } from '../deps';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** Acknowledge / Take ownership act at once; Escalate / Resolve / Edit ask first, in a modal. */
export function impedimentButton(deps: ListenerDeps) {
  return async ({ ack, body, action, client, respond }: Args): Promise<void> => {
    await ack();
    const say = clickAnswerer({ body, client, respond }, deps.logger);
    const parsed = parseImpedimentButton(action.value);
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    if (!parsed) return say(errorMessage('That button could not be read. Use the buttons on the newest card, or `/impediment list`.'));
    const userId = body.user.id;
    const ctx = { userId, adminIds: deps.config.adminUserIds };
    try {
      const { imp, e } = await deps.impediments.byId(teamId, parsed.impedimentId);
      switch (action.action_id) {
        case ACTION.impAcknowledge:
          await deps.impediments.acknowledge(teamId, imp.id, userId, { requestKey: requestIdentity(body) });
          return;
        case ACTION.impTakeOwnership:
          await deps.impediments.takeOwnership(teamId, imp.id, userId, { requestKey: requestIdentity(body) });
          return;
        case ACTION.impEscalate: {
          assertCanEscalate({ impediment: imp, engagement: e, ...ctx });
          const next = nextLevel(imp, e);
          if (!next.ok) return say(appErrorMessage(next.message));
          const current = e.escalation.find((l) => l.level === imp.level)?.name ?? `Level ${imp.level}`;
          await client.views.open({ trigger_id: body.trigger_id, view: escalateModal(imp, current, next.level.name) });
          return;
        }
        case ACTION.impResolve:
          assertCanResolve({ impediment: imp, engagement: e, ...ctx });
          await client.views.open({ trigger_id: body.trigger_id, view: resolveModal(imp) });
          return;
        case ACTION.impEdit:
          assertCanEdit({ impediment: imp, engagement: e, ...ctx });
          await client.views.open({ trigger_id: body.trigger_id, view: editModal(imp) });
          return;
        default:
          return say(errorMessage('That button is not one coachline knows.'));
      }
    } catch (err) {
      await say(messageForError(err, deps.logger, { action: action.action_id }));
    }
  };
}
