/**
 * The portfolio answer of `/status` (also `mine` and `all`): one compact line per engagement,
 * the organisational impediments waiting on executives, and the push/pull share this quarter
 * against the last. Paginated, so any number of engagements stays within 50 blocks. Pure.
 */
import type { CoachingRequest, PulseSummary } from '../../domain/ports';
import { openRequestLines } from './requestViews';
import type { Button, KnownBlock } from '@slack/types';
import { formatAge } from '../../domain/businessTime';
import { impedimentRef } from '../../domain/impedimentTypes';
import { rowAttention } from '../../domain/status';
import type { ExecutiveWait, PortfolioRow, PushPullShare, QuarterShare } from '../../domain/statusTypes';
import { ACTION } from '../ids';
import { encodePageValue, type StatusFilter } from '../input/statusInput';
import type { Message } from './announcement';
import { SLACK_LIMITS, capBlocks, context, divider, escapeMrkdwn as esc, fallback, header, listSections, mrkdwnSection, plainText, truncate, userMention as user } from './blocks';
import { SEVERITY_EMOJI, impTime } from './impedimentCard';
import { HEALTH_EMOJI } from './checkinViews';
import { NO_HEALTH_EMOJI, shareButton, sharedByContext, statusActions } from './statusViews';

export const PORTFOLIO_PAGE_SIZE = 20;
const PAGE_SIZE_MAX = 50;
const EXECUTIVE_WAITS_SHOWN = 10;

export interface PortfolioViewOptions {
  /** Already sorted (`sortPortfolio`); all of them, not just this page. */
  rows: readonly PortfolioRow[];
  /** 1-based; clamped to the pages there are. */
  page: number;
  /** Lines per page, 1–50; default 20. */
  pageSize?: number;
  executiveWaits: readonly ExecutiveWait[];
  share: PushPullShare;
  title: 'Portfolio' | 'Your engagements' | 'All engagements';
  filter: StatusFilter;
  timeZone: string;
  /** For check-in ages and flags. */
  now: Date;
  /** Ephemeral answers carry "Share in channel". */
  shareable: boolean;
  /** Open coaching requests (oldest first): teams asking for a coach. */
  openRequests?: readonly CoachingRequest[];
  /** Team pulses of the rows on this page, by engagement id (buy-in and safety columns). */
  pulses?: ReadonlyMap<number, PulseSummary>;
  /** Set on the shared (public) copy: who shared it. It has no pagination buttons. */
  sharedBy?: string;
}

export interface PageInfo {
  page: number;
  pages: number;
  pageSize: number;
}

const REQUESTS_SHOWN = 5;

/** Teams asking for a coach, oldest first, with their age (only when there are any). */
function requestBlocks(requests: readonly CoachingRequest[], now: Date): KnownBlock[] {
  if (requests.length === 0) return [];
  const lines = openRequestLines(requests.slice(0, REQUESTS_SHOWN), (d) => formatAge(d, now));
  if (requests.length > REQUESTS_SHOWN) lines.push(`…and ${requests.length - REQUESTS_SHOWN} more in the requests channel`);
  return capBlocks(listSections(`Teams asking for a coach (${requests.length})`, lines, { bullet: '' }), 2, 'the requests channel has them all');
}

/** Clamps the page and page size; there is always at least one page. */
export function pageInfo(total: number, page: number, pageSize = PORTFOLIO_PAGE_SIZE): PageInfo {
  const size = Number.isInteger(pageSize) ? Math.min(PAGE_SIZE_MAX, Math.max(1, pageSize)) : PORTFOLIO_PAGE_SIZE;
  const pages = Math.max(1, Math.ceil(total / size));
  const p = Number.isInteger(page) ? Math.min(pages, Math.max(1, page)) : 1;
  return { page: p, pages, pageSize: size };
}

/** `:red_circle: *`payments`* Payments platform · 3 open · 1 escalated · checked in 2 days ago · :warning: 1 overdue` */
export function portfolioLine(row: PortfolioRow, now: Date, pulse: PulseSummary | null = null): string {
  const parts = [
    `${row.health ? HEALTH_EMOJI[row.health] : NO_HEALTH_EMOJI} *\`${esc(truncate(row.key, 40))}\`* ${esc(truncate(row.name.replace(/\s+/g, ' '), 80))}`,
    `${row.openImpediments} open`,
    ...(row.escalatedImpediments > 0 ? [`${row.escalatedImpediments} escalated`] : []),
    row.lastCheckinAt ? `checked in ${formatAge(row.lastCheckinAt, now)} ago` : 'no check-in',
  ];
  const shown = pulse?.latest?.results;
  if (shown?.shown) parts.push(`buy-in ${shown.buyIn} · safety ${shown.safety}`);
  const flags = rowAttention(row, now).filter((f) => f !== 'no check-in');
  if (flags.length) parts.push(`:warning: ${flags.join(', ')}`);
  return parts.join(' · ');
}

function waitLine(w: ExecutiveWait, timeZone: string): string {
  const imp = w.impediment;
  const parts = [
    `${SEVERITY_EMOJI[imp.severity]} *${impedimentRef(imp.number)}* \`${esc(truncate(w.engagementKey, 40))}\` · ${esc(truncate(w.levelName, 60))}`,
    esc(truncate(imp.description.replace(/\s+/g, ' '), 100)),
    imp.ownerId ? `owner ${user(imp.ownerId)}` : 'no owner',
    `raised ${impTime(imp, imp.createdAt, timeZone)}`,
  ];
  return parts.join(' · ');
}

function quarterWords(q: QuarterShare, when: string): string {
  if (q.pullShare === null) return `no engagement kicked off ${when} (${q.label})`;
  return `${q.pullShare}% ${when} (${q.label}, ${q.pull} of ${q.pull + q.push})`;
}

/** `Pull: 60% this quarter (Q4 2026, 3 of 5) vs 25% last quarter (Q3 2026, 1 of 4)` */
export function shareLine(share: PushPullShare): string {
  const { thisQuarter: now, lastQuarter: last } = share;
  if (now.pullShare === null && last.pullShare === null) return `*Pull:* no engagements kicked off this quarter (${now.label}) or last (${last.label})`;
  const trend =
    now.pullShare !== null && last.pullShare !== null && now.pullShare !== last.pullShare
      ? now.pullShare > last.pullShare
        ? ' — more teams are asking for coaching'
        : ' — fewer teams are asking for coaching'
      : '';
  return `*Pull:* ${quarterWords(now, 'this quarter')} vs ${quarterWords(last, 'last quarter')}${trend}`;
}

const EMPTY: Record<StatusFilter, string> = {
  active: 'No active engagements. Announce one with `/kickoff`.',
  mine: 'You are not the sponsor, a coach, an escalation contact or a reporter on any engagement. `/status` shows them all.',
  all: 'No engagements yet. Announce one with `/kickoff`.',
};

function pageButton(which: 'previous' | 'next', filter: StatusFilter, page: number): Button {
  return {
    type: 'button',
    action_id: which === 'previous' ? ACTION.statusPagePrevious : ACTION.statusPageNext,
    text: plainText(which === 'previous' ? '◀ Previous' : 'Next ▶', SLACK_LIMITS.buttonText),
    value: encodePageValue({ filter, page }),
  };
}

export function portfolioView(opts: PortfolioViewOptions): Message {
  const { page, pages, pageSize } = pageInfo(opts.rows.length, opts.page, opts.pageSize);
  const total = opts.rows.length;
  const slice = opts.rows.slice((page - 1) * pageSize, page * pageSize);
  const count = `${total.toLocaleString('en-US')} engagement${total === 1 ? '' : 's'}`;
  const where = pages > 1 ? ` · page ${page} of ${pages}` : '';
  const rowBlocks = slice.length
    ? listSections('', slice.map((r) => portfolioLine(r, opts.now, opts.pulses?.get(r.id) ?? null)), { bullet: '' })
    : [mrkdwnSection(EMPTY[opts.filter])];

  const waits = opts.executiveWaits.slice(0, EXECUTIVE_WAITS_SHOWN).map((w) => waitLine(w, opts.timeZone));
  const moreWaits = opts.executiveWaits.length - waits.length;
  if (moreWaits > 0) waits.push(`…and ${moreWaits} more — \`/impediment list\``);
  const waitBlocks = waits.length
    ? listSections(`Waiting on executives (${opts.executiveWaits.length})`, waits, { bullet: '' })
    : [mrkdwnSection('*Waiting on executives*\nNo organisational impediment is waiting on executives.')];

  const buttons: Button[] = [];
  if (opts.sharedBy === undefined && page > 1) buttons.push(pageButton('previous', opts.filter, page - 1));
  if (opts.sharedBy === undefined && page < pages) buttons.push(pageButton('next', opts.filter, page + 1));
  if (opts.shareable) buttons.push(shareButton({ v: 'portfolio', filter: opts.filter, page }));

  const blocks: KnownBlock[] = [
    header(opts.title),
    ...sharedByContext(opts.sharedBy, opts.filter === 'mine' ? ' — their engagements' : ''),
    context([`${count}${where} · what needs attention first`]),
    ...capBlocks(rowBlocks, 8, 'use the page buttons'),
    divider(),
    ...capBlocks(waitBlocks, 2, '`/impediment list`'),
    ...requestBlocks(opts.openRequests ?? [], opts.now),
    mrkdwnSection(shareLine(opts.share)),
    ...statusActions(buttons),
    ...(pages > 1 ? [context([`Page ${page} of ${pages}`])] : []),
  ];

  const red = opts.rows.filter((r) => r.health === 'red').length;
  const overdue = opts.rows.filter((r) => r.overdueImpediments > 0).length;
  const pct = opts.share.thisQuarter.pullShare;
  const text = [
    `${esc(opts.title)}: ${count}${where}.`,
    total ? `${red} red, ${overdue} with overdue escalations.` : '',
    `${opts.executiveWaits.length} waiting on executives.`,
    `Pull this quarter (${opts.share.thisQuarter.label}): ${pct === null ? 'no engagements kicked off yet' : `${pct}%`}.`,
  ];
  return { text: fallback(text.filter(Boolean).join(' ')), blocks: capBlocks(blocks, SLACK_LIMITS.messageBlocks, 'use the page buttons') };
}
