import { engagementStatusModel, pushPullShare, sortPortfolio } from '../../domain/status';
import type { ExecutiveWait } from '../../domain/statusTypes';
import type { Engagement } from '../../domain/types';
import type { StatusFilter } from '../input/statusInput';
import { pageInfo, portfolioView } from '../views/portfolioView';
import { engagementStatusView } from '../views/statusViews';
import type { ListenerDeps } from './deps';

const TITLES = { active: 'Portfolio', mine: 'Your engagements', all: 'All engagements' } as const;

/** One engagement's status (ephemeral with "Share in channel", or the shared copy). */
export async function engagementMessage(deps: ListenerDeps, e: Engagement, opts: { sharedBy?: string } = {}) {
  const now = deps.clock.now();
  const tz = deps.config.defaultTimezone;
  const model = engagementStatusModel(await deps.status.engagementData(e), now, tz);
  return engagementStatusView(model, { timeZone: tz, shareable: opts.sharedBy === undefined, sharedBy: opts.sharedBy });
}

/** The portfolio (or my / all engagements), attention first, one page. */
export async function portfolioMessage(deps: ListenerDeps, teamId: string, userId: string, filter: StatusFilter, page: number, opts: { sharedBy?: string } = {}) {
  const now = deps.clock.now();
  const tz = deps.config.defaultTimezone;
  const data = await deps.status.portfolio(teamId, filter === 'mine' ? { type: 'mine', userId } : { type: filter });
  const waits: ExecutiveWait[] = await Promise.all(data.executiveWaits.map(async (imp) => {
    const e = await deps.engagements.get(imp.engagementId);
    return { impediment: imp, engagementKey: e?.key ?? '?', levelName: e?.escalation.find((l) => l.level === imp.level)?.name ?? `Level ${imp.level}` };
  }));
  const rows = sortPortfolio(data.rows, now);
  // Buy-in and safety for the rows on this page only.
  const shown = pageInfo(rows.length, page);
  const onPage = rows.slice((shown.page - 1) * shown.pageSize, shown.page * shown.pageSize);
  const pulses = new Map(await Promise.all(onPage.map(async (r) => [r.id, await deps.pulses.summary(r.id)] as const)));
  return portfolioView({
    rows,
    pulses,
    openRequests: await deps.coachingRequests.open(teamId),
    page,
    executiveWaits: waits,
    share: pushPullShare(data.kickoffs, now, tz),
    title: TITLES[filter],
    filter,
    timeZone: tz,
    now,
    shareable: opts.sharedBy === undefined,
    sharedBy: opts.sharedBy,
  });
}
