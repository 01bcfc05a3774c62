/**
 * A local Slack Web API emulator for tests: a real HTTP server on 127.0.0.1
 * that answers `POST /api/<method>` like Slack does, keeps a small workspace
 * (users, channels, messages, views), enforces Block Kit limits, records every
 * call, and can be told to fail (Slack errors, 429, 5xx, slowness, dropped
 * connections).
 *
 *   const emu = await startEmulator();
 *   const client = new WebClient('xoxb-test', { slackApiUrl: emu.url });
 *   …
 *   await emu.close();
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type FaultDecision, type FaultHandle, type FaultRule, type FaultShareRule, FaultBook } from './emulatorFaults';
import { execute } from './emulatorMethods';
import {
  type Args,
  type EmulatedChannel,
  type EmulatedEphemeral,
  type EmulatedMessage,
  type EmulatedUser,
  type EmulatedView,
  EmulatorState,
  type EmulatorWarning,
  isUserId,
} from './emulatorState';

export { LIMITS, validateMessageBlocks, validateView } from './emulatorBlocks';
export type { FaultHandle, FaultRule, FaultShareRule, ShareKind } from './emulatorFaults';
export { seededRandom } from './emulatorFaults';
export {
  SLACK_TEST_IDS,
  type EmulatedChannel,
  type EmulatedEphemeral,
  type EmulatedMessage,
  type EmulatedUser,
  type EmulatedView,
  type EmulatorWarning,
  type MessageMetadata,
} from './emulatorState';

export interface RecordedCall {
  method: string;
  token: string | null;
  args: Record<string, unknown>;
  /** Date.now() when the request arrived. */
  at: number;
  /** The body sent (or, for drop-after, the body that would have been sent); null if none. */
  response: unknown;
  /** HTTP status answered; 0 when the connection was dropped (or no answer yet). */
  status: number;
  /** Set when a fault rule applied: 'error' | 'rateLimited' | 'status' | 'delay' | 'drop-before' | 'drop-after'. */
  fault?: string;
}

export interface EmulatorOptions {
  botUserId?: string;
  teamId?: string;
  /**
   * Message ts values follow this clock (ms; default Date.now), kept unique and increasing.
   * Pass the app's test clock when the app compares ts values with its own time.
   */
  now?: () => number;
  /** Instead of a clock: ts values count up from this many seconds (1732240000 → 1732240000.000100, …). */
  tsBase?: number;
  /** Where to listen (default 127.0.0.1 on a free port). */
  port?: number;
  host?: string;
}

/** Serves paths the Web API does not (the sandbox page); answers true when it handled the request. */
export type ExtraRoute = (req: IncomingMessage, res: ServerResponse, url: URL, raw: string) => Promise<boolean> | boolean;

/** Told what the app posted to a response_url (the sandbox turns it into messages). */
export type ResponseListener = (path: string, body: unknown) => void;

/** Fields whose form-encoded value is a JSON string (WebClient JSON-encodes nested values). */
const JSON_FIELDS = ['blocks', 'attachments', 'metadata', 'view'];

function parseArgs(raw: string, contentType: string, query: URLSearchParams): Args {
  const args: Args = Object.fromEntries(query.entries());
  if (contentType.startsWith('application/json')) {
    if (raw.trim() !== '') {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) Object.assign(args, parsed);
    }
  } else {
    Object.assign(args, Object.fromEntries(new URLSearchParams(raw).entries()));
  }
  for (const key of JSON_FIELDS) {
    const value = args[key];
    if (typeof value === 'string' && value !== '') {
      try {
        args[key] = JSON.parse(value) as unknown;
      } catch {
        // Leave the string: the method answers invalid_blocks_format / invalid_arguments.
      }
    }
  }
  return args;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const STATUS_TEXT: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export class SlackEmulator {
  readonly calls: RecordedCall[] = [];
  readonly rawBodies: string[] = [];
  /** Everything the app posted to a response_url pointing here. */
  readonly responses: { path: string; body: unknown; at: number }[] = [];
  private readonly state: EmulatorState;
  private readonly faults = new FaultBook();
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private currentSocketUrl: string | undefined;
  private server: Server | undefined;
  private baseUrl = '';
  private readonly changeListeners = new Set<() => void>();
  private readonly extraRoutes: ExtraRoute[] = [];
  private readonly responseListeners = new Set<ResponseListener>();

  constructor(private readonly opts: EmulatorOptions = {}) {
    this.state = new EmulatorState(opts);
  }

  /** The workspace itself (users, channels, messages, views, files), for the sandbox. */
  get workspace(): EmulatorState {
    return this.state;
  }

  /** Called after every Web API call and response_url post (the sandbox page refreshes on it). */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Tells listeners that the workspace changed outside a Web API call. */
  changed(): void {
    for (const l of this.changeListeners) l();
  }

  /** Serve more paths on the emulator's server (checked before the Web API). */
  route(handler: ExtraRoute): void {
    this.extraRoutes.push(handler);
  }

  onResponse(listener: ResponseListener): void {
    this.responseListeners.add(listener);
  }

  /** Use startEmulator() instead. */
  async listen(): Promise<this> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`emulator failure: ${err instanceof Error ? err.message : String(err)}`);
        }
      });
    });
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.baseUrl = `http://${this.opts.host ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}/api/`;
    this.state.uploadBase = this.baseUrl.replace(/\/api\/$/, '');
    return this;
  }

  /** Base URL for WebClient's `slackApiUrl`, e.g. http://127.0.0.1:PORT/api/ */
  get url(): string {
    return this.baseUrl;
  }

  /** Files uploaded through files.uploadV2, by id. */
  get files() {
    return this.state.files;
  }

  get port(): number {
    return Number(new URL(this.baseUrl).port);
  }

  get botUserId(): string {
    return this.state.botUserId;
  }

  get botId(): string {
    return this.state.botId;
  }

  get teamId(): string {
    return this.state.teamId;
  }

  get appId(): string {
    return this.state.appId;
  }

  get warnings(): EmulatorWarning[] {
    return this.state.warnings;
  }

  get ephemerals(): EmulatedEphemeral[] {
    return this.state.ephemerals;
  }

  /** Modal views by id (views.open / views.push / views.update). */
  get views(): Map<string, EmulatedView> {
    return this.state.views;
  }

  /** Published App Home views by user id. */
  get homeViews(): Map<string, EmulatedView> {
    return this.state.homeViews;
  }

  /** What apps.connections.open answers; unset → `internal_error`. */
  get socketUrl(): string | undefined {
    return this.currentSocketUrl;
  }

  setSocketUrl(url: string | undefined): void {
    this.currentSocketUrl = url;
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Clears calls, raw bodies, faults, warnings and workspace state; keeps the bot, team and socket URL. */
  reset(): void {
    this.calls.length = 0;
    this.rawBodies.length = 0;
    this.faults.clear();
    this.state.clear();
  }

  revokeToken(token: string): void {
    this.state.revokedTokens.add(token);
  }

  addUser(user: { id: string; name?: string; realName?: string; tz?: string; tzOffset?: number }): EmulatedUser {
    return this.state.addUser(user);
  }

  /** Adds a channel; the bot is a member unless `botIsMember: false`. Returns its id (C0001…). */
  addChannel(opts: { id?: string; name: string; isPrivate?: boolean; botIsMember?: boolean; members?: string[] }): string {
    return this.state.addChannel(opts);
  }

  channel(id: string): EmulatedChannel | undefined {
    return this.state.channels.get(id);
  }

  /** Seeds a message written by a person (e.g. the target of a message shortcut). */
  addMessage(channelId: string, msg: { user: string; text: string; thread_ts?: string; blocks?: unknown[] }): EmulatedMessage {
    const channel = this.state.channels.get(channelId) ?? (isUserId(channelId) ? this.state.dmChannel(channelId) : undefined);
    if (!channel) throw new Error(`addMessage: unknown channel ${channelId}`);
    const message: EmulatedMessage = { ts: this.state.nextTs(), ...msg };
    channel.messages.push(message);
    return message;
  }

  /** Messages in a channel (or a user's DM when given a U… id), oldest first, thread replies included. */
  messages(channelId: string): EmulatedMessage[] {
    const id = isUserId(channelId) ? this.dmChannelFor(channelId) : channelId;
    return [...(this.state.channels.get(id)?.messages ?? [])];
  }

  message(channelId: string, ts: string): EmulatedMessage | undefined {
    return this.messages(channelId).find((m) => m.ts === ts);
  }

  /** The stable DM channel id (D…) between the bot and this user. */
  dmChannelFor(userId: string): string {
    return this.state.dmChannel(userId).id;
  }

  /** Add a fault rule; rules apply in the order added. */
  fault(rule: FaultRule): FaultHandle {
    return this.faults.add(rule);
  }

  /** Fault a seeded-random share of matching calls with the given kinds. */
  faultShare(rule: FaultShareRule): FaultHandle {
    return this.faults.addShare(rule);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  /** Base for response_url values that post back here (`${responseUrlBase}/commands/…`). */
  get responseUrlBase(): string {
    return this.url.replace(/\/api\/$/, '/response');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    for (const route of this.extraRoutes) if (await route(req, res, url, raw)) return;
    this.rawBodies.push(raw);
    try {
      await this.handleSlack(req, res, url, raw, at);
    } finally {
      this.changed();
    }
  }

  private async handleSlack(req: IncomingMessage, res: ServerResponse, url: URL, raw: string, at: number): Promise<void> {
    const upload = /^\/upload\/(F\d+)$/.exec(url.pathname);
    if (upload && req.method === 'POST') {
      const file = this.state.files.get(upload[1]!);
      if (!file) {
        res.writeHead(404);
        res.end('no such upload');
        return;
      }
      file.content = raw;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`OK - ${raw.length}`);
      return;
    }
    if (url.pathname.startsWith('/response/') && req.method === 'POST') {
      // A response_url (as Slack hands out with commands and actions): record what the app said.
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        /* form or text body: keep it raw */
      }
      this.responses.push({ path: url.pathname, body, at });
      for (const l of this.responseListeners) l(url.pathname, body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
      return;
    }
    const match = /^\/api\/([A-Za-z0-9_.]+)$/.exec(url.pathname);
    if (!match?.[1] || (req.method !== 'POST' && req.method !== 'GET')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    const method = match[1];
    let args: Args;
    try {
      args = parseArgs(raw, req.headers['content-type'] ?? '', url.searchParams);
    } catch {
      this.send(res, this.record({ method, token: null, args: {}, at }), 200, { ok: false, error: 'invalid_json' });
      return;
    }
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? (typeof args.token === 'string' ? args.token : null);
    delete args.token;
    const call = this.record({ method, token, args, at });
    const decision: FaultDecision | undefined = this.faults.take(method, args);
    if (decision) call.fault = decision.label;

    const run = (): unknown =>
      execute({ state: this.state, args, token, method, socketUrl: this.currentSocketUrl });
    const action = decision?.action ?? 'respond';
    // For a normal answer or drop-after the call takes effect at once; a delay only holds the answer.
    const response = action === 'respond' || action === 'drop-after' ? run() : undefined;
    if (decision && decision.delayMs > 0) await this.sleep(decision.delayMs);

    switch (action) {
      case 'respond':
        this.send(res, call, 200, response);
        return;
      case 'drop-after':
        call.response = response;
        call.status = 0;
        req.socket.destroy();
        return;
      case 'drop-before':
        call.status = 0;
        req.socket.destroy();
        return;
      case 'error':
        this.send(res, call, 200, { ok: false, error: decision?.error, ...(decision?.extra ?? {}) });
        return;
      case 'rateLimited':
        this.send(res, call, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(decision?.retryAfter ?? 1) });
        return;
      case 'status': {
        const status = decision?.status ?? 500;
        const text = STATUS_TEXT[status] ?? `HTTP ${status}`;
        call.status = status;
        call.response = text;
        if (!res.destroyed) {
          res.writeHead(status, { 'content-type': 'text/plain' });
          res.end(text);
        }
        return;
      }
    }
  }

  private record(partial: Omit<RecordedCall, 'response' | 'status'>): RecordedCall {
    const call: RecordedCall = { ...partial, response: null, status: 0 };
    this.calls.push(call);
    return call;
  }

  private send(res: ServerResponse, call: RecordedCall, status: number, body: unknown, headers: Record<string, string> = {}): void {
    call.status = status;
    call.response = body;
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<SlackEmulator> {
  return new SlackEmulator(opts).listen();
}
