import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { WebClient } from '@slack/web-api';
import { enqueueDelivery, type OutboxRow, type OutboxStore } from '../../store/outbox';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';
import type { Delivery } from '../../domain/deliveries';
import type { Transaction } from '../../domain/ports';
import { AUTH_ERRORS, classify } from './errors';

/** Errors about the token itself (not one item): deliveries wait for it instead of being parked. `missing_scope` is about a method and parks. */
const TOKEN_ERRORS = new Set([...AUTH_ERRORS].filter((c) => c !== 'missing_scope'));

/** What a handler did; `commit` runs in the same transaction that marks the item done. */
export interface Handled {
  result: Record<string, unknown>;
  commit?: (enqueue: (d: Delivery) => Promise<void>) => Promise<void>;
}

export interface HandlerContext {
  client: WebClient;
  row: OutboxRow;
  clock: Clock;
  logger: Logger;
}

export interface DeliveryHandler {
  send(item: Delivery, ctx: HandlerContext): Promise<Handled>;
  /**
   * The item can never be delivered: record it (e.g. mark the announcement failed) and,
   * unless it is about the token itself, say who should be told.
   */
  onPermanentFailure?(item: Delivery, code: string, enqueue: (d: Delivery) => Promise<void>): Promise<void>;
}

export interface SenderOptions {
  transaction: Transaction;
  outbox: OutboxStore;
  client: WebClient;
  clock: Clock;
  logger: Logger;
  handlers: Record<Delivery['kind'], DeliveryHandler>;
  /** Who should hear about a parked item that has no engagement (or whose sponsor is unknown). */
  sponsorOf: (engagementId: number) => Promise<string | null>;
  /** A message for the sponsor about an item that could not be delivered, or null for none. */
  problemNotice: (item: Delivery, code: string) => Promise<Delivery | null>;
  concurrency?: number;
  /** Backoff for retryable failures: base * 2^(attempt-1), capped, with full jitter. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  maxAttempts?: number;
  /** How often to look for due items when nothing else wakes the sender. */
  pollMs?: number;
  /** After Slack refuses the token: how long to wait before checking it again (doubling up to 5 minutes). */
  authProbeMs?: number;
  /** How long a claimed item stays this instance's; an instance that dies leaves it to others after this. */
  leaseMs?: number;
  /** This instance's name on its claims (default: host, pid and a random part). */
  instanceId?: string;
}

/**
 * Delivers outbox items: one in flight per order key, several keys at once, Retry-After
 * honoured, 5xx and timeouts retried with backoff and jitter, permanent errors parked.
 */
export class OutboxSender {
  private readonly inFlight = new Map<number, { key: string; done: Promise<void> }>();
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private pausedUntil = 0;
  /** Slack refused the token: deliveries wait (nothing is parked) until auth.test succeeds again. */
  private tokenRefused = false;
  private tokenWaitMs = 0;
  private passQueued = false;
  /** One pass at a time: a kick during a pass asks for another one after it. */
  private passing: Promise<void> | null = null;
  private passAgain = false;
  private readonly o: Required<Omit<SenderOptions, 'handlers' | 'sponsorOf' | 'problemNotice'>> &
    Pick<SenderOptions, 'handlers' | 'sponsorOf' | 'problemNotice'>;

  /**
   * The Web API client as handlers see it: every call first waits out a Retry-After pause that
   * began after the item was claimed (so nothing new reaches Slack while it asked us to wait).
   */
  private readonly pausing: WebClient;

  constructor(opts: SenderOptions) {
    this.o = {
      concurrency: 4,
      backoffBaseMs: 1000,
      backoffMaxMs: 5 * 60_000,
      maxAttempts: 12,
      pollMs: 1000,
      leaseMs: 5 * 60_000,
      authProbeMs: 30_000,
      instanceId: `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
      ...opts,
    };
    this.pausing = this.pauseAware(this.o.client);
  }

  private async waitOutPause(): Promise<void> {
    const pause = this.pausedUntil - this.o.clock.now().getTime();
    if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
  }

  /** Wraps the client's API methods (client.chat.postMessage, client.apiCall, …) to wait out a pause first. */
  private pauseAware<T extends object>(target: T): T {
    return new Proxy(target, {
      get: (obj, prop, receiver) => {
        const value: unknown = Reflect.get(obj, prop, receiver);
        if (typeof value === 'function') {
          return async (...args: unknown[]) => {
            await this.waitOutPause();
            return (value as (...a: unknown[]) => unknown).apply(obj, args);
          };
        }
        // Namespaces such as client.chat: the same wrapping one level down.
        if (value && typeof value === 'object' && typeof prop === 'string' && /^[a-z]+$/.test(prop)) return this.pauseAware(value);
        return value;
      },
    });
  }

  /**
   * Keeps delivering: what is pending, and items whose claim expired (their instance died). It
   * never resets another instance's claims: a live instance's items stay its own.
   */
  async start(): Promise<void> {
    this.running = true;
    this.kick();
  }

  /** Ask for a pass soon (after a commit that enqueued something). */
  kick(): void {
    if (!this.running || this.passQueued) return;
    this.passQueued = true;
    setImmediate(() => {
      this.passQueued = false;
      void this.pass();
    });
  }

  /** Stops taking new items and waits for the ones in flight to finish. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.passing;
    await Promise.all([...this.inFlight.values()].map((f) => f.done));
  }

  /** For tests and shutdown: resolves when nothing is due now and nothing is in flight. */
  async idle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await Promise.all([...this.inFlight.values()].map((f) => f.done));
      const next = await this.o.outbox.nextDueAt();
      const now = this.o.clock.now().getTime();
      if (this.inFlight.size === 0 && (next === null || next.getTime() > now)) return;
      if (Date.now() > deadline) throw new Error('outbox did not become idle in time');
      this.kick();
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  private async pass(): Promise<void> {
    if (!this.running) return;
    if (this.passing) {
      this.passAgain = true;
      return;
    }
    this.passing = this.passOnce();
    try {
      await this.passing;
    } finally {
      this.passing = null;
    }
    if (this.passAgain) {
      this.passAgain = false;
      this.kick();
    }
  }

  private async passOnce(): Promise<void> {
    try {
      await this.claimAndSend();
    } catch (error) {
      // The database may be gone (disk, permissions): keep the process up and try again later.
      this.o.logger.log('error', 'outbox: could not read due deliveries; will retry', { error });
      if (!this.running) return;
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.pass(), Math.max(this.o.pollMs, 1000));
      this.timer.unref();
    }
  }

  /** True while the token is refused; checks it (auth.test) once the wait is over. */
  private async tokenStillRefused(): Promise<boolean> {
    if (!this.tokenRefused) return false;
    const now = this.o.clock.now().getTime();
    if (now < this.pausedUntil) return true;
    try {
      await this.o.client.auth.test();
      this.tokenRefused = false;
      this.o.logger.log('info', 'outbox: Slack accepts the token again; resuming deliveries');
      return false;
    } catch (error) {
      this.tokenWaitMs = Math.min(5 * 60_000, this.tokenWaitMs * 2);
      this.pausedUntil = now + this.tokenWaitMs;
      this.o.logger.log('warn', 'outbox: the token is still refused; deliveries keep waiting', { error, retryInMs: this.tokenWaitMs });
      return true;
    }
  }

  private async claimAndSend(): Promise<void> {
    if (await this.tokenStillRefused()) return await this.armTimer();
    const now = this.o.clock.now();
    const free = this.o.concurrency - this.inFlight.size;
    if (free > 0 && now.getTime() >= this.pausedUntil) {
      const busy = new Set([...this.inFlight.values()].map((f) => f.key));
      const claimed = await this.o.outbox.claimDue(now, free, busy, { owner: this.o.instanceId, leaseUntil: new Date(now.getTime() + this.o.leaseMs) });
      const takenOver = claimed.filter((r) => r.takenOver).length;
      if (takenOver > 0) this.o.logger.log('warn', 'outbox: resuming deliveries left in flight by the last run', { count: takenOver });
      for (const row of claimed) {
        const done = this.process(row).finally(() => {
          this.inFlight.delete(row.id);
          this.kick();
        });
        this.inFlight.set(row.id, { key: row.orderKey, done });
      }
    }
    await this.armTimer();
  }

  private async armTimer(): Promise<void> {
    const next = await this.o.outbox.nextDueAt();
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    const now = this.o.clock.now().getTime();
    let wait = this.o.pollMs;
    if (next) wait = Math.min(wait, Math.max(0, next.getTime() - now));
    if (this.pausedUntil > now) wait = Math.max(wait, this.pausedUntil - now);
    this.timer = setTimeout(() => void this.pass(), wait);
    this.timer.unref();
  }

  private async process(row: OutboxRow): Promise<void> {
    const item = row.payload as unknown as Delivery;
    const handler = this.o.handlers[item.kind];
    const log = this.o.logger.child({ outboxId: row.id, kind: row.kind, attempt: row.attempts });
    if (!handler) {
      await this.o.outbox.park(row.id, `unknown delivery kind ${row.kind}`, this.o.clock.now());
      log.log('error', 'outbox: parked an item of unknown kind');
      return;
    }
    try {
      const handled = await handler.send(item, { client: this.pausing, row, clock: this.o.clock, logger: log });
      await this.o.transaction(async () => {
        await handled.commit?.((d) => this.enqueue(row, d));
        await this.o.outbox.markDone(row.id, handled.result, this.o.clock.now());
      });
      log.log('debug', 'outbox: delivered');
    } catch (err) {
      await this.fail(row, item, handler, err, log).catch((error: unknown) => log.log('error', 'outbox: could not record a failed delivery', { error }));
    }
  }

  private async fail(row: OutboxRow, item: Delivery, handler: DeliveryHandler, err: unknown, log: Logger): Promise<void> {
    const f = classify(err);
    const now = this.o.clock.now();
    if (f.kind === 'rate_limited') {
      this.pausedUntil = Math.max(this.pausedUntil, now.getTime() + f.retryAfterMs);
      await this.o.outbox.retryLater(row.id, new Date(now.getTime() + f.retryAfterMs), f.detail, false, now);
      log.log('warn', 'outbox: rate limited by Slack; waiting', { retryAfterMs: f.retryAfterMs });
      return;
    }
    if (f.kind === 'permanent' && TOKEN_ERRORS.has(f.code)) {
      // The token, not the item: a blip (or a rotation in progress) must not park deliveries for good.
      if (!this.tokenRefused) {
        this.tokenRefused = true;
        this.tokenWaitMs = this.o.authProbeMs;
        log.log('error', 'outbox: Slack refused the bot token; every delivery waits and resumes once it works again (check SLACK_BOT_TOKEN and the app installation)', { error: f.detail });
      }
      this.pausedUntil = Math.max(this.pausedUntil, now.getTime() + this.tokenWaitMs);
      await this.o.outbox.retryLater(row.id, new Date(now.getTime() + this.tokenWaitMs), f.detail, false, now, false);
      return;
    }
    if (f.kind === 'retry' && row.attempts < this.o.maxAttempts) {
      const cap = Math.min(this.o.backoffMaxMs, this.o.backoffBaseMs * 2 ** (row.attempts - 1));
      const delay = Math.round(cap / 2 + Math.random() * (cap / 2));
      await this.o.outbox.retryLater(row.id, new Date(now.getTime() + delay), f.detail, f.inDoubt, now);
      log.log('warn', 'outbox: delivery failed; will retry', { error: f.detail, retryInMs: delay });
      return;
    }
    const code = f.kind === 'permanent' ? f.code : 'gave_up_after_retries';
    await this.o.transaction(async () => {
      await handler.onPermanentFailure?.(item, code, (d) => this.enqueue(row, d));
      await this.o.outbox.park(row.id, f.detail, now);
      const notice = AUTH_ERRORS.has(code) || row.payload.notice === true ? null : await this.o.problemNotice(item, code);
      if (notice) await this.enqueue(row, notice);
    });
    log.log(AUTH_ERRORS.has(code) ? 'error' : 'warn', 'outbox: delivery parked; it cannot succeed as it is', { error: f.detail });
  }

  private async enqueue(row: OutboxRow, d: Delivery): Promise<void> {
    const sponsor = 'engagementId' in d && d.engagementId !== undefined ? await this.o.sponsorOf(d.engagementId) : null;
    await enqueueDelivery(this.o.outbox, row.teamId, d, this.o.clock.now(), sponsor ?? undefined);
  }
}
