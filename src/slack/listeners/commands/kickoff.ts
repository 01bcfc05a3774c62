import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { todayIn } from '../../../lib/time';
import { parseKickoffCommand } from '../../input/kickoffView';
import { ephemeral, ephemeralForError } from '../../respond';
import { requestIdentity } from '../../requestIdentity';
import { kickoffHelp, errorMessage } from '../../views/kickoffHelp';
import { kickoffModal } from '../../views/kickoffModal';
import { closedReceipt } from '../../views/receipts';
import { pulseSentReceipt } from '../../views/pulseViews';
import type { ListenerDeps } from '../deps';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** `/kickoff`, `/kickoff edit KEY`, `/kickoff close KEY [note]`, `/kickoff pulse KEY`, `/kickoff help`. */
export function kickoffCommand(deps: ListenerDeps) {
  return async ({ command, body, ack, client, respond }: Args): Promise<void> => {
    const parsed = parseKickoffCommand(command.text ?? '');
    const base = { submitterId: command.user_id, today: todayIn(deps.config.defaultTimezone, deps.clock.now()), channelId: command.channel_id, timezone: deps.config.defaultTimezone };
    try {
      switch (parsed.kind) {
        case 'help':
          return await ack(ephemeral(kickoffHelp({ pulseMinResponses: deps.config.pulseMinResponses })));
        case 'open':
          await ack();
          await client.views.open({ trigger_id: command.trigger_id, view: kickoffModal({ mode: 'create', ...base }) });
          return;
        case 'edit': {
          const e = await deps.kickoff.forManagement(command.team_id, parsed.key, command.user_id, 'edit');
          await ack();
          await client.views.open({ trigger_id: command.trigger_id, view: kickoffModal({ mode: 'edit', initial: e, ...base }) });
          return;
        }
        case 'close': {
          const e = await deps.kickoff.close(command.team_id, parsed.key, parsed.note, command.user_id, { requestKey: requestIdentity(body) });
          return await ack(ephemeral(closedReceipt(e)));
        }
        case 'pulse': {
          const { engagement } = await deps.pulses.sendNow(command.team_id, parsed.key, command.user_id, { requestKey: requestIdentity(body) });
          return await ack(ephemeral(pulseSentReceipt(engagement, await deps.pulses.teamOf(engagement.id), deps.config.pulseMinResponses)));
        }
        case 'error':
          return await ack(ephemeral(errorMessage(parsed.message)));
        default:
          return await ack(ephemeral(errorMessage(`I don't know \`/kickoff ${parsed.text}\`. Try \`/kickoff help\`.`)));
      }
    } catch (err) {
      const message = ephemeralForError(err, deps.logger, { command: '/kickoff', sub: parsed.kind });
      // ack() may already have been called (views.open failed after it): answer through response_url then.
      await ack(message).catch(() => message && respond(message));
    }
  };
}
