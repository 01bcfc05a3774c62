/**
 * Impediment rules: reading `IMP-n` references and severity prefixes, who may do what to
 * an impediment (refusals say who can), and escalation transitions. Pure: no Slack, no SQL,
 * no clock.
 */
import type { Engagement, EscalationLevel } from './types';
import type { Impediment, Severity } from './impedimentTypes';
import { SEVERITIES, impedimentRef } from './impedimentTypes';
import { PermissionError } from './errors';
import { addBusinessTime } from './businessTime';
import { formatResponseTime } from './kickoffRules';

export const DESCRIPTION_MAX = 3000;
export const REASON_MAX = 1000;
export const NOTE_MAX = 2000;
/** Largest impediment number a reference may carry. */
export const IMPEDIMENT_NUMBER_MAX = 999_999_999;

export const IMPEDIMENT_REF_FORMAT = 'Impediment ids look like IMP-12';

const mention = (id: string) => `<@${id}>`;

// ---------------------------------------------------------------------------------------
// Parsing

export type ImpedimentRefParse = { ok: true; number: number } | { ok: false; message: string };

const REF = /^(?:imp-?|#)?(\d+)$/i;

/** `IMP-12`, `imp-12`, `IMP12`, `#12` or `12` (surrounding spaces ignored) → 12. */
export function parseImpedimentRef(text: string): ImpedimentRefParse {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: `Which impediment? ${IMPEDIMENT_REF_FORMAT}.` };
  const m = trimmed.length <= 40 ? REF.exec(trimmed) : null;
  if (!m) return { ok: false, message: `That is not an impediment id. ${IMPEDIMENT_REF_FORMAT}.` };
  const digits = m[1].replace(/^0+/, '');
  if (digits === '') return { ok: false, message: `Impediment numbers start at 1. ${IMPEDIMENT_REF_FORMAT}.` };
  const n = digits.length <= 10 ? Number(digits) : Infinity;
  if (n > IMPEDIMENT_NUMBER_MAX) return { ok: false, message: `That impediment number is too large. ${IMPEDIMENT_REF_FORMAT}.` };
  return { ok: true, number: n };
}

const SEVERITY_PREFIX = new RegExp(`^\\s*!(${SEVERITIES.join('|')})(?=\\s|$)`, 'i');

/** A leading `!low`, `!medium`, `!high` or `!critical` (any case) sets the severity; default medium. */
export function parseSeverityPrefix(text: string): { severity: Severity; text: string } {
  const m = SEVERITY_PREFIX.exec(text);
  if (!m) return { severity: 'medium', text: text.trim() };
  return { severity: m[1].toLowerCase() as Severity, text: text.slice(m[0].length).trim() };
}

// ---------------------------------------------------------------------------------------
// Permissions

export interface ImpedimentPermissionContext {
  impediment: Impediment;
  engagement: Engagement;
  userId: string;
  adminIds: readonly string[];
}

/** The level of the engagement's line the impediment is at, if the line still has it. */
export function currentLevel(impediment: Impediment, engagement: Engagement): EscalationLevel | null {
  return engagement.escalation.find((l) => l.level === impediment.level) ?? null;
}

const currentContacts = (c: ImpedimentPermissionContext): string[] => currentLevel(c.impediment, c.engagement)?.contactIds ?? [];
const allContacts = (e: Engagement): string[] => [...new Set(e.escalation.flatMap((l) => l.contactIds))];

const isCoach = (c: ImpedimentPermissionContext) => c.engagement.coachIds.includes(c.userId);
const isOwner = (c: ImpedimentPermissionContext) => c.impediment.ownerId !== null && c.impediment.ownerId === c.userId;
const isSponsor = (c: ImpedimentPermissionContext) => c.engagement.sponsorId === c.userId;
const isAdmin = (c: ImpedimentPermissionContext) => c.adminIds.includes(c.userId);
const isCurrentContact = (c: ImpedimentPermissionContext) => currentContacts(c).includes(c.userId);
const isAnyContact = (c: ImpedimentPermissionContext) => allContacts(c.engagement).includes(c.userId);
/** Never true for an anonymous impediment, whatever the row says. */
const isReporter = (c: ImpedimentPermissionContext) =>
  !c.impediment.anonymous && c.impediment.reporterId !== null && c.impediment.reporterId === c.userId;

type Who = (c: ImpedimentPermissionContext) => string | null;

const people = (ids: readonly string[]) => ids.map(mention).join(', ');
const whoCoach: Who = ({ engagement: e }) =>
  e.coachIds.length === 0 ? null : `${e.coachIds.length === 1 ? 'the coach' : 'a coach'} (${people(e.coachIds)})`;
const whoOwner: Who = ({ impediment: i }) => (i.ownerId === null ? null : `the owner (${mention(i.ownerId)})`);
const whoSponsor: Who = ({ engagement: e }) => `the sponsor (${mention(e.sponsorId)})`;
const whoAdmin: Who = () => 'a coachline admin';
const whoReporter: Who = ({ impediment: i }) => (i.anonymous || i.reporterId === null ? null : `the reporter (${mention(i.reporterId)})`);
const whoCurrentContact: Who = (c) => {
  const level = currentLevel(c.impediment, c.engagement);
  if (!level || level.contactIds.length === 0) return null;
  const who = level.contactIds.length === 1 ? 'the contact' : 'a contact';
  return `${who} at the current level (${level.name}: ${people(level.contactIds)})`;
};
const whoAnyContact: Who = ({ engagement: e }) => {
  const ids = allContacts(e);
  return ids.length === 0 ? null : `${ids.length === 1 ? 'the escalation contact' : 'an escalation contact'} (${people(ids)})`;
};

const list = (c: ImpedimentPermissionContext, whos: readonly Who[]): string[] =>
  whos.map((w) => w(c)).filter((s): s is string => s !== null);

export const canResolve = (c: ImpedimentPermissionContext): boolean =>
  isCoach(c) || isOwner(c) || isCurrentContact(c) || isSponsor(c) || isAdmin(c);
export const whoCanResolve = (c: ImpedimentPermissionContext): string[] =>
  list(c, [whoCoach, whoOwner, whoCurrentContact, whoSponsor, whoAdmin]);
export function assertCanResolve(c: ImpedimentPermissionContext): void {
  if (!canResolve(c)) throw new PermissionError(`resolve ${impedimentRef(c.impediment.number)}`, whoCanResolve(c));
}

export const canEscalate = (c: ImpedimentPermissionContext): boolean =>
  isReporter(c) || isOwner(c) || isCoach(c) || isCurrentContact(c) || isSponsor(c) || isAdmin(c);
export const whoCanEscalate = (c: ImpedimentPermissionContext): string[] =>
  list(c, [whoReporter, whoOwner, whoCoach, whoCurrentContact, whoSponsor, whoAdmin]);
export function assertCanEscalate(c: ImpedimentPermissionContext): void {
  if (!canEscalate(c)) throw new PermissionError(`escalate ${impedimentRef(c.impediment.number)}`, whoCanEscalate(c));
}

/** Who may change an impediment's description and severity (asked before the edit modal opens). */
export const canEdit = (c: ImpedimentPermissionContext): boolean => isReporter(c) || isCoach(c) || isSponsor(c) || isAdmin(c);
export const whoCanEdit = (c: ImpedimentPermissionContext): string[] => list(c, [whoReporter, whoCoach, whoSponsor, whoAdmin]);
export function assertCanEdit(c: ImpedimentPermissionContext): void {
  if (!canEdit(c)) throw new PermissionError(`edit ${impedimentRef(c.impediment.number)}`, whoCanEdit(c));
}

export const canAcknowledge = (c: ImpedimentPermissionContext): boolean =>
  isCurrentContact(c) || isCoach(c) || isOwner(c) || isSponsor(c) || isAdmin(c);
export const whoCanAcknowledge = (c: ImpedimentPermissionContext): string[] =>
  list(c, [whoCurrentContact, whoCoach, whoOwner, whoSponsor, whoAdmin]);
export function assertCanAcknowledge(c: ImpedimentPermissionContext): void {
  if (!canAcknowledge(c)) throw new PermissionError(`acknowledge ${impedimentRef(c.impediment.number)}`, whoCanAcknowledge(c));
}

export const canTakeOwnership = (c: ImpedimentPermissionContext): boolean =>
  isCoach(c) || isAnyContact(c) || isSponsor(c) || isAdmin(c);
export const whoCanTakeOwnership = (c: ImpedimentPermissionContext): string[] =>
  list(c, [whoCoach, whoAnyContact, whoSponsor, whoAdmin]);
export function assertCanTakeOwnership(c: ImpedimentPermissionContext): void {
  if (!canTakeOwnership(c)) {
    throw new PermissionError(`take ownership of ${impedimentRef(c.impediment.number)}`, whoCanTakeOwnership(c));
  }
}

// ---------------------------------------------------------------------------------------
// Transitions

export type NextLevel = { ok: true; level: EscalationLevel; isTop: boolean } | { ok: false; message: string };

/**
 * The level an escalation moves the impediment to. Refused for closed impediments, for an
 * engagement without an escalation line, and at the top of the line.
 */
export function nextLevel(impediment: Impediment, engagement: Engagement): NextLevel {
  const ref = impedimentRef(impediment.number);
  if (impediment.state === 'resolved') return { ok: false, message: `${ref} is resolved already, so there is nothing to escalate.` };
  if (impediment.state === 'wont_fix') {
    return { ok: false, message: `${ref} was closed as won't fix, so there is nothing to escalate.` };
  }
  const line = [...engagement.escalation].sort((a, b) => a.level - b.level);
  const top = line[line.length - 1];
  if (!top) {
    return {
      ok: false,
      message: `The engagement \`${engagement.key}\` has no escalation line, so ${ref} cannot be escalated. The sponsor or a coach can add one with \`/kickoff edit ${engagement.key}\`.`,
    };
  }
  const next = line.find((l) => l.level > impediment.level);
  if (!next) {
    const contacts = top.contactIds.length > 0 ? people(top.contactIds) : 'nobody named';
    return {
      ok: false,
      message: `${ref} is already at the top of the escalation line (${top.name}: ${contacts}). Resolve it, or raise it with them directly.`,
    };
  }
  return { ok: true, level: next, isTop: next.level === top.level };
}

/** When a response is due at `level` for a clock started at `from`. */
export function dueAtFor(level: EscalationLevel, from: Date, timeZone: string): Date {
  return addBusinessTime(from, level.responseTime, level.responseUnit, timeZone);
}

/** `no response within 2 business days`, `no response within 4 business hours`. */
export function autoEscalationReason(level: EscalationLevel): string {
  return `no response within ${formatResponseTime(level.responseTime, level.responseUnit)}`;
}
