/**
 * In-memory workspace state for the Slack Web API emulator: users, channels,
 * messages, views. No HTTP here; see emulator.ts for the server and
 * emulatorMethods.ts / emulatorViews.ts for the API methods.
 */

/** Ids shared by the emulator and the payload factories, so the two agree by default. */
export const SLACK_TEST_IDS = {
  teamId: 'T0001',
  teamDomain: 'coachline-test',
  teamName: 'Coachline Test',
  botUserId: 'UBOT0001',
  botId: 'B0001',
  botName: 'coachline',
  appId: 'A1',
} as const;

export type Args = Record<string, unknown>;

/** Thrown by method handlers; becomes `{ ok: false, error, ...extra }` with HTTP 200. */
export class ApiFailure extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
  }
}

export interface EmulatedUser {
  id: string;
  name: string;
  realName: string;
  tz: string;
  tzOffset: number;
  isBot: boolean;
}

export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

export interface EmulatedMessage {
  ts: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  thread_ts?: string;
  /** Author: the bot user id for messages the app posted. */
  user: string;
  bot_id?: string;
  metadata?: MessageMetadata;
  pinned?: boolean;
  edited?: boolean;
  reply_broadcast?: boolean;
}

export interface EmulatedChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  isIm: boolean;
  /** For DM channels: the other party. */
  user?: string;
  members: Set<string>;
  created: number;
  messages: EmulatedMessage[];
}

export interface EmulatedEphemeral {
  channel: string;
  user: string;
  message_ts: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
}

export interface EmulatedFile {
  id: string;
  filename: string;
  title?: string;
  /** The raw body POSTed to the upload URL (multipart/form-data as @slack/web-api sends it). */
  content: string | null;
  channel?: string;
  comment?: string;
  /** ts of the moment the file was shared into `channel`. */
  sharedTs?: string;
}

export interface WorkspaceSnapshot {
  version: 1;
  users: EmulatedUser[];
  channels: (Omit<EmulatedChannel, 'members'> & { members: string[] })[];
  ephemerals: EmulatedEphemeral[];
  views: EmulatedView[];
  homeViews: [string, EmulatedView][];
  files: EmulatedFile[];
  modalStacks: [string, string[]][];
  lastTsMicros: number;
  idCounter: number;
}

export interface EmulatorWarning {
  method: string;
  warning: string;
  channel?: string;
  at: number;
}

/** A view as the emulator returns it (the app's view plus Slack's fields). */
export type EmulatedView = Record<string, unknown> & {
  id: string;
  hash: string;
  type: string;
  external_id: string;
};

const USER_ID = /^[UW][A-Z0-9]{2,}$/;

export function isUserId(value: string): boolean {
  return USER_ID.test(value);
}

export class EmulatorState {
  readonly botUserId: string;
  readonly teamId: string;
  readonly botId: string = SLACK_TEST_IDS.botId;
  readonly appId: string = SLACK_TEST_IDS.appId;
  readonly teamDomain: string = SLACK_TEST_IDS.teamDomain;

  readonly users = new Map<string, EmulatedUser>();
  readonly channels = new Map<string, EmulatedChannel>();
  readonly ephemerals: EmulatedEphemeral[] = [];
  readonly warnings: EmulatorWarning[] = [];
  readonly views = new Map<string, EmulatedView>();
  readonly homeViews = new Map<string, EmulatedView>();
  readonly usedTriggers = new Set<string>();
  readonly revokedTokens = new Set<string>();
  /** Files uploaded with files.getUploadURLExternal → POST upload_url → files.completeUploadExternal. */
  readonly files = new Map<string, EmulatedFile>();
  /** Base the emulator serves upload URLs from (set when it starts). */
  uploadBase = '';
  /** Where permalinks point (the sandbox points them at its own page). */
  permalinkHost = 'https://example.slack.com';
  /** Who a trigger_id belongs to (the sandbox hands them out), so views.open knows whose modal it is. */
  readonly triggerUsers = new Map<string, string>();
  /** Each person's open modals, bottom first (view ids), for triggers the sandbox handed out. */
  readonly modalStacks = new Map<string, string[]>();

  // Counters survive reset() so that ts values and ids stay unique for the
  // emulator's whole life: a stale ts from before a reset never matches anew.
  private lastTsMicros: number;
  private idCounter = 0;
  private readonly now: (() => number) | undefined;

  /**
   * ts values: with `tsBase` (seconds), a pure counter from it (fully repeatable);
   * otherwise the wall clock (`now`, ms, default Date.now) in microseconds, bumped by
   * 100 µs when needed so that every ts is unique and increasing, like Slack's.
   */
  constructor(opts: { botUserId?: string; teamId?: string; tsBase?: number; now?: () => number } = {}) {
    this.botUserId = opts.botUserId ?? SLACK_TEST_IDS.botUserId;
    this.teamId = opts.teamId ?? SLACK_TEST_IDS.teamId;
    this.lastTsMicros = opts.tsBase !== undefined ? opts.tsBase * 1_000_000 : 0;
    this.now = opts.tsBase !== undefined ? undefined : (opts.now ?? Date.now);
    this.addBuiltIns();
  }

  private addBuiltIns(): void {
    this.users.set(this.botUserId, {
      id: this.botUserId,
      name: SLACK_TEST_IDS.botName,
      realName: 'Coachline',
      tz: 'UTC',
      tzOffset: 0,
      isBot: true,
    });
  }

  clear(): void {
    this.users.clear();
    this.channels.clear();
    this.ephemerals.length = 0;
    this.warnings.length = 0;
    this.views.clear();
    this.homeViews.clear();
    this.usedTriggers.clear();
    this.revokedTokens.clear();
    this.triggerUsers.clear();
    this.modalStacks.clear();
    this.addBuiltIns();
  }

  /** Everything the workspace holds, as plain JSON (the sandbox keeps it across restarts). */
  snapshot(): WorkspaceSnapshot {
    return {
      version: 1,
      users: [...this.users.values()],
      channels: [...this.channels.values()].map((c) => ({ ...c, members: [...c.members] })),
      ephemerals: this.ephemerals,
      views: [...this.views.values()],
      homeViews: [...this.homeViews.entries()],
      files: [...this.files.values()],
      modalStacks: [...this.modalStacks.entries()],
      lastTsMicros: this.lastTsMicros,
      idCounter: this.idCounter,
    };
  }

  restore(snap: WorkspaceSnapshot): void {
    this.clear();
    for (const u of snap.users) this.users.set(u.id, u);
    for (const c of snap.channels) this.channels.set(c.id, { ...c, members: new Set(c.members) });
    this.ephemerals.push(...snap.ephemerals);
    for (const v of snap.views) this.views.set(v.id, v);
    for (const [user, v] of snap.homeViews) this.homeViews.set(user, v);
    for (const f of snap.files) this.files.set(f.id, f);
    for (const [user, stack] of snap.modalStacks) this.modalStacks.set(user, stack);
    this.lastTsMicros = Math.max(this.lastTsMicros, snap.lastTsMicros);
    this.idCounter = Math.max(this.idCounter, snap.idCounter);
  }

  /** Slack-shaped, unique, increasing: "1732240000.000100" (seconds.microseconds). */
  nextTs(): string {
    const clock = this.now ? Math.floor(this.now() * 1000) : 0;
    const micros = Math.max(clock, this.lastTsMicros + 100);
    this.lastTsMicros = micros;
    return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  /** Ids like C000100001, V000100002 (prefix + "0001" + counter). */
  nextId(prefix: string): string {
    this.idCounter += 1;
    return `${prefix}0001${String(this.idCounter).padStart(5, '0')}`;
  }

  addUser(user: { id: string; name?: string; realName?: string; tz?: string; tzOffset?: number }): EmulatedUser {
    const entry: EmulatedUser = {
      id: user.id,
      name: user.name ?? user.id.toLowerCase(),
      realName: user.realName ?? user.name ?? user.id,
      tz: user.tz ?? 'UTC',
      tzOffset: user.tzOffset ?? 0,
      isBot: false,
    };
    this.users.set(user.id, entry);
    return entry;
  }

  /** A known user, or a default one for any well-formed U…/W… id. */
  user(id: string): EmulatedUser | undefined {
    const known = this.users.get(id);
    if (known) return known;
    if (!isUserId(id)) return undefined;
    return this.addUser({ id });
  }

  addChannel(opts: {
    id?: string;
    name: string;
    isPrivate?: boolean;
    botIsMember?: boolean;
    members?: string[];
  }): string {
    const id = opts.id ?? this.nextId('C');
    const members = new Set(opts.members ?? []);
    if (opts.botIsMember ?? true) members.add(this.botUserId);
    this.channels.set(id, {
      id,
      name: opts.name,
      isPrivate: opts.isPrivate ?? false,
      isIm: false,
      members,
      created: Math.floor(Date.now() / 1000),
      messages: [],
    });
    return id;
  }

  /** The DM channel between the bot and a user; created on first use, stable per user. */
  dmChannel(userId: string): EmulatedChannel {
    const id = `D${userId}`;
    let channel = this.channels.get(id);
    if (!channel) {
      channel = {
        id,
        name: userId,
        isPrivate: true,
        isIm: true,
        user: userId,
        members: new Set([userId, this.botUserId]),
        created: Math.floor(Date.now() / 1000),
        messages: [],
      };
      this.channels.set(id, channel);
    }
    return channel;
  }

  /** Resolve a channel argument: an id, `#name`/`name`, or (for posting) a user id meaning their DM. */
  resolveChannel(ref: unknown, opts: { userMeansDm?: boolean } = {}): EmulatedChannel {
    if (typeof ref !== 'string' || ref === '') throw new ApiFailure('channel_not_found');
    const byId = this.channels.get(ref);
    if (byId) return byId;
    if (opts.userMeansDm && isUserId(ref)) return this.dmChannel(ref);
    const name = ref.replace(/^#/, '');
    for (const channel of this.channels.values()) {
      if (!channel.isIm && channel.name === name) return channel;
    }
    throw new ApiFailure('channel_not_found');
  }

  /** Slack hides private channels the bot is not in: they look like they do not exist. */
  visibleChannel(ref: unknown, opts: { userMeansDm?: boolean } = {}): EmulatedChannel {
    const channel = this.resolveChannel(ref, opts);
    if (channel.isPrivate && !channel.members.has(this.botUserId)) throw new ApiFailure('channel_not_found');
    return channel;
  }

  /** A channel the bot can act in: private non-member → channel_not_found, public non-member → not_in_channel. */
  memberChannel(ref: unknown, opts: { userMeansDm?: boolean } = {}): EmulatedChannel {
    const channel = this.visibleChannel(ref, opts);
    if (!channel.members.has(this.botUserId)) throw new ApiFailure('not_in_channel');
    return channel;
  }

  findMessage(channel: EmulatedChannel, ts: unknown): EmulatedMessage | undefined {
    return typeof ts === 'string' ? channel.messages.find((m) => m.ts === ts) : undefined;
  }

  warn(method: string, warning: string, channel?: string): void {
    this.warnings.push({ method, warning, channel, at: Date.now() });
  }
}

// ---- argument helpers (form bodies carry everything as strings) ----

export function str(args: Args, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

export function bool(args: Args, key: string): boolean {
  const value = args[key];
  return value === true || value === 'true' || value === '1' || value === 1;
}

export function int(args: Args, key: string): number | undefined {
  const value = args[key];
  const n = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}
