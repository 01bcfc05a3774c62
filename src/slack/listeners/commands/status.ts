import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { assertCanExportAll } from '../../../domain/permissions';
import { AppError } from '../../../domain/errors';
import { parseStatusCommand } from '../../input/statusInput';
import { ephemeral, ephemeralForError, ephemeralText } from '../../respond';
import { requestIdentity } from '../../requestIdentity';
import { errorMessage } from '../../views/kickoffHelp';
import { statusHelp } from '../../views/statusViews';
import { openCheckinModal } from '../checkinShared';
import type { ListenerDeps } from '../deps';
import { exportFor } from '../exporter';
import { engagementOfChannel } from '../impedimentShared';
import { engagementMessage, portfolioMessage } from '../statusShared';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** `/status`, `/status KEY|mine|all`, `/status update [KEY]`, `/status export KEY|all`, `/status help`. */
export function statusCommand(deps: ListenerDeps) {
  return async ({ command, body, ack, client, respond }: Args): Promise<void> => {
    const parsed = parseStatusCommand(command.text ?? '');
    const team = command.team_id;
    const user = command.user_id;
    const byKey = async (key: string) => {
      const e = await deps.engagements.getByKey(team, key);
      if (!e) throw new AppError('not_found', `There is no engagement with the key \`${key}\`. \`/status all\` lists every engagement.`);
      return e;
    };
    try {
      switch (parsed.kind) {
        case 'help':
          return await ack(ephemeral(statusHelp()));
        case 'here': {
          // Only an engagement's own channel answers with that engagement; elsewhere, the portfolio.
          const id = await deps.impedimentStore.engagementOfOwnChannel(team, command.channel_id);
          const e = id !== null ? await deps.engagements.get(id) : null;
          return await ack(ephemeral(e ? await engagementMessage(deps, e) : await portfolioMessage(deps, team, user, 'active', 1)));
        }
        case 'key':
          return await ack(ephemeral(await engagementMessage(deps, await byKey(parsed.key))));
        case 'mine':
          return await ack(ephemeral(await portfolioMessage(deps, team, user, 'mine', 1)));
        case 'all':
          return await ack(ephemeral(await portfolioMessage(deps, team, user, 'all', 1)));
        case 'update': {
          const id = parsed.key ? (await byKey(parsed.key)).id : await engagementOfChannel(deps, team, command.channel_id);
          if (id === null) return await ack(ephemeral(errorMessage('Which engagement? Use `/status update KEY`, or run it in the engagement’s channel.')));
          const e = await deps.engagements.get(id);
          if (!e) return await ack(ephemeral(errorMessage('That engagement no longer exists.')));
          deps.status.assertCanCheckin(e, user);
          if (e.lifecycle !== 'active') return await ack(ephemeral(errorMessage(`${e.key} is ${e.lifecycle}; check-ins are for active engagements.`)));
          await ack();
          return await openCheckinModal(client, deps, e, user, command.trigger_id);
        }
        case 'export': {
          if (parsed.target.type === 'key') await byKey(parsed.target.key);
          else assertCanExportAll(user, deps.config.adminUserIds);
          await ack(ephemeralText(':hourglass_flowing_sand: Preparing the export; it will arrive in a direct message from coachline.'));
          const result = await exportFor(deps, client, team, user, parsed.target);
          return void (await respond({ response_type: 'ephemeral', replace_original: false, ...result }).catch(() => undefined));
        }
        case 'digest': {
          const r = await deps.status.setDigestSchedule(team, parsed.key, user, parsed.schedule, { requestKey: requestIdentity(body) });
          return await ack(ephemeralText(`:calendar: The weekly digest of \`${r.engagement.key}\` now goes out every ${r.schedule} (${deps.config.defaultTimezone}); the next one <!date^${Math.floor(r.nextAt.getTime() / 1000)}^{date_short_pretty} at {time}|${r.nextAt.toISOString()}>.`));
        }
        case 'error':
          return await ack(ephemeral(errorMessage(parsed.message)));
      }
    } catch (err) {
      const message = ephemeralForError(err, deps.logger, { command: '/status', sub: parsed.kind });
      await ack(message).catch(() => message && respond(message));
    }
  };
}
