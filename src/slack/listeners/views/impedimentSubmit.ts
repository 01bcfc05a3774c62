import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { stateValues } from '../../input/viewState';
import { impedimentRef } from '../../../domain/impedimentTypes';
import {
  parseEditSubmission,
  parseImpedimentMetadata,
  parseRaiseMetadata,
  parseRaiseSubmission,
  parseReasonSubmission,
  parseResolveSubmission,
} from '../../input/impedimentInput';
import { BLOCK } from '../../ids';
import { ackSubmissionError } from '../../respond';
import { requestIdentity } from '../../requestIdentity';
import { raisedConfirmation } from '../../views/impedimentMessages';
import { anonymousRaisedView } from '../../views/impedimentModals';
import type { ListenerDeps } from '../deps';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** Domain refusals show inline on `field`; anything unexpected is logged (without people) and said plainly. */
const STALE = 'This form could not be read (it may be out of date). Close it and start again.';

/** The raise modal: stored at once; anonymous reporters see their follow-up code here, and only here. */
export function raiseSubmit(deps: ListenerDeps) {
  return async ({ ack, body, view, client }: Args): Promise<void> => {
    const meta = parseRaiseMetadata(view.private_metadata);
    if (!meta) return ack({ response_action: 'errors', errors: { [BLOCK.impDescription]: STALE } });
    const parsed = parseRaiseSubmission(stateValues(view));
    if (!parsed.ok) return ack({ response_action: 'errors', errors: parsed.errors });
    const { input } = parsed;
    const teamId = body.team?.id ?? view.team_id;
    try {
      const { impediment, engagement, followUpCode } = await deps.impediments.raise(teamId, {
        engagementId: input.engagementId,
        description: input.description,
        severity: input.severity,
        organisational: input.organisational,
        // The reporter's id goes no further than this line when they asked for anonymity.
        reporterId: input.anonymous ? null : body.user.id,
        anonymous: input.anonymous,
        source: meta.source === 'shortcut' ? 'shortcut' : meta.source === 'button' ? 'button' : 'modal',
        sourcePermalink: meta.permalink ?? null,
        requestKey: requestIdentity(body),
      });
      if (followUpCode) return await ack({ response_action: 'update', view: anonymousRaisedView(impedimentRef(impediment.number), followUpCode) });
      await ack();
      if (meta.channelId) {
        const m = raisedConfirmation(impediment, engagement);
        await client.chat
          .postEphemeral({ channel: meta.channelId, user: body.user.id, text: m.text, blocks: m.blocks as never })
          .catch((error: unknown) => deps.logger.log('warn', 'could not show the raise confirmation', { error, impedimentId: impediment.id }));
      }
    } catch (err) {
      await ackSubmissionError(ack, deps.logger, BLOCK.impEngagement, err, 'an impediment');
    }
  };
}

/** Escalate (reason), resolve (note), edit: the impediment id travels in private_metadata and is re-checked. */
export function escalateSubmit(deps: ListenerDeps) {
  return async ({ ack, body, view }: Args): Promise<void> => {
    const meta = parseImpedimentMetadata(view.private_metadata);
    if (!meta) return ack({ response_action: 'errors', errors: { [BLOCK.impReason]: STALE } });
    const parsed = parseReasonSubmission(stateValues(view));
    if (!parsed.ok) return ack({ response_action: 'errors', errors: parsed.errors });
    try {
      await deps.impediments.escalate(body.team?.id ?? view.team_id, meta.impedimentId, body.user.id, parsed.input.reason, {
        expectedLevel: meta.level,
        requestKey: requestIdentity(body),
      });
      await ack();
    } catch (err) {
      await ackSubmissionError(ack, deps.logger, BLOCK.impReason, err, 'an escalation');
    }
  };
}

export function resolveSubmit(deps: ListenerDeps) {
  return async ({ ack, body, view }: Args): Promise<void> => {
    const meta = parseImpedimentMetadata(view.private_metadata);
    if (!meta) return ack({ response_action: 'errors', errors: { [BLOCK.impNote]: STALE } });
    const parsed = parseResolveSubmission(stateValues(view));
    if (!parsed.ok) return ack({ response_action: 'errors', errors: parsed.errors });
    try {
      await deps.impediments.resolve(body.team?.id ?? view.team_id, meta.impedimentId, body.user.id, parsed.input.resolution, parsed.input.note, {
        requestKey: requestIdentity(body),
      });
      await ack();
    } catch (err) {
      await ackSubmissionError(ack, deps.logger, BLOCK.impNote, err, 'a resolution');
    }
  };
}

export function editSubmit(deps: ListenerDeps) {
  return async ({ ack, body, view }: Args): Promise<void> => {
    const meta = parseImpedimentMetadata(view.private_metadata);
    if (!meta) return ack({ response_action: 'errors', errors: { [BLOCK.impDescription]: STALE } });
    const parsed = parseEditSubmission(stateValues(view));
    if (!parsed.ok) return ack({ response_action: 'errors', errors: parsed.errors });
    try {
      await deps.impediments.edit(body.team?.id ?? view.team_id, meta.impedimentId, body.user.id, parsed.input, { requestKey: requestIdentity(body) });
      await ack();
    } catch (err) {
      await ackSubmissionError(ack, deps.logger, BLOCK.impDescription, err, 'an impediment edit');
    }
  };
}
