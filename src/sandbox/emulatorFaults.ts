/**
 * Fault injection for the Slack emulator: explicit rules (`fault`) and a
 * seeded random share of calls (`faultShare`), so failures are repeatable.
 */
import type { Args } from './emulatorState';

export interface FaultRule {
  /** A Web API method name, or '*' for every method. */
  method: string;
  /** How many matching calls this rule affects (default 1; Infinity allowed). */
  times?: number;
  /** Only calls whose parsed arguments satisfy this are affected (and counted). */
  match?: (args: Args) => boolean;
  /** Answer `{ ok: false, error }` with HTTP 200. */
  error?: string;
  /** Extra fields for an `error` answer (e.g. `{ needed: 'chat:write' }`). */
  extra?: Record<string, unknown>;
  /** Answer HTTP 429 with `Retry-After: <seconds>` and `{ ok: false, error: 'ratelimited' }`. */
  rateLimited?: number;
  /** Answer this HTTP status (500, 502, 503, …) with a text body. */
  status?: number;
  /** Wait this long before answering; alone, the call still takes effect and is answered normally. */
  delayMs?: number;
  /** Destroy the socket without answering: 'before' = no effect, 'after' = the call took effect. */
  drop?: 'before' | 'after';
}

export type ShareKind = 'rateLimited' | '500' | '502' | '503' | 'drop-before' | 'drop-after' | 'delay';

export interface FaultShareRule {
  method: string;
  /** Fraction of matching calls to fault, 0..1. */
  share: number;
  kinds: ShareKind[];
  seed?: number;
  match?: (args: Args) => boolean;
  /** Retry-After for 'rateLimited' (default 1 s). */
  retryAfter?: number;
  /** Delay for 'delay' (default 50 ms). */
  delayMs?: number;
  /** Stop after this many faults (default Infinity). */
  times?: number;
}

export type FaultLabel = 'error' | 'rateLimited' | 'status' | 'delay' | 'drop-before' | 'drop-after';

/** What the server does with one call. */
export interface FaultDecision {
  label: FaultLabel;
  delayMs: number;
  action: 'respond' | 'error' | 'rateLimited' | 'status' | 'drop-before' | 'drop-after';
  error?: string;
  extra?: Record<string, unknown>;
  retryAfter?: number;
  status?: number;
}

export interface FaultHandle {
  /** How many calls this rule has affected so far. */
  readonly hits: number;
  /** Remove the rule. */
  cancel(): void;
}

/** mulberry32: tiny, fast, good enough for repeatable test schedules. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Entry {
  hits: number;
  decide(method: string, args: Args): FaultDecision | undefined;
}

function methodMatches(rule: { method: string }, method: string): boolean {
  return rule.method === '*' || rule.method === method;
}

function decisionFor(rule: FaultRule): FaultDecision {
  const delayMs = rule.delayMs ?? 0;
  if (rule.drop === 'before') return { label: 'drop-before', action: 'drop-before', delayMs };
  if (rule.drop === 'after') return { label: 'drop-after', action: 'drop-after', delayMs };
  if (rule.rateLimited !== undefined) {
    return { label: 'rateLimited', action: 'rateLimited', retryAfter: rule.rateLimited, delayMs };
  }
  if (rule.status !== undefined) return { label: 'status', action: 'status', status: rule.status, delayMs };
  if (rule.error !== undefined) {
    return { label: 'error', action: 'error', error: rule.error, extra: rule.extra, delayMs };
  }
  if (rule.delayMs !== undefined) return { label: 'delay', action: 'respond', delayMs };
  throw new Error(`fault rule for ${rule.method} says nothing to do`);
}

function shareDecision(kind: ShareKind, rule: FaultShareRule): FaultDecision {
  switch (kind) {
    case 'rateLimited':
      return { label: 'rateLimited', action: 'rateLimited', retryAfter: rule.retryAfter ?? 1, delayMs: 0 };
    case '500':
    case '502':
    case '503':
      return { label: 'status', action: 'status', status: Number(kind), delayMs: 0 };
    case 'drop-before':
      return { label: 'drop-before', action: 'drop-before', delayMs: 0 };
    case 'drop-after':
      return { label: 'drop-after', action: 'drop-after', delayMs: 0 };
    case 'delay':
      return { label: 'delay', action: 'respond', delayMs: rule.delayMs ?? 50 };
  }
}

export class FaultBook {
  private entries: Entry[] = [];

  add(rule: FaultRule): FaultHandle {
    const decision = decisionFor(rule); // validate at once
    const times = rule.times ?? 1;
    const entry: Entry = {
      hits: 0,
      decide: (method, args) => {
        if (entry.hits >= times || !methodMatches(rule, method)) return undefined;
        if (rule.match && !rule.match(args)) return undefined;
        entry.hits += 1;
        return { ...decision };
      },
    };
    return this.push(entry);
  }

  addShare(rule: FaultShareRule): FaultHandle {
    if (rule.kinds.length === 0) throw new Error('faultShare needs at least one kind');
    const random = seededRandom(rule.seed ?? 1);
    const times = rule.times ?? Infinity;
    const entry: Entry = {
      hits: 0,
      decide: (method, args) => {
        if (entry.hits >= times || !methodMatches(rule, method)) return undefined;
        if (rule.match && !rule.match(args)) return undefined;
        // Two draws per matching call, always, so the schedule depends only on the seed
        // and the sequence of matching calls.
        const roll = random();
        const pick = random();
        if (roll >= rule.share) return undefined;
        entry.hits += 1;
        const kind = rule.kinds[Math.floor(pick * rule.kinds.length)] ?? rule.kinds[0];
        return shareDecision(kind as ShareKind, rule);
      },
    };
    return this.push(entry);
  }

  private push(entry: Entry): FaultHandle {
    this.entries.push(entry);
    return {
      get hits() {
        return entry.hits;
      },
      cancel: () => {
        this.entries = this.entries.filter((e) => e !== entry);
      },
    };
  }

  /** The first rule (in order added) that applies to this call, consuming one of its `times`. */
  take(method: string, args: Args): FaultDecision | undefined {
    for (const entry of this.entries) {
      const decision = entry.decide(method, args);
      if (decision) return decision;
    }
    return undefined;
  }

  clear(): void {
    this.entries = [];
  }
}
