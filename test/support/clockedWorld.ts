import { FixedClock } from '../../src/lib/clock';
import { startHarness, type Harness, type HarnessOptions } from './harness';

/** The real app on an injected clock, scheduled work driven by the test (`h.app.scheduler.runAll()`). */
export interface World {
  h: Harness;
  clock: FixedClock;
  general: string;
}

export async function world(start: Date, zone: string, opts: HarnessOptions = {}): Promise<World> {
  const clock = new FixedClock(start);
  const h = await startHarness({ clock, scheduler: false, ...opts, env: { DEFAULT_TIMEZONE: zone, ADMIN_USER_IDS: 'UADMIN', ...opts.env } });
  const general = h.emu.addChannel({ name: 'general' });
  return { h, clock, general };
}
