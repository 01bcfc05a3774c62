/**
 * Drives a running sandbox through its page API (src/sandbox/API.md), as the page does.
 */
import type { StateValues } from '../../src/sandbox/payloads';

export interface SandboxItem {
  kind: 'message' | 'ephemeral';
  ts: string;
  user: string;
  text: string;
  blocks?: Record<string, any>[];
  edited: boolean;
  pinned: boolean;
  replies: SandboxItem[];
  files?: { id: string; name: string; url: string }[];
}

export type SandboxView = Record<string, any> & { id: string; callback_id: string; blocks: Record<string, any>[]; errors: Record<string, string> };

export class SandboxClient {
  constructor(readonly base: string) {}

  async post(path: string, body: unknown): Promise<Record<string, any>> {
    const res = await fetch(`${this.base}/sandbox/api/${path}`, { method: 'POST', body: JSON.stringify(body) });
    const json = (await res.json()) as Record<string, any>;
    if (!res.ok || json.ok !== true) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(json)}`);
    return json;
  }

  async get(path: string): Promise<Record<string, any>> {
    const res = await fetch(`${this.base}/sandbox/api/${path}`);
    return (await res.json()) as Record<string, any>;
  }

  command(as: string, channel: string, text: string) {
    return this.post('command', { as, channel, text });
  }

  async items(as: string, channel: string): Promise<SandboxItem[]> {
    return ((await this.get(`conversation?as=${as}&channel=${channel}`)).items ?? []) as SandboxItem[];
  }

  async modals(as: string): Promise<SandboxView[]> {
    return (await this.get(`modals?as=${as}`)).stack as SandboxView[];
  }

  async channelId(name: string): Promise<string | undefined> {
    const ws = await this.get('workspace');
    return (ws.channels as { id: string; name: string }[]).find((c) => c.name === name)?.id;
  }

  submit(as: string, viewId: string, values: StateValues) {
    return this.post('submit', { as, viewId, values });
  }

  /** Presses the button with this action_id on a message. */
  async press(as: string, channel: string, item: SandboxItem, actionId: string, opts: { ephemeral?: boolean } = {}) {
    for (const block of item.blocks ?? []) {
      const el = (block.elements ?? [block.accessory]).find((e: any) => e?.action_id === actionId);
      if (el) {
        return this.post('action', {
          as,
          source: { type: 'message', channel, ts: item.ts, ephemeral: opts.ephemeral ?? item.kind === 'ephemeral' },
          action: { action_id: el.action_id, block_id: block.block_id ?? '', type: el.type, value: el.value },
        });
      }
    }
    throw new Error(`no ${actionId} on message ${item.ts}`);
  }

  /** Polls `read` until `pred` holds for its answer. */
  async until<T>(read: () => Promise<T>, pred: (v: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await read();
      if (pred(v)) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 500)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
