import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { impedimentRef } from '../../../domain/impedimentTypes';
import { parseImpedimentCommand } from '../../input/impedimentInput';
import { ephemeral, ephemeralForError, ephemeralText } from '../../respond';
import { requestIdentity } from '../../requestIdentity';
import { errorMessage } from '../../views/kickoffHelp';
import { autoEscalationChanged, impedimentHelp, raisedConfirmation } from '../../views/impedimentMessages';
import type { ListenerDeps } from '../deps';
import { engagementOfChannel, listMessage, openRaiseModal } from '../impedimentShared';
import { followAnswer } from './follow';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** `/impediment` and its subcommands. Anonymous work never logs or stores who typed it. */
export function impedimentCommand(deps: ListenerDeps) {
  return async ({ command, body, ack, client }: Args): Promise<void> => {
    const parsed = parseImpedimentCommand(command.text ?? '');
    const requestKey = requestIdentity(body);
    const team = command.team_id;
    const user = command.user_id;
    try {
      switch (parsed.kind) {
        case 'help':
          return await ack(ephemeral(impedimentHelp()));
        case 'open':
          await ack();
          return await openRaiseModal(client, deps, { teamId: team, triggerId: command.trigger_id, meta: { source: 'modal', channelId: command.channel_id } });
        case 'raise': {
          const engagementId = await engagementOfChannel(deps, team, command.channel_id);
          if (engagementId === null) {
            await ack();
            return await openRaiseModal(client, deps, {
              teamId: team,
              triggerId: command.trigger_id,
              meta: { source: 'command', channelId: command.channel_id },
              description: parsed.description,
              severity: parsed.severity ?? undefined,
            });
          }
          const { impediment, engagement } = await deps.impediments.raise(team, {
            engagementId,
            description: parsed.description,
            severity: parsed.severity ?? 'medium',
            organisational: false,
            reporterId: user,
            anonymous: false,
            source: 'command',
            sourcePermalink: null,
            requestKey,
          });
          return await ack(ephemeral(raisedConfirmation(impediment, engagement)));
        }
        case 'list': {
          const r = await listMessage(deps, team, user, command.channel_id, parsed.filter);
          return await ack(ephemeral('error' in r && r.error ? errorMessage(r.error) : r.message!));
        }
        case 'resolve': {
          const { imp } = await deps.impediments.find(team, parsed.ref);
          await deps.impediments.resolve(team, imp.id, user, 'resolved', parsed.note, { requestKey });
          return await ack(ephemeralText(`:white_check_mark: ${impedimentRef(imp.number)} is resolved. The card and its thread are updated.`));
        }
        case 'escalate': {
          const { imp } = await deps.impediments.find(team, parsed.ref);
          const after = await deps.impediments.escalate(team, imp.id, user, parsed.reason, { requestKey });
          return await ack(ephemeralText(`:arrow_double_up: ${impedimentRef(imp.number)} is escalated to level ${after.level}; its contacts have been told.`));
        }
        case 'follow':
          return await ack(ephemeral(await followAnswer(deps, client, team, parsed.code, parsed.reply, requestKey)));
        case 'autoEscalation': {
          const e = await deps.impediments.setAutoEscalation(team, parsed.key, user, parsed.on, { requestKey });
          return await ack(ephemeral(autoEscalationChanged(e.key, parsed.on)));
        }
        case 'error':
          return await ack(ephemeral(errorMessage(parsed.message)));
      }
    } catch (err) {
      const anonymous = parsed.kind === 'follow';
      // Never attach who typed an anonymous follow-up to a log line.
      await ack(ephemeralForError(err, deps.logger, { command: '/impediment', sub: parsed.kind, ...(anonymous ? {} : { teamId: team }) }));
    }
  };
}
