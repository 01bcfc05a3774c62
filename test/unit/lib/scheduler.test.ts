import { Scheduler, type Job } from '../../../src/jobs/scheduler';
import { createLogger } from '../../../src/lib/logger';

describe('Scheduler', () => {
  it('stopped during its catch-up: the job running finishes, later jobs never start, and no tick follows', async () => {
    const ran: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const jobs: Job[] = [
      { name: 'first', run: async () => { ran.push('first'); await gate; ran.push('first done'); } },
      { name: 'second', run: () => void ran.push('second') },
    ];
    const scheduler = new Scheduler(jobs, createLogger({ level: 'error', sink: () => undefined }), '* * * * * *');
    const starting = scheduler.start();
    await new Promise((r) => setImmediate(r));
    expect(ran).toEqual(['first']);
    const stopping = scheduler.stop();
    release();
    await stopping;
    await starting;
    expect(ran).toEqual(['first', 'first done']);
    // Ticks every second would have run both jobs by now had they been started.
    await new Promise((r) => setTimeout(r, 1200));
    expect(ran).toEqual(['first', 'first done']);
  });
});
