/**
 * `npm start` with no Slack variables, in a fresh folder, reaches the sandbox (the real
 * main.ts as a child process); with NODE_ENV=production the sandbox never starts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { freePort, killAllChildren, runToExit, spawnApp } from '../support/childApp';
import { tempDir } from '../support/tempDb';

const dirs: { cleanup: () => void }[] = [];
const fresh = () => {
  const t = tempDir('coachline-start-');
  dirs.push(t);
  return t.dir;
};

afterAll(async () => {
  await killAllChildren();
  for (const d of dirs) d.cleanup();
});

async function untilStdout(child: ReturnType<typeof spawnApp>, re: RegExp): Promise<RegExpMatchArray> {
  for (;;) {
    const m = re.exec(child.stdout());
    if (m) return m;
    if (child.exitInfo()) throw new Error(`exited early: ${child.stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('npm start without Slack credentials', () => {
  it('prints one line with the sandbox address (honouring PORT), serves it on 127.0.0.1, keeps state in ./data, exits 0 on SIGTERM', async () => {
    const cwd = fresh();
    const port = await freePort();
    const child = spawnApp({ cwd, env: { PORT: String(port) } });
    const [line, url] = await untilStdout(child, /coachline sandbox: open (\S+)\n/);
    expect(line).toBe(`coachline sandbox: open http://127.0.0.1:${port}/sandbox\n`);
    const page = await fetch(url!);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(fs.existsSync(path.join(cwd, 'data', 'sandbox.sqlite'))).toBe(true);
    expect(await child.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(child.stdout().trim().split('\n')).toEqual([line!.trim()]);
    expect(fs.existsSync(path.join(cwd, 'data', 'sandbox-workspace.json'))).toBe(true);
    expect(fs.existsSync(path.join(cwd, 'data', 'coachline.sqlite'))).toBe(false);
  });

  it('with NODE_ENV=production and no credentials: the configuration error, exit 1, nothing served', async () => {
    const cwd = fresh();
    const res = await runToExit({ cwd, env: { NODE_ENV: 'production', PORT: String(await freePort()) } });
    expect({ code: res.code, signal: res.signal }).toEqual({ code: 1, signal: null });
    expect(res.stderr).toMatch(/SLACK_BOT_TOKEN is missing/);
    expect(res.stdout).not.toMatch(/sandbox/);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it('with NODE_ENV=production, --sandbox is refused', async () => {
    const cwd = fresh();
    const child = spawnApp({ cwd, env: { NODE_ENV: 'production' }, args: ['--sandbox'] });
    const exit = await child.exited;
    expect(exit).toEqual({ code: 1, signal: null });
    expect(child.stderr()).toMatch(/sandbox never runs with NODE_ENV=production/);
  });
});
