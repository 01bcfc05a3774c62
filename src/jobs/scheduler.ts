import { createTask, setLogger, type ScheduledTask } from 'node-cron';
import type { Logger } from '../lib/logger';

export interface Job {
  name: string;
  /** Does what is due now (read from the database); must be safe to run twice. */
  run(): void | Promise<void>;
}

/**
 * node-cron ticks over work whose due times live in the database, so a restart loses
 * nothing: every job runs once at start (catch-up after downtime) and then every minute.
 * Overlapping ticks are skipped; each job isolates its own per-item failures.
 */
export class Scheduler {
  private readonly tasks: ScheduledTask[] = [];
  private running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly jobs: Job[],
    private readonly logger: Logger,
    private readonly expression = '* * * * *',
  ) {}

  async start(): Promise<void> {
    // node-cron logs to the console by default; its notes (e.g. a skipped overlapping tick) go to ours.
    setLogger({
      info: (m: string) => this.logger.log('debug', `node-cron: ${m}`),
      warn: (m: string) => this.logger.log('debug', `node-cron: ${m}`),
      error: (m: string | Error) => this.logger.log('warn', `node-cron: ${m instanceof Error ? m.message : m}`),
      debug: (m: string | Error) => this.logger.log('debug', `node-cron: ${m instanceof Error ? m.message : m}`),
    });
    for (const job of this.jobs) {
      const task = createTask(this.expression, () => this.runJob(job), { name: job.name, noOverlap: true });
      this.tasks.push(task);
    }
    await this.runAll();
    // Stopped during the catch-up (a quick SIGTERM after start): no ticks from here on.
    if (this.stopped) return;
    for (const t of this.tasks) await t.start();
  }

  /** Runs every job once now (tests drive time with an injected clock and call this). */
  async runAll(): Promise<void> {
    for (const job of this.jobs) {
      if (this.stopped) return;
      await this.runJob(job);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.tasks) await t.destroy();
    this.tasks.length = 0;
    await Promise.all([...this.running]);
  }

  private runJob(job: Job): Promise<void> {
    const p = (async () => {
      try {
        await job.run();
      } catch (error) {
        this.logger.log('error', 'scheduled job failed', { job: job.name, error });
      }
    })();
    this.running.add(p);
    return p.finally(() => this.running.delete(p));
  }
}
