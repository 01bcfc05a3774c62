/**
 * The sandbox end to end through its page API: the real app in HTTP mode, the emulator
 * playing Slack, the whole story of issue 7 (kickoff, impediments, anonymous raise, time
 * travel until an escalation and a digest, Home, status, check-in, export), a restart that
 * keeps everything and a reset that forgets it. The browser tests drive the same story
 * through the page itself.
 */
import { BLOCK, ACTION } from '../../src/slack/ids';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox';
import { plainText, radio, checkboxes, staticSelect } from '../../src/sandbox/payloads';
import { kickoffForm, kickoffState } from '../support/kickoffForm';
import { checkinState } from '../support/statusFlow';
import { SandboxClient, type SandboxItem } from '../support/sandboxClient';
import { tempDir } from '../support/tempDb';

const PRIYA = 'U01PRIYA';
const MARCO = 'U01MARCO';
const SAM = 'U01SAM';
const ELENA = 'U01ELENA';
const LEE = 'U01LEE';
const JORDAN = 'U01JORDAN';
const GENERAL = 'C01GENERAL';
const ENGINEERING = 'C01ENGINEER';
const PRODUCT = 'C01PRODUCT';
const LEADERSHIP = 'C01LEADS';

const text = (i: SandboxItem) => JSON.stringify([i.text, i.blocks ?? []]);

describe('sandbox: the whole story through the page API', () => {
  const tmp = tempDir('coachline-sandbox-');
  let sb: Sandbox;
  let api: SandboxClient;
  let engagementChannel = '';

  const start = async (reset = false) => {
    sb = await startSandbox({ port: 0, dataDir: tmp.dir, reset, env: {}, logSink: () => undefined });
    api = new SandboxClient(new URL(sb.url).origin);
  };

  beforeAll(() => start());
  afterAll(async () => {
    await sb.stop();
    tmp.cleanup();
  });

  it('serves the page, /healthz and a seeded workspace on 127.0.0.1', async () => {
    expect(new URL(sb.url).hostname).toBe('127.0.0.1');
    const page = await fetch(sb.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const health = await fetch(`${new URL(sb.url).origin}/healthz`);
    expect(health.status).toBe(200);
    const ws = await api.get('workspace');
    expect(ws.people.length).toBeGreaterThanOrEqual(8);
    expect(ws.channels.find((c: any) => c.id === LEADERSHIP)).toMatchObject({ isPrivate: true, botIsMember: false });
    expect(ws.commands.map((c: any) => c.command)).toEqual(expect.arrayContaining(['/kickoff', '/impediment', '/status']));
  });

  it('refuses bad requests with a clear answer', async () => {
    const res = await fetch(`${new URL(sb.url).origin}/sandbox/api/command`, { method: 'POST', body: '{"as":"nobody"}' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/Bad request/);
    await expect(api.command(PRIYA, GENERAL, '/nonsense')).rejects.toThrow(/not a command here/);
  });

  it('kicks off from #general: inline error first, then announcements, DMs, confirmation and a pinned engagement channel', async () => {
    await api.command(PRIYA, GENERAL, '/kickoff');
    const [modal] = await api.until(() => api.modals(PRIYA), (s) => s.length === 1, 'the kickoff modal');
    expect(modal!.callback_id).toBe('kickoff_modal');
    const form = kickoffForm({
      name: 'Checkout team',
      key: 'checkout',
      requester: LEE,
      coaches: [MARCO],
      sponsor: PRIYA,
      escalation: [
        { name: 'Team', contacts: [MARCO], response: '1' },
        { name: 'Program', contacts: [SAM], response: '1' },
        { name: 'Executive', contacts: [ELENA], response: '2' },
      ],
      channels: [ENGINEERING, PRODUCT, LEADERSHIP],
      createChannel: true,
      channelName: 'coach-checkout',
      startDate: sb.clock.now().toISOString().slice(0, 10),
      reviewDate: '2027-06-30',
    });
    const bad = await api.submit(PRIYA, modal!.id, kickoffState({ ...form, name: '' }));
    expect(bad.result).toBe('errors');
    expect(Object.keys(bad.errors)).toContain(BLOCK.kickoffName);
    expect((await api.modals(PRIYA))[0]!.errors[BLOCK.kickoffName]).toBeTruthy();

    expect((await api.submit(PRIYA, modal!.id, kickoffState(form))).result).toBe('closed');
    expect(await api.modals(PRIYA)).toEqual([]);
    for (const channel of [ENGINEERING, PRODUCT]) {
      await api.until(() => api.items(LEE, channel), (items) => items.some((i) => i.text.includes('Checkout team')), `announcement in ${channel}`);
    }
    await api.until(() => api.items(MARCO, `D${MARCO}`), (items) => items.some((i) => /coach/.test(text(i))), 'the coach DM');
    await api.until(() => api.items(SAM, `D${SAM}`), (items) => items.some((i) => /escalation contact/.test(text(i))), 'the contact DM');
    const confirmation = await api.until(
      () => api.items(PRIYA, `D${PRIYA}`),
      (items) => items.some((i) => /<#C01LEADS>.*Invite me/.test(text(i)) && /<#C01ENGINEER> — <http:\/\/127.0.0.1:\d+\/sandbox\/archives\/C01ENGINEER\/p\d+\|posted>/.test(text(i))),
      'the confirmation with links and the private channel to invite the bot to',
    );
    engagementChannel = (await api.until(() => api.channelId('coach-checkout'), (id) => !!id, 'the engagement channel'))!;
    const inChannel = await api.until(() => api.items(PRIYA, engagementChannel), (items) => items.some((i) => i.pinned), 'the pinned announcement');
    expect(inChannel.find((i) => i.pinned)!.text).toContain('Checkout team');

    // The confirmation's advice works: invite the bot to #leadership, then save the engagement again.
    expect((await api.items(PRIYA, LEADERSHIP)).some((i) => i.text.includes('Checkout team'))).toBe(false);
    await api.command(PRIYA, LEADERSHIP, '/invite @coachline');
    expect((await api.get('workspace')).channels.find((c: any) => c.id === LEADERSHIP).botIsMember).toBe(true);
    await api.command(PRIYA, GENERAL, '/kickoff edit checkout');
    const [edit] = await api.until(() => api.modals(PRIYA), (s) => s.length === 1, 'the edit modal');
    const saved = await api.submit(PRIYA, edit!.id, kickoffState(form));
    expect(saved.errors).toBeUndefined();
    expect(saved.result).toBe('closed');
    await api.until(() => api.items(ELENA, LEADERSHIP), (items) => items.some((i) => i.text.includes('Checkout team')), 'the announcement in #leadership');
  });

  it('a team member raises an impediment in the engagement channel; the coach presses its buttons', async () => {
    await api.command(LEE, engagementChannel, '/impediment The build takes two hours');
    const items = await api.until(() => api.items(MARCO, engagementChannel), (xs) => xs.some((i) => i.text.includes('The build takes two hours')), 'the card');
    const card = items.find((i) => i.text.includes('The build takes two hours'))!;
    const ids = card.blocks!.flatMap((b) => (b.type === 'actions' ? b.elements.map((e: any) => e.action_id) : []));
    expect(ids).toEqual(expect.arrayContaining([ACTION.impAcknowledge, ACTION.impTakeOwnership, ACTION.impEscalate, ACTION.impResolve]));
    expect((await api.items(LEE, engagementChannel)).some((i) => i.kind === 'ephemeral' && /IMP-1/.test(i.text))).toBe(true);

    await api.press(MARCO, engagementChannel, card, ACTION.impAcknowledge);
    const updated = await api.until(
      () => api.items(MARCO, engagementChannel),
      (xs) => xs.some((i) => i.ts === card.ts && /Acknowledged/.test(i.text) && i.replies.length > 0),
      'the card updated in place with a thread line',
    );
    expect(updated.find((i) => i.ts === card.ts)!.edited).toBe(true);

    await api.press(MARCO, engagementChannel, card, ACTION.impResolve);
    const [resolve] = await api.until(() => api.modals(MARCO), (s) => s.length === 1, 'the resolve modal');
    expect(resolve!.callback_id).toBe('impediment_resolve_modal');
    await api.post('close', { as: MARCO, viewId: resolve!.id });
    expect(await api.modals(MARCO)).toEqual([]);
  });

  it('an anonymous raise through the form names nobody, anywhere the others can look', async () => {
    await api.command(JORDAN, engagementChannel, '/impediment');
    const [form] = await api.until(() => api.modals(JORDAN), (s) => s.length === 1, 'the raise modal');
    const engagement = form!.blocks.find((b) => b.block_id === BLOCK.impEngagement);
    const engagementValue = engagement?.element?.initial_option?.value ?? engagement?.element?.options?.[0]?.value ?? null;
    const result = await api.submit(JORDAN, form!.id, {
      ...(engagement ? { [BLOCK.impEngagement]: { [ACTION.value]: staticSelect(engagementValue) } } : {}),
      [BLOCK.impDescription]: { [ACTION.value]: plainText('Managers punish people who report slips') },
      [BLOCK.impSeverity]: { [ACTION.value]: radio('high') },
      [BLOCK.impOrganisational]: { [ACTION.value]: checkboxes([]) },
      [BLOCK.impAnonymous]: { [ACTION.value]: checkboxes(['anonymous']) },
    });
    expect(['updated', 'closed']).toContain(result.result);
    const items = await api.until(() => api.items(MARCO, engagementChannel), (xs) => xs.some((i) => i.text.includes('Managers punish')), 'the anonymous card');
    const card = items.find((i) => i.text.includes('Managers punish'))!;
    expect(JSON.stringify(card)).not.toMatch(/U01JORDAN|Jordan|jordan/);
    for (const who of [MARCO, PRIYA, SAM, ELENA]) {
      expect(JSON.stringify(await api.items(who, `D${who}`))).not.toMatch(/U01JORDAN|Jordan Blake/);
    }
  });

  it('advancing time escalates an unanswered impediment to level 2, then the Monday digest arrives', async () => {
    await api.command(LEE, engagementChannel, '/impediment Nobody reviews our pull requests');
    await api.until(() => api.items(SAM, engagementChannel), (xs) => xs.some((i) => i.text.includes('Nobody reviews')), 'the card');
    const before = (await api.items(SAM, `D${SAM}`)).length;
    // Level 1 (Team) answers within one business day: a day and an hour later nobody has, so it climbs.
    await api.post('time', { step: 'day' });
    await api.post('time', { step: 'hour' });
    await api.until(
      () => api.items(SAM, `D${SAM}`),
      (xs) => xs.length > before && xs.some((i) => /Nobody reviews/.test(text(i))),
      'the level-2 escalation DM to the program contact',
    );
    await api.until(
      () => api.items(SAM, engagementChannel),
      (xs) => xs.some((i) => i.text.includes('Nobody reviews') && /level 2 · Program/.test(i.text)),
      'the card at level 2',
    );

    const now = await api.post('time', { step: 'monday' });
    const local = new Date(now.now as string);
    expect(local.getUTCDay()).toBe(1);
    expect(local.getUTCHours()).toBe(9);
    await api.until(() => api.items(PRIYA, `D${PRIYA}`), (xs) => xs.some((i) => /digest|week/i.test(text(i))), 'the weekly digest to the sponsor');
  });

  it('App Home, /status, /status KEY, a check-in and /status export with downloadable files', async () => {
    await api.post('home/open', { as: MARCO });
    const home = await api.until(() => api.get(`home?as=${MARCO}`), (h) => h.view !== null, 'the Home tab');
    expect(JSON.stringify(home.view.blocks)).toContain('Checkout team');

    await api.command(SAM, GENERAL, '/status');
    await api.until(() => api.items(SAM, GENERAL), (xs) => xs.some((i) => i.kind === 'ephemeral' && /checkout/i.test(text(i))), 'the portfolio');
    await api.command(SAM, GENERAL, '/status checkout');
    const status = await api.until(() => api.items(SAM, GENERAL), (xs) => xs.filter((i) => i.kind === 'ephemeral').length >= 2, 'the engagement status');
    const answer = status.filter((i) => i.kind === 'ephemeral').pop()!;
    await api.press(SAM, GENERAL, answer, ACTION.statusShare);
    await api.until(() => api.items(LEE, GENERAL), (xs) => xs.some((i) => i.kind === 'message' && /Shared by/.test(text(i))), 'the shared status');

    await api.command(MARCO, engagementChannel, '/status update');
    const [checkin] = await api.until(() => api.modals(MARCO), (s) => s.length === 1, 'the check-in modal');
    expect((await api.submit(MARCO, checkin!.id, checkinState({ health: 'amber', summary: 'Build times are the blocker' }))).result).toBe('closed');
    await api.until(() => api.items(PRIYA, engagementChannel), (xs) => JSON.stringify(xs).includes('Build times are the blocker'), 'the check-in post');

    await api.command(PRIYA, GENERAL, '/status export checkout');
    const dm = await api.until(() => api.items(PRIYA, `D${PRIYA}`), (xs) => xs.filter((i) => i.files).length >= 2, 'the export files');
    const files = dm.flatMap((i) => i.files ?? []);
    const csv = files.find((f) => f.name.endsWith('.csv'))!;
    const res = await fetch(`${api.base}${csv.url}`);
    expect(res.headers.get('content-disposition')).toMatch(/attachment/);
    const body = await res.text();
    expect(body).toContain('The build takes two hours');
    expect(body).not.toMatch(/U01JORDAN/);
  });

  it('keeps everything across a restart; --reset-sandbox starts clean', async () => {
    const clockBefore = sb.clock.now().getTime();
    await sb.stop();
    await start();
    expect(sb.clock.now().getTime()).toBeGreaterThanOrEqual(clockBefore);
    expect((await api.items(LEE, engagementChannel)).some((i) => i.text.includes('The build takes two hours'))).toBe(true);
    await api.command(LEE, engagementChannel, '/impediment After the restart');
    await api.until(() => api.items(LEE, engagementChannel), (xs) => xs.some((i) => i.text.includes('After the restart') && /IMP-4/.test(i.text)), 'a card numbered after the others');

    await sb.stop();
    await start(true);
    expect(await api.channelId('coach-checkout')).toBeUndefined();
    expect(sb.clock.offsetMs).toBe(0);
  });
});
