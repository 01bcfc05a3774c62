/**
 * Plays Slack's part towards the app: turns what a person does on the sandbox page into
 * signed, Slack-shaped requests (slash commands, block_actions, view_submission, view_closed,
 * message_action, app_home_opened) posted to the app's /slack/events, and applies the
 * app's answers (ack bodies, response_url posts, response_action) to the workspace the way
 * Slack would.
 */
import { z } from 'zod';
import { parseJson } from '../slack/input/json';
import { validateMessageBlocks } from './emulatorBlocks';
import type { SlackEmulator } from './emulator';
import type { EmulatedMessage, EmulatedView, EmulatorState } from './emulatorState';
import { applyViewPush, applyViewUpdate } from './emulatorViews';
import {
  appHomeOpened,
  blockActions,
  eventCallback,
  messageShortcut,
  responseUrl,
  slashCommand,
  triggerId,
  viewClosed,
  viewSubmission,
  type ActionInput,
  type StateValues,
  type ViewInput,
} from './payloads';
import { postCommand, postEvent, postInteraction, type SlackAppResponse } from './signing';

export type ActionSource =
  | { type: 'message'; channel: string; ts: string; ephemeral?: boolean }
  | { type: 'view'; viewId: string }
  | { type: 'home' };

export type SubmitResult = { result: 'closed' | 'updated' | 'pushed' } | { result: 'errors'; errors: Record<string, string> };

interface ResponseContext {
  user: string;
  channel: string;
  original?: { ts: string; ephemeral: boolean };
}

export class SandboxFailure extends Error {}

type Json = Record<string, unknown>;

/** The app's HTTP answer (an ack body): a JSON object, or null for an empty or other body. */
const ackBody = (text: string): Json | null => parseJson(z.record(z.string(), z.unknown()), text, 1_000_000);

/** A stored view as it travels inside an interaction payload, with the form's current values. */
function viewInput(view: EmulatedView, values: StateValues): ViewInput {
  const { state: _state, ...rest } = view;
  return { ...rest, callback_id: String(view.callback_id ?? ''), type: view.type === 'home' ? 'home' : 'modal', state_values: values };
}

export class SandboxDriver {
  private readonly responseContexts = new Map<string, ResponseContext>();
  /** Inline errors of the last submission, by view id. */
  readonly viewErrors = new Map<string, Record<string, string>>();

  constructor(
    private readonly emu: SlackEmulator,
    private readonly appUrl: () => string,
    private readonly secret: string,
    private readonly commands: readonly string[],
  ) {
    emu.onResponse((path, body) => this.applyResponse(path, body));
  }

  private get state(): EmulatorState {
    return this.emu.workspace;
  }

  private userRef(userId: string): { id: string; name: string } {
    const user = this.state.users.get(userId);
    if (!user || user.isBot) throw new SandboxFailure(`unknown person ${userId}`);
    return { id: user.id, name: user.name };
  }

  /** A conversation the person may act in; a public channel they are not in is joined first, as Slack offers. */
  private channelRef(channelId: string, userId: string): { id: string; name: string } {
    if (channelId === `D${userId}`) return { id: this.state.dmChannel(userId).id, name: 'directmessage' };
    const channel = this.state.channels.get(channelId);
    if (!channel || channel.isIm || (channel.isPrivate && !channel.members.has(userId))) {
      throw new SandboxFailure(`You are not in that channel (${channelId}).`);
    }
    channel.members.add(userId);
    return { id: channel.id, name: channel.name };
  }

  /** Slack's own `/invite @name …`: adds people (or the app, `@coachline`) to the channel. */
  private invite(userId: string, channelId: string, text: string): void {
    const channel = this.state.channels.get(channelId);
    if (!channel || channel.isIm) return this.slackbotSays(userId, channelId, 'You can only invite people to a channel.');
    const names = text.split(/[\s,]+/).map((t) => t.replace(/^<@([A-Z0-9]+)(?:\|[^>]*)?>$/, '$1').replace(/^@/, '')).filter(Boolean);
    if (names.length === 0) return this.slackbotSays(userId, channelId, 'Say who to invite: `/invite @coachline` or `/invite @lee`.');
    const added: string[] = [];
    for (const name of names) {
      const user = [...this.state.users.values()].find((u) => u.id === name || u.name.toLowerCase() === name.toLowerCase());
      if (!user) return this.slackbotSays(userId, channelId, `Nobody here is called @${name}.`);
      if (!channel.members.has(user.id)) {
        channel.members.add(user.id);
        added.push(user.id);
      }
    }
    for (const id of added) this.emu.addMessage(channel.id, { user: id, text: `<@${id}> joined #${channel.name} (added by <@${userId}>).` });
    if (added.length === 0) this.slackbotSays(userId, channelId, 'They are already in this channel.');
    this.emu.changed();
  }

  /** A person joins a public channel. */
  join(userId: string, channelId: string): void {
    this.userRef(userId);
    this.channelRef(channelId, userId);
    this.emu.changed();
  }

  private trigger(userId: string): string {
    const id = triggerId();
    this.state.triggerUsers.set(id, userId);
    return id;
  }

  private responseUrlFor(kind: string, ctx: ResponseContext): string {
    const url = responseUrl(kind, this.state.teamId);
    this.responseContexts.set(new URL(url).pathname, ctx);
    return url;
  }

  /** A person types a message (not a command) in a channel. */
  message(userId: string, channelId: string, text: string): EmulatedMessage {
    this.userRef(userId);
    const channel = this.channelRef(channelId, userId);
    if (text.trim() === '') throw new SandboxFailure('Type a message first.');
    const message = this.emu.addMessage(channel.id, { user: userId, text: text.slice(0, 4000) });
    this.emu.changed();
    return message;
  }

  /** A person types `/command text` in a channel. */
  async command(userId: string, channelId: string, typed: string): Promise<void> {
    const user = this.userRef(userId);
    const channel = this.channelRef(channelId, userId);
    const match = /^(\/[a-z0-9_-]+)(?:\s+([\s\S]*))?$/i.exec(typed.trim());
    const command = match?.[1]?.toLowerCase();
    if (command === '/invite') return this.invite(user.id, channel.id, match?.[2] ?? '');
    if (!command || !this.commands.includes(command)) {
      throw new SandboxFailure(`${match?.[1] ?? typed.trim()} is not a command here. Try ${this.commands.join(', ')}.`);
    }
    const fields = slashCommand({
      team_id: this.state.teamId,
      channel_id: channel.id,
      channel_name: channel.name,
      user_id: user.id,
      user_name: user.name,
      command,
      text: (match?.[2] ?? '').trim(),
      api_app_id: this.state.appId,
      response_url: this.responseUrlFor('commands', { user: user.id, channel: channel.id }),
      trigger_id: this.trigger(user.id),
    });
    const res = await postCommand(this.appUrl(), this.secret, fields);
    this.applyAck(res, { user: user.id, channel: channel.id }, command);
  }

  /** A person presses a button or picks an option in a message, a modal or their Home tab. */
  async action(userId: string, source: ActionSource, action: ActionInput, values: StateValues = {}): Promise<void> {
    const user = this.userRef(userId);
    const base = { actions: [action], user, teamId: this.state.teamId };
    let payload: Record<string, unknown>;
    if (source.type === 'message') {
      const channel = this.channelRef(source.channel, user.id);
      const ctx: ResponseContext = { user: user.id, channel: channel.id, original: { ts: source.ts, ephemeral: !!source.ephemeral } };
      if (source.ephemeral) {
        if (!this.state.ephemerals.some((e) => e.message_ts === source.ts && e.user === user.id)) throw new SandboxFailure('That message is gone.');
        payload = blockActions({ ...base, channel, container: { type: 'message', message_ts: source.ts, channel_id: channel.id, is_ephemeral: true } });
      } else {
        const message = this.state.channels.get(channel.id)?.messages.find((m) => m.ts === source.ts);
        if (!message) throw new SandboxFailure('That message is gone.');
        payload = blockActions({ ...base, channel, message: { ...message } });
      }
      payload.response_url = this.responseUrlFor('actions', ctx);
    } else {
      const view = source.type === 'home' ? this.state.homeViews.get(user.id) : this.ownView(user.id, source.viewId);
      if (!view) throw new SandboxFailure('That view is gone.');
      payload = blockActions({ ...base, view: viewInput(view, values) });
    }
    payload.trigger_id = this.trigger(user.id);
    const res = await postInteraction(this.appUrl(), this.secret, payload);
    if (res.status !== 200) this.slackbotSays(user.id, source.type === 'message' ? source.channel : `D${user.id}`, 'The app did not answer that click. Try again.');
  }

  /** A person submits the modal on top of their stack. */
  async submit(userId: string, viewId: string, values: StateValues): Promise<SubmitResult> {
    const user = this.userRef(userId);
    const view = this.ownView(user.id, viewId);
    if (!view) throw new SandboxFailure('That form is no longer open.');
    const payload = viewSubmission({ view: viewInput(view, values), user, teamId: this.state.teamId });
    payload.trigger_id = this.trigger(user.id);
    const res = await postInteraction(this.appUrl(), this.secret, payload);
    if (res.status !== 200) {
      const errors = { [this.firstInputBlock(view) ?? 'form']: 'We had some trouble connecting. Try again?' };
      this.viewErrors.set(view.id, errors);
      return { result: 'errors', errors };
    }
    this.viewErrors.delete(view.id);
    const body = ackBody(res.body);
    const action = body?.response_action;
    if (action === 'errors' && body?.errors && typeof body.errors === 'object') {
      const errors = Object.fromEntries(Object.entries(body.errors as Json).map(([k, v]) => [k, String(v)]));
      this.viewErrors.set(view.id, errors);
      return { result: 'errors', errors };
    }
    if (action === 'update' && body?.view && typeof body.view === 'object') {
      applyViewUpdate(this.state, view.id, body.view as Json);
      return { result: 'updated' };
    }
    if (action === 'push' && body?.view && typeof body.view === 'object') {
      applyViewPush(this.state, user.id, body.view as Json);
      return { result: 'pushed' };
    }
    if (action === 'clear') this.state.modalStacks.delete(user.id);
    else this.popTo(user.id, view.id);
    return { result: 'closed' };
  }

  /** A person closes (cancels) the modal on top of their stack. */
  async close(userId: string, viewId: string): Promise<void> {
    const user = this.userRef(userId);
    const view = this.ownView(user.id, viewId);
    if (!view) return;
    this.popTo(user.id, view.id);
    this.viewErrors.delete(view.id);
    if (view.notify_on_close === true) {
      await postInteraction(this.appUrl(), this.secret, viewClosed({ view: viewInput(view, {}), user, teamId: this.state.teamId }));
    }
  }

  /** A person picks a message shortcut from a message's menu. */
  async shortcut(userId: string, channelId: string, ts: string, callbackId: string): Promise<void> {
    const user = this.userRef(userId);
    const channel = this.channelRef(channelId, user.id);
    const message = this.state.channels.get(channel.id)?.messages.find((m) => m.ts === ts);
    if (!message) throw new SandboxFailure('That message is gone.');
    const payload = messageShortcut({ callback_id: callbackId, user, teamId: this.state.teamId, channel, message: { ...message } });
    payload.trigger_id = this.trigger(user.id);
    payload.response_url = this.responseUrlFor('app', { user: user.id, channel: channel.id });
    const res = await postInteraction(this.appUrl(), this.secret, payload);
    if (res.status !== 200) this.slackbotSays(user.id, channel.id, 'The app did not answer that shortcut. Try again.');
  }

  /** A person opens the app's Home tab. */
  async homeOpened(userId: string): Promise<void> {
    const user = this.userRef(userId);
    await postEvent(this.appUrl(), this.secret, eventCallback(appHomeOpened(user.id), { teamId: this.state.teamId }));
  }

  /** The person's modal with this id, when it is open for them. */
  ownView(userId: string, viewId: string): EmulatedView | undefined {
    const stack = this.state.modalStacks.get(userId) ?? [];
    return stack.includes(viewId) ? this.state.views.get(viewId) : undefined;
  }

  private popTo(userId: string, viewId: string): void {
    const stack = this.state.modalStacks.get(userId) ?? [];
    const at = stack.indexOf(viewId);
    const rest = at >= 0 ? stack.slice(0, at) : stack;
    if (rest.length === 0) this.state.modalStacks.delete(userId);
    else this.state.modalStacks.set(userId, rest);
  }

  private firstInputBlock(view: EmulatedView): string | undefined {
    const blocks = Array.isArray(view.blocks) ? (view.blocks as Json[]) : [];
    const input = blocks.find((b) => b.type === 'input' && typeof b.block_id === 'string');
    return input?.block_id as string | undefined;
  }

  /** What the app answered in the HTTP response of a slash command. */
  private applyAck(res: SlackAppResponse, ctx: ResponseContext, command: string): void {
    if (res.status !== 200) {
      this.slackbotSays(ctx.user, ctx.channel, `${command} failed with the error "dispatch_failed"`);
      return;
    }
    const body = ackBody(res.body);
    if (body && (typeof body.text === 'string' || Array.isArray(body.blocks))) this.applyMessageBody(ctx, body);
  }

  /** A response_url post (or an ack body): ephemeral by default, in_channel, replace or delete the original. */
  private applyResponse(path: string, body: unknown): void {
    const ctx = this.responseContexts.get(path);
    if (!ctx || typeof body !== 'object' || body === null) return;
    this.applyMessageBody(ctx, body as Json);
  }

  private applyMessageBody(ctx: ResponseContext, body: Json): void {
    const truthy = (v: unknown) => v === true || v === 'true';
    const text = typeof body.text === 'string' ? body.text : '';
    const blocks = Array.isArray(body.blocks) ? (body.blocks as unknown[]) : undefined;
    if (blocks && validateMessageBlocks(blocks).length > 0) {
      this.state.warn('response_url', 'invalid_blocks', ctx.channel);
      return;
    }
    const original = ctx.original;
    if (original && truthy(body.delete_original)) {
      this.removeOriginal(ctx.channel, original);
      return;
    }
    if (original && truthy(body.replace_original)) {
      if (original.ephemeral) {
        const e = this.state.ephemerals.find((x) => x.message_ts === original.ts && x.user === ctx.user);
        if (e) Object.assign(e, { text, blocks });
      } else {
        const m = this.state.channels.get(ctx.channel)?.messages.find((x) => x.ts === original.ts);
        if (m) Object.assign(m, { text, blocks });
      }
      return;
    }
    if (body.response_type === 'in_channel') {
      this.emu.addMessage(ctx.channel, { user: this.state.botUserId, text, ...(blocks ? { blocks } : {}) });
      return;
    }
    this.state.ephemerals.push({ channel: ctx.channel, user: ctx.user, message_ts: this.state.nextTs(), text, ...(blocks ? { blocks } : {}) });
  }

  private removeOriginal(channelId: string, original: { ts: string; ephemeral: boolean }): void {
    if (original.ephemeral) {
      const at = this.state.ephemerals.findIndex((e) => e.message_ts === original.ts);
      if (at >= 0) this.state.ephemerals.splice(at, 1);
      return;
    }
    const messages = this.state.channels.get(channelId)?.messages;
    const at = messages?.findIndex((m) => m.ts === original.ts) ?? -1;
    if (messages && at >= 0) messages.splice(at, 1);
  }

  /** Slack's own words to one person (a failed command or click). */
  private slackbotSays(userId: string, channelId: string, text: string): void {
    this.state.ephemerals.push({ channel: channelId, user: userId, message_ts: this.state.nextTs(), text });
    this.emu.changed();
  }
}
