/** Slack-protocol details of our views: literal help text escaped in mrkdwn, selections clamped to their element's limit. */
import { LIMITS } from '../../../src/domain/kickoffRules';
import { kickoffHelp } from '../../../src/slack/views/kickoffHelp';
import { impedimentHelp } from '../../../src/slack/views/impedimentMessages';
import { kickoffModal } from '../../../src/slack/views/kickoffModal';
import { statusHelp } from '../../../src/slack/views/statusViews';
import { BLOCK } from '../../../src/slack/ids';
import { engagement, TZ } from '../../support/fixtures';

/** Every string Slack parses as mrkdwn in a message: `text` and mrkdwn objects in the blocks. */
function mrkdwnTexts(m: { text: string; blocks: unknown[] }): string[] {
  const out = [m.text];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(m.blocks);
  return out;
}

describe('help texts are escaped mrkdwn', () => {
  it.each([
    ['/kickoff help', kickoffHelp],
    ['/impediment help', impedimentHelp],
    ['/status help', statusHelp],
  ])('%s: no raw <, > or & anywhere Slack parses mrkdwn', (_what, help) => {
    for (const t of mrkdwnTexts(help())) {
      expect(t).not.toMatch(/[<>]/);
      expect(t).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
  });

  it('/kickoff help still shows the outcome arrow, as an entity Slack renders as ">"', () => {
    expect(mrkdwnTexts(kickoffHelp()).join('\n')).toContain('30% -&gt; 10%');
  });
});

describe('the edit modal keeps initial selections within max_selected_items', () => {
  const many = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);
  type El = { max_selected_items?: number; initial_users?: string[]; initial_conversations?: string[] };
  const blockOf = (view: { blocks: unknown[] }, id: string) => (view.blocks as { block_id?: string; element: El; hint?: { text: string } }[]).find((b) => b.block_id === id)!;

  it('more coaches, contacts and channels than the limit: the first N, and the hint says so', () => {
    const e = engagement({
      coachIds: many('UC', LIMITS.coachesMax + 5),
      announcementChannelIds: many('C', LIMITS.announcementChannelsMax + 3),
    });
    e.escalation[1] = { ...e.escalation[1]!, contactIds: many('UP', LIMITS.contactsMax + 1) };
    const view = kickoffModal({ mode: 'edit', initial: e, submitterId: 'USPONSOR', today: '2026-12-01', channelId: null, timezone: TZ });
    const coaches = blockOf(view, BLOCK.kickoffCoaches);
    expect(coaches.element.initial_users).toEqual(e.coachIds.slice(0, LIMITS.coachesMax));
    expect(coaches.hint?.text).toMatch(new RegExp(`first ${LIMITS.coachesMax} of ${LIMITS.coachesMax + 5} coaches`));
    const channels = blockOf(view, BLOCK.kickoffChannels);
    expect(channels.element.initial_conversations).toHaveLength(LIMITS.announcementChannelsMax);
    expect(channels.hint?.text).toMatch(/invite @coachline first\. Only the first 20 of 23 channels/);
    const withContacts = (view.blocks as { element?: El; hint?: { text: string } }[]).filter((b) => (b.element?.initial_users?.length ?? 0) > 0);
    for (const b of withContacts) expect(b.element!.initial_users!.length).toBeLessThanOrEqual(b.element!.max_selected_items!);
    expect(withContacts.some((b) => /first 20 of 21 contacts/.test(b.hint?.text ?? ''))).toBe(true);
  });

  it('within the limit: everything, and no note', () => {
    const e = engagement({ coachIds: ['UC1', 'UC2'], announcementChannelIds: ['C1'] });
    const view = kickoffModal({ mode: 'edit', initial: e, submitterId: 'USPONSOR', today: '2026-12-01', channelId: null, timezone: TZ });
    expect(blockOf(view, BLOCK.kickoffCoaches).element.initial_users).toEqual(['UC1', 'UC2']);
    expect(blockOf(view, BLOCK.kickoffCoaches).hint).toBeUndefined();
    expect(blockOf(view, BLOCK.kickoffChannels).hint?.text).toBe('For a private channel, invite @coachline first.');
  });
});
