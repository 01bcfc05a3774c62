/**
 * The sandbox story through the page only, in real headless Chromium: typing, clicking and
 * the keyboard, as a person would. Screenshots go to test/artifacts/ (git-ignored).
 * Without a Chromium on this machine these tests say so and are skipped.
 */
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox';
import { chromiumPath, focusInDialog, focusedText, launchChromium, screenshot, seriousViolations, type Page } from '../support/browser';
import { tempDir } from '../support/tempDb';

const chromium = chromiumPath();
if (!chromium) {
  process.stderr.write('Browser tests skipped: no Chromium found. Install it with `apt-get install -y chromium` (or set CHROMIUM_PATH).\n');
}
const describeInBrowser = chromium ? describe : describe.skip;

jest.setTimeout(60_000);

describeInBrowser('the sandbox page in Chromium', () => {
  const tmp = tempDir('coachline-browser-');
  let sb: Sandbox;
  let page: Page;
  let close: () => Promise<void>;
  const errors: string[] = [];

  beforeAll(async () => {
    sb = await startSandbox({ port: 0, dataDir: tmp.dir, reset: true, env: {}, logSink: () => undefined });
    const launched = await launchChromium();
    page = launched.page;
    close = launched.close;
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(sb.url);
    await page.getByLabel('Acting as').waitFor();
  });

  afterAll(async () => {
    await close?.();
    await sb?.stop();
    tmp.cleanup();
  });

  afterEach(() => {
    expect(errors).toEqual([]);
  });

  const actAs = async (name: string) => {
    const picker = page.getByLabel('Acting as');
    const value = await picker.locator('option', { hasText: name }).first().getAttribute('value');
    await picker.selectOption(value!);
  };
  const nav = (name: string | RegExp) => page.getByRole('navigation').getByRole('button', { name });
  const open = async (name: string | RegExp) => {
    await nav(name).first().click();
  };
  /** Opens a public channel, joining it first when the person is not in it yet (as Slack offers). */
  const enter = async (channel: string) => {
    await open(channel);
    const join = page.getByRole('button', { name: `Join #${channel}` });
    await Promise.race([join.waitFor(), composer().waitFor()]);
    if (await join.isVisible()) await join.click();
    await composer().waitFor();
  };
  const composer = () => page.getByRole('textbox', { name: /^Message/ });
  const type = async (text: string) => {
    await composer().fill(text);
    await composer().press('Enter');
  };
  const dialog = () => page.getByRole('dialog');
  const messages = () => page.locator('[data-ts]');
  const messageWith = (text: string | RegExp) => messages().filter({ hasText: text });

  it('kicks off an engagement through the modal, with an inline error first', async () => {
    await actAs('Priya Shah');
    await open('general');
    await type('/kickoff');
    await dialog().waitFor();
    await dialog().getByText('Kick off an engagement').first().waitFor();
    // Focus moved into the modal.
    expect(await focusInDialog(page)).toBe(true);

    // Nothing filled in: the form answers inline and stays open.
    await dialog().getByRole('button', { name: 'Announce' }).click();
    await dialog().locator('.field-error:not([hidden])').first().waitFor();
    await screenshot(page, 'sandbox-kickoff');

    await dialog().getByLabel(/Engagement name/).fill('Checkout team');
    await dialog().getByLabel(/Short key/).fill('checkout');
    await dialog().getByRole('radio', { name: /Requested by the team/ }).check();
    await dialog().getByLabel(/Who asked for coaching/).selectOption({ label: 'Lee Chen' });
    await dialog().getByLabel(/^Coaches/).selectOption([{ label: 'Marco Rossi' }]);
    await dialog().getByLabel(/^Sponsor/).selectOption({ label: 'Priya Shah' });
    await dialog().getByLabel(/Pain points/).fill('The build takes two hours\nReleases need a week of manual testing');
    await dialog().getByLabel(/What success looks like/).fill('Build time: 120 -> 15 minutes');
    await dialog().getByLabel(/Level 1 name/).fill('Team');
    await dialog().getByLabel(/Level 1 contacts/).selectOption([{ label: 'Marco Rossi' }]);
    await dialog().getByLabel(/Level 1 response time/).fill('1 hour');
    await dialog().getByLabel(/Level 2 name/).fill('Program');
    await dialog().getByLabel(/Level 2 contacts/).selectOption([{ label: 'Sam Okafor' }]);
    await dialog().getByLabel(/Level 2 response time/).fill('1 day');
    await dialog().getByLabel(/Level 3 name/).fill('Executive');
    await dialog().getByLabel(/Level 3 contacts/).selectOption([{ label: 'Elena Petrova' }]);
    await dialog().getByLabel(/Level 3 response time/).fill('2 days');
    await dialog().getByLabel(/Announce in/).selectOption([{ label: '#engineering' }, { label: '#product' }, { label: '#leadership (private)' }]);
    await dialog().locator('[data-block-id="kickoff_create_channel"]').getByRole('checkbox').check();
    await dialog().getByLabel(/Engagement channel name/).fill('coach-checkout');
    await dialog().getByRole('button', { name: 'Announce' }).click();
    await dialog().waitFor({ state: 'detached' });

    // The sponsor's confirmation arrives in her DM with the app.
    await open(/coachline/);
    await messageWith(/announced in/).first().waitFor();
    await messageWith(/Invite me/).first().waitFor();
  });

  it('shows the announcement in #engineering and the DMs the coach and contacts got', async () => {
    await actAs('Lee Chen');
    await open('engineering');
    await messageWith('Checkout team').first().waitFor();
    await actAs('Marco Rossi');
    await open(/coachline/);
    await messageWith(/named as a coach/).first().waitFor();
    await actAs('Sam Okafor');
    await open(/coachline/);
    await messageWith(/escalation contact/).first().waitFor();
  });

  it('a team member raises an impediment; the coach presses its buttons and sees the card change in place', async () => {
    await actAs('Lee Chen');
    await enter('coach-checkout');
    await messages().filter({ hasText: 'Checkout team' }).first().waitFor();
    await type('/impediment The build takes two hours');
    const card = messageWith('IMP-1').filter({ hasText: 'The build takes two hours' }).filter({ has: page.getByRole('button', { name: 'Acknowledge' }) });
    await card.first().waitFor();
    for (const name of ['Acknowledge', 'Take ownership', /Escalate/, /Resolve/]) {
      await expect(card.first().getByRole('button', { name }).count()).resolves.toBeGreaterThan(0);
    }
    await page.getByText(/Only visible to you/).first().waitFor();

    await actAs('Marco Rossi');
    await open('coach-checkout');
    await card.first().getByRole('button', { name: 'Acknowledge' }).click();
    await card.first().filter({ hasText: /Acknowledged/ }).waitFor();
    await card.first().filter({ hasText: /edited/ }).waitFor();
    await screenshot(page, 'sandbox-card');

    // Escalate… asks for a reason in a modal; Escape cancels it and focus comes back.
    await card.first().getByRole('button', { name: /Escalate/ }).click();
    await dialog().waitFor();
    expect(await focusInDialog(page)).toBe(true);
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    expect(await focusedText(page)).toMatch(/Escalate/);
  });

  it('turns a message into an impediment with the "Raise as impediment" shortcut from its menu', async () => {
    await actAs('Lee Chen');
    await enter('coach-checkout');
    await type('Our staging database is reset every night and we lose test data');
    const message = messageWith('Our staging database is reset every night').filter({ hasNotText: 'IMP-' });
    await message.first().waitFor();
    await message.first().hover();
    await message.first().getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Raise as impediment' }).click();
    await dialog().waitFor();
    await expect(dialog().getByLabel(/What is blocking you/).inputValue()).resolves.toContain('Our staging database is reset every night');
    await dialog().getByRole('button', { name: 'Raise' }).click();
    await messageWith(/IMP-\d+/).filter({ hasText: 'Our staging database is reset every night' }).first().waitFor();
  });

  it('an anonymous raise through the form names nobody', async () => {
    await actAs('Jordan Blake');
    await enter('coach-checkout');
    await type('/impediment');
    await dialog().waitFor();
    await dialog().getByLabel(/What is blocking you/).fill('People fear blame for slipped dates');
    await dialog().getByRole('checkbox', { name: /Report anonymously/ }).check();
    await dialog().getByRole('button', { name: 'Raise' }).click();
    // The form shows the follow-up code once (response_action update), then closes.
    await dialog().getByText(/code/i).first().waitFor();
    await dialog().getByRole('button', { name: /Close|Done|Cancel/ }).first().click();
    await dialog().waitFor({ state: 'detached' });

    await actAs('Marco Rossi');
    await open('coach-checkout');
    const card = messageWith('People fear blame');
    await card.first().waitFor();
    const text = await card.first().innerText();
    expect(text).not.toMatch(/Jordan/);
    expect(text).toMatch(/anonymous/i);
  });

  it('Advance time escalates an unanswered impediment to level 2 and sends the Monday digest', async () => {
    await actAs('Lee Chen');
    await open('coach-checkout');
    await type('/impediment Nobody reviews our pull requests');
    const card = messageWith('Nobody reviews our pull requests').filter({ has: page.getByRole('button', { name: 'Acknowledge' }) });
    await card.first().waitFor();
    const timePanel = page.getByRole('group', { name: 'Advance time' });
    await timePanel.getByRole('button', { name: /business hour/ }).click();
    await timePanel.getByRole('button', { name: /business hour/ }).click();
    await card.first().filter({ hasText: /level 2|2 · Program/ }).waitFor();
    await actAs('Sam Okafor');
    await open(/coachline/);
    await messageWith(/Nobody reviews our pull requests/).first().waitFor();

    await page.getByRole('group', { name: 'Advance time' }).getByRole('button', { name: /Monday/ }).click();
    await actAs('Priya Shah');
    await open(/coachline/);
    await messageWith(/digest|week/i).first().waitFor();
  });

  it('App Home, /status, /status KEY, a check-in and an export that can be downloaded', async () => {
    await actAs('Marco Rossi');
    await open('Home');
    await page.getByRole('main').getByText('Checkout team').first().waitFor();
    await screenshot(page, 'sandbox-home');

    await open('general');
    await type('/status');
    await messageWith(/Only visible to you/).filter({ hasText: /checkout/i }).first().waitFor();
    await type('/status checkout');
    await messageWith(/Pain points/).filter({ hasText: /Only visible to you/ }).first().waitFor();

    await open('coach-checkout');
    await type('/status update');
    await dialog().waitFor();
    await dialog().getByRole('radio', { name: /Amber/i }).check();
    await dialog().getByLabel(/^Summary/).fill('Build times are the blocker');
    await dialog().getByRole('button', { name: /Post|Submit|Check in/ }).click();
    await dialog().waitFor({ state: 'detached' });
    // The check-in is posted in the announcement's thread.
    const announcement = messages().filter({ hasText: 'Coaching engagement' }).first();
    await announcement.getByRole('button', { name: /repl/ }).first().click();
    await page.getByText('Build times are the blocker').first().waitFor();

    await type('/status export checkout');
    await open(/coachline/);
    const link = page.getByRole('link', { name: /\.csv/ }).first();
    await link.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
  });

  it('has no serious or critical accessibility violations on the main screens', async () => {
    await actAs('Priya Shah');
    await open('coach-checkout');
    await messages().first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await open('Home');
    await page.getByRole('main').getByText(/dashboard/i).first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await open('general');
    await type('/kickoff');
    await dialog().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
  });
});
