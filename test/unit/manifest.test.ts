/**
 * manifests/manifest.json is what a workspace admin pastes into Slack: it must be valid against
 * Slack's published manifest schema and must declare exactly what the code serves — the same
 * commands, the scopes README explains, interactivity for the modal, Socket Mode on, and the
 * documented placeholder request URLs.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import type { App } from '@slack/bolt';
import { registerListeners } from '../../src/slack/listeners';
import type { ListenerDeps } from '../../src/slack/listeners/deps';

const ROOT = path.join(__dirname, '../..');
const MANIFEST_FILE = path.join(ROOT, 'manifests/manifest.json');
const SCHEMA_FILE = path.join(__dirname, '../../../shared/slack/manifest.schema.1.0.0.json');
const README_FILE = path.join(ROOT, 'README.md');

interface SlashCommand {
  command: string;
  url?: string;
  description: string;
  usage_hint?: string;
  should_escape?: boolean;
}
interface Manifest {
  _metadata?: { major_version?: number };
  features?: {
    bot_user?: { display_name: string };
    slash_commands?: SlashCommand[];
    shortcuts?: { callback_id: string; type: string }[];
    app_home?: Record<string, unknown>;
  };
  oauth_config?: { scopes?: { bot?: string[]; user?: string[] } };
  settings?: {
    interactivity?: { is_enabled?: boolean; request_url?: string };
    event_subscriptions?: { request_url?: string; bot_events?: string[] };
    socket_mode_enabled?: boolean;
  };
}

const manifest = JSON.parse(fs.readFileSync(MANIFEST_FILE, 'utf8')) as Manifest;
const readme = fs.readFileSync(README_FILE, 'utf8');

interface Registration {
  method: string;
  /** The command name, callback_id, action_id or event type (a RegExp as its source text). */
  id: string;
  /** For constraint objects: their `type` (e.g. `message_action` for a message shortcut). */
  type?: string;
}

/** Every `app.<method>(first argument)` registerListeners makes, recorded by a stand-in App. */
function registrations(): Registration[] {
  const calls: Registration[] = [];
  const recorder = new Proxy(
    {},
    {
      get: (_t, method) => (first: unknown) => {
        if (first !== null && typeof first === 'object' && !(first instanceof RegExp)) {
          const c = first as { callback_id?: unknown; action_id?: unknown; type?: unknown };
          calls.push({ method: String(method), id: String(c.callback_id ?? c.action_id), type: typeof c.type === 'string' ? c.type : undefined });
        } else {
          calls.push({ method: String(method), id: String(first) });
        }
      },
    },
  ) as unknown as App;
  registerListeners(recorder, {} as ListenerDeps);
  return calls;
}

/** All `.ts` files under src/, as text. */
function sourceTexts(dir = path.join(ROOT, 'src')): { file: string; text: string }[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sourceTexts(p);
    return d.name.endsWith('.ts') ? [{ file: path.relative(ROOT, p), text: fs.readFileSync(p, 'utf8') }] : [];
  });
}

/** The scopes named in README's "Scopes and why" table (first column, every `scope` in backticks). */
function readmeScopes(): string[] {
  const start = readme.indexOf('### Scopes and why');
  expect(start).toBeGreaterThanOrEqual(0);
  const rest = readme.slice(start + 1);
  const end = rest.search(/\n#{1,3} /);
  const section = end === -1 ? rest : rest.slice(0, end);
  const rows = section.split('\n').filter((l) => /^\|\s*`/.test(l));
  return rows.flatMap((row) => {
    const firstCell = row.split('|')[1] ?? '';
    return [...firstCell.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
  });
}

describe('manifests/manifest.json', () => {
  it('is valid against Slack’s manifest schema 1.0.0 (shared/slack/)', () => {
    if (!fs.existsSync(SCHEMA_FILE)) {
      throw new Error(
        `Slack's manifest schema is missing at ${SCHEMA_FILE}. CI clones main with shared/ beside it; ` +
          'check out the shared repository next to this one (../shared/slack/manifest.schema.1.0.0.json).',
      );
    }
    const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addFormat('uri', (s: string) => URL.canParse(s));
    const validate = ajv.compile(schema);
    const ok = validate(manifest);
    // Show every problem, with its path, when it fails.
    expect(ok ? [] : validate.errors?.map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`)).toEqual([]);
  });

  it('the schema check itself catches a broken manifest (so the test above can fail)', () => {
    if (!fs.existsSync(SCHEMA_FILE)) throw new Error(`Slack's manifest schema is missing at ${SCHEMA_FILE}`);
    const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
    const validate = new Ajv({ strict: false }).addFormat('uri', (s: string) => URL.canParse(s)).compile(schema);
    const broken = JSON.parse(JSON.stringify(manifest)) as Record<string, any>;
    broken.features.slash_commands[0].command = 'kickoff-without-a-slash-and-far-too-long-to-be-a-command';
    broken.settings.not_a_setting = true;
    expect(validate(broken)).toBe(false);
  });

  it('declares a major version 1 manifest with a bot user', () => {
    expect(manifest._metadata?.major_version).toBe(1);
    expect(manifest.features?.bot_user?.display_name).toBeTruthy();
  });

  it('declares exactly the slash commands the app registers', () => {
    const registered = registrations()
      .filter((r) => r.method === 'command')
      .map((r) => r.id)
      .sort();
    const declared = (manifest.features?.slash_commands ?? []).map((c) => c.command).sort();
    expect(registered.length).toBeGreaterThan(0);
    expect(declared).toEqual(registered);

    // Nothing in src/ registers a command outside registerListeners (grep for app.command('/…')).
    const grepped = sourceTexts()
      .flatMap(({ text }) => [...text.matchAll(/\.command\(\s*['"`](\/[^'"`]+)['"`]/g)].map((m) => m[1] as string))
      .sort();
    expect([...new Set(grepped)]).toEqual(registered);
  });

  it('declares the shortcuts and events the app listens to, and interactivity when it has modals or buttons', () => {
    const regs = registrations();
    const shortcuts = regs.filter((r) => r.method === 'shortcut');
    const declaredShortcuts = manifest.features?.shortcuts ?? [];
    expect(declaredShortcuts.map((s) => s.callback_id).sort()).toEqual(shortcuts.map((r) => r.id).sort());
    // Bolt's constraint types → the manifest's: message_action ↔ message, shortcut ↔ global.
    const MANIFEST_TYPE: Record<string, string> = { message_action: 'message', shortcut: 'global' };
    for (const r of shortcuts.filter((x) => x.type !== undefined)) {
      expect({ id: r.id, type: declaredShortcuts.find((s) => s.callback_id === r.id)?.type }).toEqual({ id: r.id, type: MANIFEST_TYPE[r.type as string] });
    }
    const events = regs.filter((r) => r.method === 'event').map((r) => r.id).sort();
    expect([...(manifest.settings?.event_subscriptions?.bot_events ?? [])].sort()).toEqual(events);
    const interactive = regs.some((r) => ['view', 'action', 'shortcut', 'options'].includes(r.method));
    expect(interactive).toBe(true); // the kickoff modal
    expect(manifest.settings?.interactivity?.is_enabled).toBe(true);
  });

  it('lists every scope README explains, and README explains every scope it lists', () => {
    const documented = readmeScopes();
    expect(documented).toContain('commands');
    expect(documented.length).toBeGreaterThanOrEqual(5);
    const declared = manifest.oauth_config?.scopes?.bot ?? [];
    expect([...new Set(declared)].sort()).toEqual([...new Set(documented)].sort());
    expect(declared).toHaveLength(new Set(declared).size); // no duplicates
    expect(manifest.oauth_config?.scopes?.user ?? []).toEqual([]);
  });

  it('declares a bot scope for every Web API method src/ calls', () => {
    // Slack's documented bot-token scopes per method (all listed ones are needed where several are:
    // announcements go to public and private channels and DMs). A new method must be added here.
    const NEEDS: Record<string, string[]> = {
      'chat.postMessage': ['chat:write'],
      'chat.update': ['chat:write'],
      'chat.getPermalink': [],
      'conversations.join': ['channels:join'],
      'conversations.create': ['channels:manage'],
      'conversations.invite': ['channels:manage'],
      'conversations.open': ['im:write'],
      'conversations.history': ['channels:history', 'groups:history', 'im:history'],
      'conversations.replies': ['channels:history', 'groups:history', 'im:history'],
      'conversations.list': ['channels:read'],
      // Team pulses ask the engagement channel's members; coachline creates that channel public.
      'conversations.members': ['channels:read'],
      'chat.postEphemeral': ['chat:write'],
      'pins.add': ['pins:write'],
      'users.info': ['users:read'],
      'views.open': [],
      'views.publish': [],
      'auth.test': [],
      'files.uploadV2': ['files:write'],
    };
    const methods = new Set(
      sourceTexts().flatMap(({ text }) => [
        ...[...text.matchAll(/\bclient\s*\.([a-z]+)\s*\.([a-zA-Z]+)\(/g)].map((m) => `${m[1]}.${m[2]}`),
        ...(/\bclient\.filesUploadV2\(/.test(text) ? ['files.uploadV2'] : []),
      ]),
    );
    expect(methods.size).toBeGreaterThan(0);
    const declared = new Set(manifest.oauth_config?.scopes?.bot ?? []);
    const unknown = [...methods].filter((m) => !(m in NEEDS));
    expect(unknown).toEqual([]);
    const missing = [...methods].flatMap((m) => (NEEDS[m] ?? []).filter((s) => !declared.has(s)).map((s) => `${m} needs ${s}`));
    expect(missing).toEqual([]);
    expect(declared.has('commands')).toBe(true);
  });

  it('has Socket Mode on and interactivity enabled', () => {
    expect(manifest.settings?.socket_mode_enabled).toBe(true);
    expect(manifest.settings?.interactivity?.is_enabled).toBe(true);
  });

  it('uses the placeholder request URL README tells the admin to replace, on Bolt’s /slack/events path', () => {
    const m = /placeholder URLs? `([^`]+)`/.exec(readme);
    expect(m).not.toBeNull();
    const placeholder = (m as RegExpExecArray)[1] as string;
    expect(placeholder).toBe('https://coachline.example.com/slack/events');
    const commandUrls = (manifest.features?.slash_commands ?? []).map((c) => c.url);
    expect(commandUrls.length).toBeGreaterThan(0);
    for (const url of commandUrls) expect(url).toBe(placeholder);
    expect(manifest.settings?.interactivity?.request_url).toBe(placeholder);
    if (manifest.settings?.event_subscriptions) expect(manifest.settings.event_subscriptions.request_url).toBe(placeholder);
    // The HTTP receiver serves exactly that path.
    const appTs = fs.readFileSync(path.join(ROOT, 'src/slack/app.ts'), 'utf8');
    expect(appTs).toMatch(new RegExp(`endpoints:\\s*['"]${new URL(placeholder).pathname}['"]`));
  });
});
