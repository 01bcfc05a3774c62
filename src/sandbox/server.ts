/**
 * The sandbox page's HTTP routes, served on the emulator's own server (see API.md):
 * the page's files, what a person sees (workspace, a conversation, their Home tab, their
 * modals), what a person does (forwarded to the driver), time travel, downloads, and a
 * server-sent event stream that tells the page when to refresh.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { SlackEmulator } from './emulator';
import { fileText } from './emulatorFiles';
import type { EmulatedMessage, EmulatorState } from './emulatorState';
import { SandboxFailure, type SandboxDriver } from './driver';
import { titleOf } from './workspace';

export interface SandboxRoutesDeps {
  emu: SlackEmulator;
  driver: SandboxDriver;
  now: () => Date;
  timeZone: string;
  commands: { command: string; description: string; usageHint: string }[];
  messageShortcuts: { callbackId: string; name: string }[];
  advance: (step: 'hour' | 'day' | 'monday') => Promise<Date>;
  /** The app's own /healthz, answered on the sandbox's port too. */
  health: () => Promise<{ status: number; body: string }>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** The page's folder: beside this file in src/, or found from dist/src/sandbox after a build. */
export function pageDir(): string {
  const candidates = [path.join(__dirname, 'page'), path.resolve(__dirname, '../../../src/sandbox/page')];
  return candidates.find((d) => fs.existsSync(path.join(d, 'index.html'))) ?? candidates[0]!;
}

const userId = z.string().regex(/^[UW][A-Z0-9]{2,}$/);
const channelId = z.string().regex(/^[CDG][A-Z0-9]{2,}$/);
const values = z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown())));
const action = z
  .object({ action_id: z.string().min(1).max(255), block_id: z.string().max(255), type: z.string().max(64).optional() })
  .catchall(z.unknown());
const source = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), channel: channelId, ts: z.string().max(32), ephemeral: z.boolean().optional() }),
  z.object({ type: z.literal('view'), viewId: z.string().max(64) }),
  z.object({ type: z.literal('home') }),
]);

const BODIES = {
  command: z.object({ as: userId, channel: channelId, text: z.string().min(1).max(4000) }),
  message: z.object({ as: userId, channel: channelId, text: z.string().min(1).max(4000) }),
  action: z.object({ as: userId, source, action, values: values.optional() }),
  submit: z.object({ as: userId, viewId: z.string().max(64), values }),
  close: z.object({ as: userId, viewId: z.string().max(64) }),
  shortcut: z.object({ as: userId, channel: channelId, ts: z.string().max(32), callbackId: z.string().max(255) }),
  home: z.object({ as: userId }),
  join: z.object({ as: userId, channel: channelId }),
  time: z.object({ step: z.enum(['hour', 'day', 'monday']) }),
};

function send(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
  return true;
}

function parseBody<T>(schema: z.ZodType<T>, raw: string): T {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new SandboxFailure('The request body must be JSON.');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new SandboxFailure(`Bad request: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ')}`);
  return parsed.data;
}

interface Item {
  kind: 'message' | 'ephemeral';
  ts: string;
  user: string;
  userName: string;
  isBot: boolean;
  text: string;
  blocks?: unknown[];
  edited: boolean;
  pinned: boolean;
  replies: Item[];
  files?: { id: string; name: string; url: string }[];
}

/** What one person sees in one conversation: messages with their threads, their own ephemerals, shared files. */
export function conversationFor(state: EmulatorState, as: string, channel: string): { channel: Record<string, unknown>; items: Item[] } {
  const c = channel === `D${as}` ? state.dmChannel(as) : state.channels.get(channel);
  const readable = c && (c.isIm ? c.user === as : !c.isPrivate || c.members.has(as));
  if (!c || !readable) throw new SandboxFailure('You are not in that conversation.');
  const nameOf = (id: string) => state.users.get(id)?.realName ?? id;
  const item = (m: EmulatedMessage): Item => ({
    kind: 'message',
    ts: m.ts,
    user: m.user,
    userName: nameOf(m.user),
    isBot: m.user === state.botUserId,
    text: m.text,
    ...(m.blocks ? { blocks: m.blocks } : {}),
    edited: !!m.edited,
    pinned: !!m.pinned,
    replies: [],
  });
  const top: Item[] = [];
  const byTs = new Map<string, Item>();
  for (const m of c.messages) {
    if (!m.thread_ts || m.thread_ts === m.ts) {
      const it = item(m);
      top.push(it);
      byTs.set(m.ts, it);
    }
  }
  for (const m of c.messages) {
    if (m.thread_ts && m.thread_ts !== m.ts) {
      const parent = byTs.get(m.thread_ts);
      if (parent) parent.replies.push(item(m));
      if (parent && m.reply_broadcast) top.push(item(m));
    }
  }
  for (const e of state.ephemerals) {
    if (e.channel !== c.id || e.user !== as) continue;
    const it: Item = {
      kind: 'ephemeral',
      ts: e.message_ts,
      user: state.botUserId,
      userName: nameOf(state.botUserId),
      isBot: true,
      text: e.text,
      ...(e.blocks ? { blocks: e.blocks } : {}),
      edited: false,
      pinned: false,
      replies: [],
    };
    const parent = e.thread_ts ? byTs.get(e.thread_ts) : undefined;
    if (parent) parent.replies.push(it);
    else top.push(it);
  }
  for (const f of state.files.values()) {
    if (f.channel !== c.id || !f.sharedTs) continue;
    top.push({
      kind: 'message',
      ts: f.sharedTs,
      user: state.botUserId,
      userName: nameOf(state.botUserId),
      isBot: true,
      text: f.comment ?? '',
      edited: false,
      pinned: false,
      replies: [],
      files: [{ id: f.id, name: f.filename, url: `/sandbox/files/${f.id}` }],
    });
  }
  const byTime = (a: Item, b: Item) => Number(a.ts) - Number(b.ts);
  top.sort(byTime);
  for (const t of top) t.replies.sort(byTime);
  return { channel: { id: c.id, name: c.isIm ? 'coachline' : c.name, isIm: c.isIm, isPrivate: c.isPrivate, isMember: c.members.has(as) }, items: top };
}

/** Registers the sandbox routes on the emulator's server. */
export function registerSandboxRoutes(deps: SandboxRoutesDeps): { close(): void } {
  const { emu, driver } = deps;
  const state = emu.workspace;
  const dir = pageDir();
  const streams = new Set<ServerResponse>();
  let pending: NodeJS.Timeout | undefined;
  emu.onChange(() => {
    if (pending || streams.size === 0) return;
    pending = setTimeout(() => {
      pending = undefined;
      for (const s of streams) s.write('data: {"type":"change"}\n\n');
    }, 30);
  });

  const workspace = () => ({
    team: { id: state.teamId, name: 'Coachline Sandbox' },
    now: deps.now().toISOString(),
    timeZone: deps.timeZone,
    botUserId: state.botUserId,
    people: [...state.users.values()]
      .filter((u) => !u.isBot)
      .map((u) => ({ id: u.id, name: u.name, realName: u.realName, title: titleOf(u.id), tz: u.tz })),
    channels: [...state.channels.values()]
      .filter((c) => !c.isIm)
      .map((c) => ({ id: c.id, name: c.name, isPrivate: c.isPrivate, botIsMember: c.members.has(state.botUserId), members: [...c.members] })),
    commands: deps.commands,
    messageShortcuts: deps.messageShortcuts,
  });

  const posts: Record<string, (raw: string) => Promise<unknown>> = {
    '/sandbox/api/command': async (raw) => {
      const b = parseBody(BODIES.command, raw);
      await driver.command(b.as, b.channel, b.text);
      return { ok: true };
    },
    '/sandbox/api/message': async (raw) => {
      const b = parseBody(BODIES.message, raw);
      return { ok: true, ts: driver.message(b.as, b.channel, b.text).ts };
    },
    '/sandbox/api/action': async (raw) => {
      const b = parseBody(BODIES.action, raw);
      await driver.action(b.as, b.source, b.action, b.values);
      return { ok: true };
    },
    '/sandbox/api/submit': async (raw) => {
      const b = parseBody(BODIES.submit, raw);
      return { ok: true, ...(await driver.submit(b.as, b.viewId, b.values)) };
    },
    '/sandbox/api/close': async (raw) => {
      const b = parseBody(BODIES.close, raw);
      await driver.close(b.as, b.viewId);
      return { ok: true };
    },
    '/sandbox/api/shortcut': async (raw) => {
      const b = parseBody(BODIES.shortcut, raw);
      await driver.shortcut(b.as, b.channel, b.ts, b.callbackId);
      return { ok: true };
    },
    '/sandbox/api/join': async (raw) => {
      const b = parseBody(BODIES.join, raw);
      driver.join(b.as, b.channel);
      return { ok: true };
    },
    '/sandbox/api/home/open': async (raw) => {
      await driver.homeOpened(parseBody(BODIES.home, raw).as);
      return { ok: true };
    },
    '/sandbox/api/time': async (raw) => {
      const now = await deps.advance(parseBody(BODIES.time, raw).step);
      return { ok: true, now: now.toISOString() };
    },
  };

  const gets: Record<string, (q: URLSearchParams) => unknown> = {
    '/sandbox/api/workspace': () => workspace(),
    '/sandbox/api/conversation': (q) => conversationFor(state, userId.parse(q.get('as')), channelId.parse(q.get('channel'))),
    '/sandbox/api/home': (q) => ({ view: state.homeViews.get(userId.parse(q.get('as'))) ?? null }),
    '/sandbox/api/modals': (q) => {
      const as = userId.parse(q.get('as'));
      const stack = (state.modalStacks.get(as) ?? []).map((id) => state.views.get(id)).filter((v) => v !== undefined);
      return { stack: stack.map((v) => ({ ...v, errors: driver.viewErrors.get(v.id) ?? {} })) };
    },
  };

  emu.route(async (req: IncomingMessage, res: ServerResponse, url: URL, raw: string) => {
    const p = url.pathname;
    if (p === '/healthz' && req.method === 'GET') {
      const h = await deps.health();
      res.writeHead(h.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(h.body);
      return true;
    }
    if (p === '/' && req.method === 'GET') {
      res.writeHead(302, { location: '/sandbox' });
      res.end();
      return true;
    }
    if (!p.startsWith('/sandbox')) return false;
    try {
      if (req.method === 'POST' && posts[p]) return send(res, 200, await posts[p](raw));
      if (req.method === 'GET' && gets[p]) return send(res, 200, gets[p](url.searchParams));
      if (req.method === 'GET' && p === '/sandbox/api/stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        res.write('retry: 1000\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return true;
      }
      const file = /^\/sandbox\/files\/(F\d+)$/.exec(p);
      if (req.method === 'GET' && file) {
        const f = state.files.get(file[1]!);
        if (!f || f.content === null) return send(res, 404, { ok: false, error: 'No such file.' });
        const content = fileText(f.content);
        res.writeHead(200, {
          'content-type': f.filename.endsWith('.json') ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${f.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
        });
        res.end(content);
        return true;
      }
      const asset = /^\/sandbox\/assets\/([A-Za-z0-9_-]+\.(?:js|css|png|svg))$/.exec(p);
      if (req.method === 'GET' && asset) {
        const filePath = path.join(dir, asset[1]!);
        if (!fs.existsSync(filePath)) return send(res, 404, { ok: false, error: 'not found' });
        const bytes = fs.readFileSync(filePath);
        res.writeHead(200, { 'content-type': TYPES[path.extname(filePath)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
        res.end(bytes);
        return true;
      }
      // The page itself, also under permalinks (/sandbox/archives/C…/p…).
      if (req.method === 'GET' && (p === '/sandbox' || p === '/sandbox/' || p.startsWith('/sandbox/archives/'))) {
        const html = fs.readFileSync(path.join(dir, 'index.html'));
        res.writeHead(200, { 'content-type': TYPES['.html']!, 'cache-control': 'no-cache' });
        res.end(html);
        return true;
      }
      return send(res, 404, { ok: false, error: 'not found' });
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return true;
      }
      if (err instanceof SandboxFailure) return send(res, 400, { ok: false, error: err.message });
      if (err instanceof z.ZodError) return send(res, 400, { ok: false, error: 'Bad request: unknown person or channel.' });
      return send(res, 500, { ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  });

  return {
    close: () => {
      for (const s of streams) s.end();
      streams.clear();
    },
  };
}
