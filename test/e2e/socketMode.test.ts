import { startSocketHarness, waitFor } from '../support/harness';
import { kickoffForm, kickoffSubmission } from '../support/kickoffForm';
import { slashCommand } from '../../src/sandbox/payloads';

describe('Socket Mode end to end', () => {
  it('runs the whole kickoff over a WebSocket: command → modal → submission → announcement', async () => {
    const s = await startSocketHarness();
    try {
      const general = s.emu.addChannel({ name: 'general' });
      expect(s.emu.callsTo('apps.connections.open')).toHaveLength(1);
      const health = await fetch(`http://127.0.0.1:${s.port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', mode: 'socket' });

      const help = await s.socket.sendSlashCommand(slashCommand({ command: '/kickoff', text: 'help', channel_id: general }) as never);
      expect(JSON.stringify(help.payload)).toContain('close');

      await s.socket.sendSlashCommand(slashCommand({ command: '/kickoff', text: '', user_id: 'USPONSOR', channel_id: general }) as never);
      await waitFor(() => s.emu.callsTo('views.open').length === 1, 'views.open');
      const meta = String((s.emu.callsTo('views.open')[0].args.view as { private_metadata: string }).private_metadata);

      const ack = await s.socket.sendInteractive(kickoffSubmission(kickoffForm({ channels: [general] }), { user: 'USPONSOR', privateMetadata: meta }));
      expect(ack.payload ?? {}).not.toHaveProperty('response_action');
      await waitFor(() => s.emu.messages(general).length === 1 && s.emu.messages('USPONSOR').length === 1, 'announcement and confirmation');
      expect(JSON.stringify(s.emu.messages(general)[0].blocks)).toContain('Payments platform');

      // Invalid input comes back inline over the socket too.
      await s.socket.sendSlashCommand(slashCommand({ command: '/kickoff', text: '', user_id: 'USPONSOR', channel_id: general }) as never);
      await waitFor(() => s.emu.callsTo('views.open').length === 2, 'second views.open');
      const meta2 = String((s.emu.callsTo('views.open')[1].args.view as { private_metadata: string }).private_metadata);
      const bad = await s.socket.sendInteractive(kickoffSubmission(kickoffForm({ channels: [general], coaches: [] }), { user: 'USPONSOR', privateMetadata: meta2 }));
      expect(bad.payload).toMatchObject({ response_action: 'errors' });
    } finally {
      await s.close();
    }
  });
});
