/**
 * The sandbox's seeded workspace: a handful of people whose roles make the whole story
 * playable (sponsor, two coaches, a director, a VP, team members, an admin), and a few
 * channels, one of them private without the bot (so "invite the bot" shows).
 */
import type { SlackEmulator } from './emulator';

export interface SandboxPerson {
  id: string;
  name: string;
  realName: string;
  /** What they do in the story (shown in the "Acting as" picker). */
  title: string;
  tz: string;
}

export const SANDBOX_ADMIN_ID = 'U01RUTH';

export const SANDBOX_PEOPLE: readonly SandboxPerson[] = [
  { id: 'U01PRIYA', name: 'priya', realName: 'Priya Shah', title: 'Engineering director, sponsor', tz: 'Europe/London' },
  { id: 'U01MARCO', name: 'marco', realName: 'Marco Rossi', title: 'Agile coach', tz: 'Europe/Rome' },
  { id: 'U01AIKO', name: 'aiko', realName: 'Aiko Tanaka', title: 'Agile coach', tz: 'Europe/Berlin' },
  { id: 'U01SAM', name: 'sam', realName: 'Sam Okafor', title: 'Program director', tz: 'America/New_York' },
  { id: 'U01ELENA', name: 'elena', realName: 'Elena Petrova', title: 'VP of engineering', tz: 'Europe/Berlin' },
  { id: 'U01LEE', name: 'lee', realName: 'Lee Chen', title: 'Developer, team member', tz: 'America/Los_Angeles' },
  { id: 'U01JORDAN', name: 'jordan', realName: 'Jordan Blake', title: 'Tester, team member', tz: 'Europe/London' },
  { id: SANDBOX_ADMIN_ID, name: 'ruth', realName: 'Ruth Adeyemi', title: 'Workspace admin (coachline admin)', tz: 'Europe/Dublin' },
];

const everyone = SANDBOX_PEOPLE.map((p) => p.id);

export const SANDBOX_CHANNELS = [
  { id: 'C01GENERAL', name: 'general', isPrivate: false, botIsMember: true, members: everyone },
  { id: 'C01ENGINEER', name: 'engineering', isPrivate: false, botIsMember: false, members: everyone },
  { id: 'C01PRODUCT', name: 'product', isPrivate: false, botIsMember: false, members: everyone },
  { id: 'C01RANDOM', name: 'random', isPrivate: false, botIsMember: false, members: everyone },
  {
    id: 'C01LEADS',
    name: 'leadership',
    isPrivate: true,
    botIsMember: false,
    members: ['U01PRIYA', 'U01SAM', 'U01ELENA', SANDBOX_ADMIN_ID],
  },
] as const;

export function titleOf(userId: string): string {
  return SANDBOX_PEOPLE.find((p) => p.id === userId)?.title ?? '';
}

/** Fills an empty emulator with the seeded people and channels (and a first message in #general). */
export function seedWorkspace(emu: SlackEmulator, offsetOf: (tz: string) => number): void {
  for (const p of SANDBOX_PEOPLE) {
    emu.addUser({ id: p.id, name: p.name, realName: p.realName, tz: p.tz, tzOffset: offsetOf(p.tz) });
  }
  for (const c of SANDBOX_CHANNELS) {
    emu.addChannel({ id: c.id, name: c.name, isPrivate: c.isPrivate, botIsMember: c.botIsMember, members: [...c.members] });
  }
  emu.addMessage('C01GENERAL', {
    user: 'U01PRIYA',
    text: 'Welcome to the coachline sandbox! Pick who you are on the left, then type /kickoff here to announce a coaching engagement.',
  });
}
