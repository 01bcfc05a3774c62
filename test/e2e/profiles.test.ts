/**
 * Coach profiles through the real app: `/kickoff profile` opens the form with what is saved,
 * saving it says so; announcements introduce each coach with level and strengths; an
 * organisation-level kickoff coached only by associates asks for the sponsor's agreement first;
 * an open coaching request shows the coaches to whoever starts an engagement.
 */
import { ACTION, BLOCK, CALLBACK } from '../../src/slack/ids';
import { checkboxes, radio, viewSubmission } from '../../src/sandbox/payloads';
import { startHarness, waitFor, type Harness } from '../support/harness';
import { TEAM } from '../support/impedimentFlow';
import { kickoffForm, kickoffSubmission } from '../support/kickoffForm';

async function openProfile(h: Harness, user: string) {
  const before = h.emu.callsTo('views.open').length;
  await h.command({ command: '/kickoff', text: 'profile', user_id: user, channel_id: h.emu.addChannel({ name: `p-${before}` }) });
  await waitFor(() => h.emu.callsTo('views.open').length > before, 'the profile form');
  return (h.emu.callsTo('views.open')[before]!.response as { view: { id: string; hash: string; blocks: unknown[] } }).view;
}

async function saveProfile(h: Harness, user: string, level: string | null, strengths: string[]) {
  const view = await openProfile(h, user);
  const state = { [BLOCK.profileLevel]: { [ACTION.value]: radio(level) }, [BLOCK.profileStrengths]: { [ACTION.value]: checkboxes(strengths) } };
  return await h.interact(viewSubmission({ user: { id: user }, view: { id: view.id, hash: view.hash, callback_id: CALLBACK.profile, private_metadata: '', state_values: state } }));
}

describe('coach profiles', () => {
  jest.setTimeout(60_000);
  let h: Harness;
  let general: string;
  beforeEach(async () => {
    h = await startHarness({ env: { ADMIN_USER_IDS: 'UADMIN' } });
    general = h.emu.addChannel({ name: 'general' });
  });
  afterEach(async () => {
    await h.close();
  });

  it('saves your own profile, shows it when you open the form again, and introduces you on announcements', async () => {
    const missing = await saveProfile(h, 'UCOACH1', null, []);
    expect(missing.body).toContain(BLOCK.profileLevel);
    const saved = await saveProfile(h, 'UCOACH1', 'senior', ['coaching', 'facilitation', 'bogus']);
    expect(saved.json()).toMatchObject({ response_action: 'update' });
    expect(saved.body).toContain('Senior Agile Coach · coaching, facilitation');
    const again = await openProfile(h, 'UCOACH1');
    expect(JSON.stringify(again.blocks)).toContain('"initial_option"');

    const before = h.emu.callsTo('views.open').length;
    await h.command({ command: '/kickoff', user_id: 'USPONSOR', channel_id: general });
    await waitFor(() => h.emu.callsTo('views.open').length > before, 'the kickoff form');
    const meta = String((h.emu.callsTo('views.open')[before]!.args.view as { private_metadata: string }).private_metadata);
    const res = await h.interact(kickoffSubmission(kickoffForm({ key: 'payments', coaches: ['UCOACH1', 'UCOACH2'], channels: [general] }), { user: 'USPONSOR', privateMetadata: meta }));
    expect(res.body).toBe('');
    await h.settle();
    const announcement = h.emu.messages(general).find((m) => m.text.startsWith('Coaching engagement:'));
    const text = JSON.stringify(announcement?.blocks);
    expect(text).toContain('Meet your coaches');
    expect(text).toContain('<@UCOACH1> — Senior Agile Coach · coaching, facilitation');
    expect(text).not.toContain('<@UCOACH2> —');
  });

  it('an organisation-level kickoff with associate coaches only asks for the sponsor’s agreement first', async () => {
    await saveProfile(h, 'UCOACH1', 'associate', ['teaching']);
    const kickoff = async (confirm: boolean) => {
      const before = h.emu.callsTo('views.open').length;
      await h.command({ command: '/kickoff', user_id: 'USPONSOR', channel_id: general });
      await waitFor(() => h.emu.callsTo('views.open').length > before, 'the kickoff form');
      const meta = String((h.emu.callsTo('views.open')[before]!.args.view as { private_metadata: string }).private_metadata);
      return await h.interact(kickoffSubmission(kickoffForm({ key: 'org-wide', level: 'organization', coaches: ['UCOACH1'], channels: [general], confirmAssociates: confirm }), { user: 'USPONSOR', privateMetadata: meta }));
    };
    const refused = await kickoff(false);
    expect(refused.body).toContain(BLOCK.kickoffConfirmAssociates);
    expect(refused.body).toContain('Associate Agile Coach');
    expect(await h.app.stores.engagements.getByKey(TEAM, 'org-wide')).toBeNull();
    expect((await kickoff(true)).body).toBe('');
    expect(await h.app.stores.engagements.getByKey(TEAM, 'org-wide')).not.toBeNull();
  });

  it('an open coaching request shows the coaches with their profiles', async () => {
    await saveProfile(h, 'UCOACH1', 'staff', ['practices']);
    const before = h.emu.callsTo('views.open').length;
    await h.command({ command: '/kickoff', text: 'request', user_id: 'UREQ', channel_id: general });
    await waitFor(() => h.emu.callsTo('views.open').length > before, 'the request form');
    const view = (h.emu.callsTo('views.open')[before]!.response as { view: { id: string; hash: string } }).view;
    const state = {
      [BLOCK.reqTeam]: { [ACTION.value]: { type: 'plain_text_input', value: 'Checkout' } },
      [BLOCK.reqPainPoints]: { [ACTION.value]: { type: 'plain_text_input', value: 'Flaky deploys' } },
      [BLOCK.reqUrgency]: { [ACTION.value]: radio('medium') },
    };
    expect((await h.interact(viewSubmission({ user: { id: 'UREQ' }, view: { id: view.id, hash: view.hash, callback_id: CALLBACK.coachingRequest, private_metadata: '', state_values: state } }))).body).toBe('');
    await h.settle();
    const post = h.emu.messages('UADMIN').find((m) => m.text.startsWith('Coaching request from'));
    expect(JSON.stringify(post?.blocks)).toContain('<@UCOACH1> — Staff Agile Coach · agile and lean practices');
  });
});
