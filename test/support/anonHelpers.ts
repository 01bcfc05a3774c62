/**
 * Helpers for the anonymity and escalation-schedule e2e tests: kick off an engagement through
 * the real modal, raise impediments through the raise modal, and scan every place a value
 * could end up (database file + WAL + SHM, every table and column, logs, emulator traffic).
 */
import fs from 'node:fs';
import type { SqliteHandle as Db } from '../../src/store/connection';
import { ANONYMOUS_OPTION, BLOCK, CALLBACK, ORGANISATIONAL_OPTION } from '../../src/slack/ids';
import type { Harness } from './harness';
import { waitFor } from './harness';
import { kickoffForm, kickoffSubmission, type KickoffForm } from './kickoffForm';
import { checkboxes, plainText, radio, staticSelect, viewSubmission } from '../../src/sandbox/payloads';

export const TEAM = 'T0001';

/** Everything a message carries, as JSON text (for "does it mention" checks). */
export const textOf = (m: { text?: unknown; blocks?: unknown }): string => JSON.stringify([m.text, m.blocks]);

/** `/kickoff` as `sponsor`, then submits the modal; waits until every delivery is done. */
export async function kickOff(h: Harness, form: Partial<KickoffForm> & { key: string }, opts: { sponsor?: string; channel: string }): Promise<{ id: number; key: string; engagementChannelId: string | null }> {
  const sponsor = opts.sponsor ?? 'USPONSOR';
  const before = h.emu.callsTo('views.open').length;
  const res = await h.command({ command: '/kickoff', text: '', user_id: sponsor, user_name: 'sponsor', channel_id: opts.channel });
  if (res.status !== 200) throw new Error(`/kickoff answered ${res.status}`);
  await waitFor(() => h.emu.callsTo('views.open').length > before, 'views.open for /kickoff');
  const view = h.emu.callsTo('views.open')[before].args.view as { private_metadata: string };
  const submitted = await h.interact(kickoffSubmission(kickoffForm(form), { user: sponsor, privateMetadata: view.private_metadata }));
  if (submitted.body !== '') throw new Error(`kickoff refused: ${submitted.body}`);
  await h.settle();
  const e = await h.app.stores.engagements.getByKey(TEAM, form.key);
  if (!e) throw new Error(`no engagement ${form.key}`);
  return { id: e.id, key: e.key, engagementChannelId: e.engagementChannelId };
}

export interface Person {
  id: string;
  name: string;
}

/** `/impediment` (no text) as `who` in `channel`: the raise modal's private_metadata and view. */
export async function openRaiseModal(h: Harness, who: Person, channel: string): Promise<{ meta: string; view: Record<string, unknown> }> {
  const before = h.emu.callsTo('views.open').length;
  const res = await h.command({ command: '/impediment', text: '', user_id: who.id, user_name: who.name, channel_id: channel });
  if (res.status !== 200) throw new Error(`/impediment answered ${res.status}`);
  await waitFor(() => h.emu.callsTo('views.open').length > before, 'views.open for /impediment');
  const view = h.emu.callsTo('views.open')[before].args.view as Record<string, unknown>;
  return { meta: String(view.private_metadata), view };
}

export interface RaiseForm {
  engagementId: number | null;
  description: string;
  severity: string;
  organisational?: boolean;
  anonymous: boolean;
}

export function raiseSubmission(who: Person, meta: string, f: RaiseForm): Record<string, unknown> {
  return viewSubmission({
    user: { id: who.id, name: who.name },
    view: {
      callback_id: CALLBACK.raiseImpediment,
      private_metadata: meta,
      state_values: {
        [BLOCK.impEngagement]: { value: staticSelect(f.engagementId === null ? null : String(f.engagementId)) },
        [BLOCK.impDescription]: { value: plainText(f.description) },
        [BLOCK.impSeverity]: { value: radio(f.severity) },
        [BLOCK.impOrganisational]: { value: checkboxes(f.organisational ? [ORGANISATIONAL_OPTION] : []) },
        [BLOCK.impAnonymous]: { value: checkboxes(f.anonymous ? [ANONYMOUS_OPTION] : []) },
      },
    },
  });
}

export const FOLLOW_UP_CODE = /F\d+-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}/;

/** The follow-up code in a `response_action: 'update'` view, or throws. */
export function codeFromUpdate(body: unknown): string {
  const b = body as { response_action?: string; view?: unknown };
  if (b.response_action !== 'update') throw new Error(`expected response_action update, got ${JSON.stringify(body).slice(0, 300)}`);
  const m = FOLLOW_UP_CODE.exec(JSON.stringify(b.view));
  if (!m) throw new Error('no follow-up code in the update view');
  return m[0];
}

// --- leak scanning ---------------------------------------------------------------------------

/** Where `needle` (case-insensitive) occurs in `haystack`, with a little context. */
export function hits(haystack: string, needle: string): string[] {
  const out: string[] = [];
  const h = haystack.toLowerCase();
  const n = needle.toLowerCase();
  for (let i = h.indexOf(n); i !== -1; i = h.indexOf(n, i + 1)) out.push(haystack.slice(Math.max(0, i - 80), i + n.length + 80));
  return out;
}

/** Raw bytes of the SQLite file and its -wal / -shm (those that exist), searched as UTF-8 and UTF-16LE, case-insensitively. */
export function fileHits(dbFile: string, needles: readonly string[]): { file: string; needle: string; at: number }[] {
  const found: { file: string; needle: string; at: number }[] = [];
  for (const file of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`, `${dbFile}-journal`]) {
    if (!fs.existsSync(file)) continue;
    const bytes = fs.readFileSync(file);
    const lower = Buffer.from(bytes.toString('latin1').toLowerCase(), 'latin1');
    for (const needle of needles) {
      for (const enc of ['utf8', 'utf16le'] as const) {
        const at = lower.indexOf(Buffer.from(needle.toLowerCase(), enc));
        if (at !== -1) found.push({ file, needle: `${needle} (${enc})`, at });
      }
    }
  }
  return found;
}

/** Every table's every column, as JSON text per row. */
export function everyRow(db: Db): { table: string; row: string }[] {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[];
  const rows: { table: string; row: string }[] = [];
  for (const { name } of tables) {
    for (const r of db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).all()) rows.push({ table: name, row: JSON.stringify(r) });
  }
  return rows;
}

/** Everything the emulator received: parsed args of Web API calls, raw bodies, response_url posts. */
export function emulatorTraffic(h: Harness): string[] {
  return [
    ...h.emu.calls.map((c) => `${c.method} ${JSON.stringify(c.args)}`),
    ...h.emu.rawBodies,
    ...h.emu.responses.map((r) => `${r.path} ${JSON.stringify(r.body)}`),
  ];
}
