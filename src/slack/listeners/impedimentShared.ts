import type { WebClient } from '@slack/web-api';
import type { Severity } from '../../domain/impedimentTypes';
import { canManageEngagement } from '../../domain/permissions';
import type { ListFilter } from '../input/impedimentInput';
import { encodeRaiseMetadata, type RaiseMetadata } from '../input/impedimentInput';
import { impedimentList } from '../views/impedimentMessages';
import { raiseModal } from '../views/impedimentModals';
import type { ListenerDeps } from './deps';

/** The one active engagement a channel belongs to, or null when none or several. */
export async function engagementOfChannel(deps: ListenerDeps, teamId: string, channelId: string | undefined): Promise<number | null> {
  if (!channelId) return null;
  const ids = await deps.impedimentStore.engagementsForChannel(teamId, channelId);
  return ids.length === 1 ? ids[0] : null;
}

/** Opens the raise modal, prefilled with what is known. */
export async function openRaiseModal(
  client: WebClient,
  deps: ListenerDeps,
  args: { teamId: string; triggerId: string; meta: RaiseMetadata; description?: string; severity?: Severity },
): Promise<void> {
  const engagements = await deps.engagements.listActive(args.teamId, 100);
  const engagementId = await engagementOfChannel(deps, args.teamId, args.meta.channelId) ?? undefined;
  await client.views.open({
    trigger_id: args.triggerId,
    view: raiseModal({
      engagements,
      initial: { engagementId, description: args.description, severity: args.severity },
      metadata: encodeRaiseMetadata(args.meta),
    }),
  });
}

/** `/impediment list …`: what the filter selects, with the scorecard for those who manage the engagement. */
export async function listMessage(deps: ListenerDeps, teamId: string, userId: string, channelId: string, filter: ListFilter) {
  const tz = deps.config.defaultTimezone;
  let title = 'Open impediments';
  let query: { engagementId?: number; userId?: string; openOnly?: boolean } = { openOnly: true };
  let scorecard;
  let levelNames: string[] | undefined;
  const inChannel = filter.type === 'default' ? await engagementOfChannel(deps, teamId, channelId) : null;
  const key = filter.type === 'key' ? filter.key : null;
  const e = key ? await deps.engagements.getByKey(teamId, key) : inChannel ? await deps.engagements.get(inChannel) : null;
  if (key && !e) return { error: `There is no engagement with the key \`${key}\`.` };
  if (filter.type === 'mine') {
    title = 'Impediments you raised or own';
    query = { userId, openOnly: false };
  } else if (e) {
    title = `Impediments of ${e.key}`;
    query = { engagementId: e.id, openOnly: filter.type !== 'key' };
    if (canManageEngagement(e, userId, deps.config.adminUserIds)) {
      scorecard = await deps.scorecard(e.id);
      levelNames = e.escalation.map((l) => l.name);
    }
  }
  const { items, total } = await deps.impedimentStore.list(teamId, query, 40);
  const keys = new Map<number, { key: string; names: Map<number, string> }>();
  const rows = [];
  for (const imp of items) {
    let info = keys.get(imp.engagementId);
    if (!info) {
      const eng = await deps.engagements.get(imp.engagementId);
      info = { key: eng?.key ?? '?', names: new Map(eng?.escalation.map((l) => [l.level, l.name]) ?? []) };
      keys.set(imp.engagementId, info);
    }
    rows.push({ imp, engagementKey: info.key, levelName: info.names.get(imp.level) ?? `Level ${imp.level}` });
  }
  return { message: impedimentList(rows, { title, scorecard, levelNames, timeZone: tz, total }) };
}
