import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { impedimentRef } from '../../../domain/impedimentTypes';
import { parseEscalateCommand } from '../../input/impedimentInput';
import { ephemeral, ephemeralForError, ephemeralText } from '../../respond';
import { requestIdentity } from '../../requestIdentity';
import { errorMessage } from '../../views/kickoffHelp';
import { impedimentHelp } from '../../views/impedimentMessages';
import type { ListenerDeps } from '../deps';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** `/escalate IMP-n REASON`: the same as `/impediment escalate`. */
export function escalateCommand(deps: ListenerDeps) {
  return async ({ command, body, ack }: Args): Promise<void> => {
    const parsed = parseEscalateCommand(command.text ?? '');
    try {
      if (parsed.kind === 'help') return await ack(ephemeral(impedimentHelp()));
      if (parsed.kind === 'error') return await ack(ephemeral(errorMessage(parsed.message)));
      const { imp } = await deps.impediments.find(command.team_id, parsed.ref);
      const after = await deps.impediments.escalate(command.team_id, imp.id, command.user_id, parsed.reason, { requestKey: requestIdentity(body) });
      return await ack(ephemeralText(`:arrow_double_up: ${impedimentRef(imp.number)} is escalated to level ${after.level}; its contacts have been told.`));
    } catch (err) {
      await ack(ephemeralForError(err, deps.logger, { command: '/escalate' }));
    }
  };
}
