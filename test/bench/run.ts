/**
 * npm run bench — latency and throughput of the real app (HTTP receiver, Bolt, SQLite file,
 * outbox sender) against the local Slack emulator on loopback, then /status and App Home on a
 * database of 1,000 engagements and 1,000,000 impediments (scale.ts). Prints figures; no assertions.
 */
import { startHarness, waitFor } from '../support/harness';
import { kickoffForm, kickoffSubmission } from '../support/kickoffForm';
import { scaleBench } from './scale';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (n: number) => `${n.toFixed(2)} ms`;

async function time<T>(fn: () => Promise<T>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function main(): Promise<void> {
  const h = await startHarness({ env: { LOG_LEVEL: 'error' } });
  const rows: [string, string][] = [];
  try {
    const general = h.emu.addChannel({ name: 'general' });

    // 1. Ack of a slash command answered in the request (`/kickoff help`).
    const help: number[] = [];
    for (let i = 0; i < 50; i++) await h.command({ command: '/kickoff', text: 'help', channel_id: general }); // warm-up
    for (let i = 0; i < 500; i++) help.push(await time(() => h.command({ command: '/kickoff', text: 'help', channel_id: general })));
    rows.push(['/kickoff help ack, median (n=500)', ms(pct(help, 50))], ['/kickoff help ack, p99', ms(pct(help, 99))]);

    // 2. Kickoff submission: validate, one transaction (engagement, lines, event, outbox rows), ack.
    await h.command({ command: '/kickoff', user_id: 'USPONSOR', channel_id: general });
    await waitFor(() => h.emu.callsTo('views.open').length > 0, 'views.open');
    const meta = String((h.emu.callsTo('views.open')[0].args.view as { private_metadata: string }).private_metadata);
    const submit: number[] = [];
    await h.app.sender.stop(); // measure the ack path alone; delivery is measured below
    for (let i = 0; i < 200; i++) {
      const payload = kickoffSubmission(kickoffForm({ name: `Engagement ${i}`, channels: [general] }), { user: 'USPONSOR', privateMetadata: meta });
      submit.push(await time(() => h.interact(payload)));
    }
    rows.push(['kickoff submission ack, median (n=200)', ms(pct(submit, 50))], ['kickoff submission ack, p99', ms(pct(submit, 99))]);

    // 3. Delivery throughput: the 200 kickoffs above left ~600 outbox items (announcement, DM, confirmation each).
    await h.restart();
    const pending = (await h.app.stores.outbox.counts()).pending;
    const t = await time(() => h.settle(120_000));
    rows.push([`outbox: ${pending} deliveries drained`, `${(t / 1000).toFixed(2)} s (${((pending / t) * 1000).toFixed(0)} items/s, concurrency 4)`]);

    const mem = process.memoryUsage();
    rows.push(['process RSS after the run (app + emulator + bench)', `${(mem.rss / 1048576).toFixed(0)} MiB`]);
  } finally {
    await h.close();
  }
  const print = (title: string, table: [string, string][]) => {
    const width = Math.max(...table.map((r) => r[0].length));
    console.log(`${title}\n`);
    for (const [k, v] of table) console.log(`${k.padEnd(width)}  ${v}`);
  };
  print('coachline benchmark (loopback, emulator in-process)', rows);

  // 4. At scale: 1,000 engagements and 1,000,000 impediments (test/bench/scale.ts).
  console.log('');
  print('coachline at scale: 1,000 engagements, 1,000,000 impediments (end to end: signed request → answer)', await scaleBench());
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
