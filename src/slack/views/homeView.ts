/**
 * App Home: the user's own dashboard, published on `app_home_opened` and whenever something on
 * it changes. What waits on them (escalations at their level, impediments they own, check-ins
 * they owe), their engagements with health, and buttons to kick off, raise and check in.
 *
 * "Check in" buttons: one per engagement, never a picker — each check-in owed carries one, and
 * so does every active engagement the user may check in on (sponsor or coach). The value is the
 * engagement id (ACTION.homeCheckin), so a press opens that engagement's modal in one step.
 *
 * However much data there is, the view stays within 100 blocks: each list shows its first items
 * and ends with "…and N more — see `/impediment list mine`" (or `/status mine`).
 */
import type { PulseSummary } from '../../domain/ports';
import { pulseWords } from './pulseViews';
import type { Button, HomeView, KnownBlock, SectionBlock } from '@slack/types';
import { mayCheckIn } from '../../domain/checkinRules';
import { impedimentRef, type Impediment } from '../../domain/impedimentTypes';
import type { Engagement, Health } from '../../domain/types';
import { ACTION, BLOCK } from '../ids';
import { SLACK_LIMITS, capBlocks, context, divider, escapeMrkdwn as esc, header, listSections, mrkdwnSection, plainText, truncate } from './blocks';
import { HEALTH_LABELS, healthText } from './checkinViews';
import { SEVERITY_EMOJI, STATE_LABELS, impTime } from './impedimentCard';

export interface HomeEscalation {
  imp: Impediment;
  engagementKey: string;
  /** Name of the level it is at (the user's level). */
  levelName: string;
}

export interface HomeEngagement {
  e: Engagement;
  /** The user's role in words, e.g. `sponsor`, `coach`, `escalation contact`. */
  role: string;
  /** As set by the latest check-in; null when there was none. */
  health: Health | null;
  /** What the signals suggest (status rollup), shown when it differs. */
  computed?: Health;
  /** The team pulse, for the sponsor and the coaches. */
  pulse?: PulseSummary | null;
}

export interface HomeInput {
  userId: string;
  waiting: {
    escalations: HomeEscalation[];
    owned: { imp: Impediment; engagementKey: string }[];
    checkinsOwed: Engagement[];
  };
  engagements: HomeEngagement[];
  /** The workspace's IANA zone (days of anonymous impediments). */
  timeZone: string;
  isAdmin: boolean;
}

/** Items shown per list before "…and N more". */
export const HOME_SHOWN = { escalations: 10, owned: 10, checkinsOwed: 10, engagements: 20 } as const;

const MINE = 'see `/impediment list mine`';
const STATUS_MINE = 'see `/status mine`';

function more(hidden: number, note: string): string {
  return `…and ${hidden} more — ${note}`;
}

function capped(lines: readonly string[], max: number, note: string): string[] {
  return lines.length <= max ? [...lines] : [...lines.slice(0, max), more(lines.length - max, note)];
}

const description = (imp: Impediment): string => esc(truncate(imp.description.trim().replace(/\s+/g, ' '), 120));

function escalationLine({ imp, engagementKey, levelName }: HomeEscalation, timeZone: string): string {
  const due = imp.dueAt ? ` · due ${impTime(imp, imp.dueAt, timeZone)}` : '';
  const exec = imp.waitingOnExecutives ? ' · :rotating_light: waiting on executives' : '';
  return `${SEVERITY_EMOJI[imp.severity]} *${impedimentRef(imp.number)}* in \`${esc(engagementKey)}\` · level *${esc(truncate(levelName, 40))}*${due}${exec} — ${description(imp)}`;
}

function ownedLine(imp: Impediment, engagementKey: string, timeZone: string): string {
  return `${SEVERITY_EMOJI[imp.severity]} *${impedimentRef(imp.number)}* in \`${esc(engagementKey)}\` · ${STATE_LABELS[imp.state]} · raised ${impTime(imp, imp.createdAt, timeZone)} — ${description(imp)}`;
}

function checkinButton(e: Engagement): Button {
  return { type: 'button', action_id: ACTION.homeCheckin, text: plainText('Check in', SLACK_LIMITS.buttonText), value: String(e.id) };
}

const title = (e: Engagement): string => `*${esc(truncate(e.name, 120))}* (\`${esc(e.key)}\`)`;

function owedSection(e: Engagement): SectionBlock {
  return { ...mrkdwnSection(`:memo: ${title(e)} — no check-in for a week or more`), accessory: { ...checkinButton(e), style: 'primary' } };
}

function engagementSection(x: HomeEngagement, userId: string): SectionBlock {
  const parts = [`${healthText(x.health)} ${title(x.e)}`, `_${esc(truncate(x.role, 60))}_`];
  if (x.e.lifecycle !== 'active') parts.push(x.e.lifecycle);
  if (x.computed !== undefined && x.computed !== x.health) parts.push(`signals suggest ${HEALTH_LABELS[x.computed].toLowerCase()}`);
  const pulse = pulseWords(x.pulse ?? null);
  if (pulse) parts.push(pulse);
  const section = mrkdwnSection(parts.join(' · '));
  return x.e.lifecycle === 'active' && mayCheckIn(x.e, userId) ? { ...section, accessory: checkinButton(x.e) } : section;
}

function waitingBlocks(input: HomeInput): KnownBlock[] {
  const { escalations, owned, checkinsOwed } = input.waiting;
  const tz = input.timeZone;
  if (escalations.length + owned.length + checkinsOwed.length === 0) {
    return [
      mrkdwnSection(
        ':sparkles: Nothing is waiting on you. Impediments escalated to your level, impediments you own and check-ins you owe show up here.',
      ),
    ];
  }
  const blocks: KnownBlock[] = [];
  if (escalations.length > 0) {
    const lines = capped(escalations.map((x) => escalationLine(x, tz)), HOME_SHOWN.escalations, MINE);
    blocks.push(...listSections(`Escalated to your level (${escalations.length}) — acknowledge them on their cards`, lines));
  }
  if (owned.length > 0) {
    const lines = capped(owned.map((x) => ownedLine(x.imp, x.engagementKey, tz)), HOME_SHOWN.owned, MINE);
    blocks.push(...listSections(`Impediments you own (${owned.length})`, lines));
  }
  if (checkinsOwed.length > 0) {
    blocks.push(mrkdwnSection(`*Check-ins you owe (${checkinsOwed.length})*`));
    blocks.push(...checkinsOwed.slice(0, HOME_SHOWN.checkinsOwed).map(owedSection));
    if (checkinsOwed.length > HOME_SHOWN.checkinsOwed) blocks.push(context([more(checkinsOwed.length - HOME_SHOWN.checkinsOwed, STATUS_MINE)]));
  }
  return blocks;
}

function engagementBlocks(input: HomeInput): KnownBlock[] {
  const list = input.engagements;
  if (list.length === 0) {
    return [
      mrkdwnSection(
        'You are not on any engagement yet. A sponsor starts one with *Kick off an engagement* (or `/kickoff`) and names the coaches; ' +
          'once you are sponsor, coach or escalation contact, it shows here with its health.',
      ),
    ];
  }
  const blocks: KnownBlock[] = list.slice(0, HOME_SHOWN.engagements).map((x) => engagementSection(x, input.userId));
  if (list.length > HOME_SHOWN.engagements) blocks.push(context([more(list.length - HOME_SHOWN.engagements, STATUS_MINE)]));
  return blocks;
}

export type HomeTab = Omit<HomeView, 'blocks'> & { type: 'home'; blocks: KnownBlock[] };

export function homeView(input: HomeInput): HomeTab {
  const buttons: Button[] = [
    { type: 'button', action_id: ACTION.homeKickoff, text: plainText('Kick off an engagement', SLACK_LIMITS.buttonText), style: 'primary' },
    { type: 'button', action_id: ACTION.homeRaise, text: plainText('Raise an impediment', SLACK_LIMITS.buttonText) },
  ];
  const blocks: KnownBlock[] = [
    header('Your coaching dashboard'),
    { type: 'actions', block_id: BLOCK.homeActions, elements: buttons },
    divider(),
    header('Waiting on you'),
    ...waitingBlocks(input),
    divider(),
    header('Your engagements'),
    ...engagementBlocks(input),
    divider(),
  ];
  const foot = [
    '`/status` for an engagement or the portfolio · `/impediment help` · `/kickoff help`',
    ...(input.isAdmin ? ['You are a workspace admin: `/status all` shows every engagement.'] : []),
  ];
  return { type: 'home', blocks: [...capBlocks(blocks, SLACK_LIMITS.modalBlocks - 1, STATUS_MINE), context(foot)] };
}
