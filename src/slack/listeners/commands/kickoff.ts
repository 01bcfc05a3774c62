import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { todayIn } from '../../../lib/time';
import { parseKickoffCommand } from '../../input/kickoffView';
import { ephemeral, ephemeralForError } from '../../respond';
import { requestIdentity } from '../../requestIdentity';
import { kickoffHelp, errorMessage } from '../../views/kickoffHelp';
import { kickoffModal } from '../../views/kickoffModal';
import { closedReceipt } from '../../views/receipts';
import { pulseSentReceipt } from '../../views/pulseViews';
import { requestModal, requestsChannelReceipt } from '../../views/requestViews';
import { profileModal } from '../../views/profileViews';
import type { ListenerDeps } from '../deps';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** A public channel's id by its name (conversations.list, paged), or null. */
async function channelNamed(client: Args['client'], name: string): Promise<string | null> {
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const res = await client.conversations.list({ types: 'public_channel,private_channel', exclude_archived: true, limit: 1000, cursor });
    const found = ((res.channels ?? []) as { id?: string; name?: string }[]).find((c) => c.name === name);
    if (found?.id) return found.id;
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) return null;
  }
  return null;
}

/** `/kickoff`, `/kickoff edit KEY`, `/kickoff close KEY [note]`, `/kickoff pulse KEY`, `/kickoff request`, `/kickoff requests-channel [#channel]`, `/kickoff help`. */
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
        case 'profile':
          await ack();
          await client.views.open({ trigger_id: command.trigger_id, view: profileModal(await deps.profiles.own(command.team_id, command.user_id)) });
          return;
        case 'request':
          await ack();
          await client.views.open({ trigger_id: command.trigger_id, view: requestModal() });
          return;
        case 'requests-channel': {
          const channelId = parsed.channel === null ? command.channel_id : 'id' in parsed.channel ? parsed.channel.id : await channelNamed(client, parsed.channel.name);
          if (!channelId) return await ack(ephemeral(errorMessage(`I can't find a channel called #${parsed.channel !== null && 'name' in parsed.channel ? parsed.channel.name : ''}. Pick it from the list as you type #, or run the command in that channel.`)));
          await deps.coachingRequests.setRequestsChannel(command.team_id, command.user_id, channelId);
          return await ack(ephemeral(requestsChannelReceipt(channelId)));
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
