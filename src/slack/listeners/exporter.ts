import type { WebClient } from '@slack/web-api';
import { engagementExport, impedimentsCsv } from '../../domain/export';
import type { Engagement } from '../../domain/types';
import { todayIn } from '../../lib/time';
import type { ListenerDeps } from './deps';

/** At most this many impediments go into one CSV (a spreadsheet's comfort, and memory's). */
export const EXPORT_MAX_IMPEDIMENTS = 100_000;

/**
 * `/status export KEY|all`: a CSV of the impediments and a JSON of the engagement(s) with
 * events, sent to the requester's DM as files. Anonymous reporters stay absent.
 */
/** One export at a time per process: several at once would hold several large files in memory together. */
let exporting: Promise<unknown> = Promise.resolve();

export function exportFor(
  deps: ListenerDeps,
  client: WebClient,
  teamId: string,
  userId: string,
  target: { type: 'key'; key: string } | { type: 'all' },
): Promise<{ text: string }> {
  const run = exporting.then(() => buildAndSend(deps, client, teamId, userId, target));
  exporting = run.catch(() => undefined);
  return run;
}

async function buildAndSend(
  deps: ListenerDeps,
  client: WebClient,
  teamId: string,
  userId: string,
  target: { type: 'key'; key: string } | { type: 'all' },
): Promise<{ text: string }> {
  const engagements: Engagement[] =
    target.type === 'key'
      ? [await deps.engagements.getByKey(teamId, target.key)].filter((e): e is Engagement => e !== null)
      : await Promise.all((await deps.status.portfolio(teamId, { type: 'all' })).rows.map(async (r) => (await deps.engagements.get(r.id)) as Engagement));
  const rows = [];
  let truncated = false;
  for (const e of engagements) {
    const names = new Map(e.escalation.map((l) => [l.level, l.name]));
    const { items } = await deps.impedimentStore.list(teamId, { engagementId: e.id }, EXPORT_MAX_IMPEDIMENTS - rows.length);
    for (const imp of items) rows.push({ imp, engagementKey: e.key, levelName: names.get(imp.level) ?? `Level ${imp.level}` });
    // Between engagements, let Slack's requests in (acks must not wait behind an export).
    await new Promise((resolve) => setImmediate(resolve));
    if (rows.length >= EXPORT_MAX_IMPEDIMENTS) {
      truncated = true;
      break;
    }
  }
  const json = await Promise.all(engagements.map(async (e) => engagementExport(e, await deps.status.eventsForExport(e.id), await deps.status.checkinsForExport(e.id), await deps.pulses.exportHistory(e.id))));
  const stamp = todayIn(deps.config.defaultTimezone, deps.clock.now());
  const name = target.type === 'key' ? target.key : 'all-engagements';
  try {
    const dm = await client.conversations.open({ users: userId });
    const channel = (dm.channel as { id: string }).id;
    await client.filesUploadV2({
      channel_id: channel,
      initial_comment: `Your coachline export${truncated ? ` (the first ${EXPORT_MAX_IMPEDIMENTS.toLocaleString('en-US')} impediments)` : ''}: impediments as CSV, engagement${engagements.length === 1 ? '' : 's'} with events as JSON. Anonymous reporters are not in it.`,
      file_uploads: [
        { filename: `coachline-${name}-impediments-${stamp}.csv`, content: impedimentsCsv(rows), title: `Impediments of ${name}` },
        { filename: `coachline-${name}-${stamp}.json`, content: JSON.stringify(target.type === 'key' ? json[0] : json, null, 2), title: `Engagements: ${name}` },
      ],
    });
    return { text: `:inbox_tray: The export of \`${name}\` (${rows.length} impediment${rows.length === 1 ? '' : 's'}) is in your direct messages with coachline.` };
  } catch (error) {
    deps.logger.log('error', 'export upload failed', { error });
    return { text: ':warning: The export could not be sent to your direct messages. Please try again in a minute.' };
  }
}
