/** The only source of "now" for domain code and jobs, so tests can fix time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can set and move. */
export class FixedClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(d: Date): void {
    this.current = new Date(d.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** The system clock moved forward by an offset (the sandbox's time travel). */
export class OffsetClock implements Clock {
  constructor(private offset = 0) {}
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
  get offsetMs(): number {
    return this.offset;
  }
  /** Moves time forward to `to` (never backwards). */
  moveTo(to: Date): void {
    this.offset = Math.max(this.offset, to.getTime() - Date.now());
  }
}
