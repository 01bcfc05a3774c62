/** Fixtures for the check-in, home and digest tests: the shared factories, plus a button finder. */
import type { Button, KnownBlock } from '@slack/types';

export { HOSTILE, TZ, checkin, engagement, impediment } from '../../support/fixtures';

/** Every button anywhere in the blocks (actions elements and section accessories). */
export function buttonsIn(blocks: readonly KnownBlock[]): Button[] {
  return blocks.flatMap((b): Button[] => {
    if (b.type === 'actions') return b.elements.filter((e): e is Button => e.type === 'button');
    if (b.type === 'section' && b.accessory?.type === 'button') return [b.accessory];
    return [];
  });
}
