/** Factories for check-in, home and digest tests (overrides win). */
import type { Button, KnownBlock } from '@slack/types';
import type { Impediment } from '../../../src/domain/impedimentTypes';
import type { Checkin } from '../../../src/domain/statusTypes';
import type { Engagement } from '../../../src/domain/types';
import { draft } from '../../support/drafts';

export const TZ = 'Europe/Berlin';
export const HOSTILE = '<!channel> <!here|here> <@U999> <http://evil.example|Your bank> & <!subteam^S1|@leads>';

export function engagement(overrides: Partial<Engagement> = {}): Engagement {
  const at = new Date('2026-11-02T09:00:00Z');
  return {
    ...draft(),
    id: 7,
    teamId: 'T1',
    health: null,
    lifecycle: 'active',
    engagementChannelId: 'CENG',
    closeNote: null,
    createdBy: 'USPONSOR',
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    autoEscalate: true,
    announcements: [],
    confirmation: null,
    ...overrides,
  };
}

export function impediment(overrides: Partial<Impediment> = {}): Impediment {
  return {
    id: 41,
    teamId: 'T1',
    number: 12,
    engagementId: 7,
    description: 'Staging is down every Monday',
    severity: 'high',
    organisational: false,
    anonymous: false,
    reporterId: 'UREPORTER',
    ownerId: 'UOWNER',
    state: 'open',
    level: 1,
    dueAt: new Date('2026-11-25T14:37:00Z'),
    waitingOnExecutives: false,
    source: 'command',
    sourcePermalink: null,
    resolutionNote: null,
    createdAt: new Date('2026-11-23T14:37:00Z'),
    updatedAt: new Date('2026-11-23T14:37:00Z'),
    closedAt: null,
    cards: [],
    ...overrides,
  };
}

export function checkin(overrides: Partial<Checkin> = {}): Checkin {
  return {
    id: 3,
    engagementId: 7,
    authorId: 'UCOACH1',
    health: 'amber',
    summary: 'Retro happened; releases still slow',
    nextSteps: 'Pair on the deploy pipeline',
    outcomeValues: [{ position: 0, value: 14 }],
    createdAt: new Date('2026-11-20T10:00:00Z'),
    ...overrides,
  };
}

/** Every button anywhere in the blocks (actions elements and section accessories). */
export function buttonsIn(blocks: readonly KnownBlock[]): Button[] {
  return blocks.flatMap((b): Button[] => {
    if (b.type === 'actions') return b.elements.filter((e): e is Button => e.type === 'button');
    if (b.type === 'section' && b.accessory?.type === 'button') return [b.accessory];
    return [];
  });
}
