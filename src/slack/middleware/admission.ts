import { z } from 'zod';

/**
 * One rule for every request before Bolt reads it (HTTP and Socket Mode alike): the body has
 * the shape of what Slack sends for its kind, and it comes from the workspace this coachline
 * is installed in. Bolt itself reads `body.user.id`, `body.actions[0]` and `body.view.id`
 * without checking them, so a signed but wrongly typed payload would otherwise crash it (500).
 */
export type Admission =
  | { admitted: true; teamId: string }
  | { admitted: false; why: 'malformed'; kind: string; problem: string }
  | { admitted: false; why: 'foreign'; kind: string; teamId: string | null };

const id = z.string().min(1).max(255);
const team = z.object({ id }).nullable().optional();
const user = z.object({ id, team_id: z.string().optional() });
const view = z.object({
  id,
  callback_id: z.string().max(255),
  team_id: z.string().optional(),
  private_metadata: z.string().optional(),
  // state.values is read by the input toolkit, which answers a wrong one with inline errors.
});

const command = z.object({ command: z.string().min(2), team_id: id, user_id: id, channel_id: id, trigger_id: id, text: z.string().optional(), response_url: z.string().optional() });

const interactions = {
  block_actions: z.object({
    user,
    team,
    trigger_id: id,
    actions: z.array(z.object({ action_id: z.string().max(255), type: z.string() })).min(1),
    view: view.optional(),
    channel: z.object({ id }).optional(),
    container: z.object({}).passthrough().optional(),
    message: z.object({ ts: z.string() }).passthrough().optional(),
    response_url: z.string().optional(),
  }),
  view_submission: z.object({ user, team, view }),
  view_closed: z.object({ user, team, view }),
  shortcut: z.object({ user, team, callback_id: z.string().max(255), trigger_id: id }),
  message_action: z.object({ user, team, callback_id: z.string().max(255), trigger_id: id, channel: z.object({ id }), message: z.object({ ts: z.string() }).passthrough() }),
} as const;

const eventCallback = z.object({
  type: z.literal('event_callback'),
  team_id: z.string().optional(),
  authorizations: z.array(z.object({ team_id: z.string().nullable() })).optional(),
  event_id: id,
  event: z.object({ type: z.string() }),
});

type Body = Record<string, unknown>;

/** The workspace a well-formed request comes from, by its kind. */
function teamOf(kind: string, body: Body): string | null {
  if (kind === 'command') return (body as z.infer<typeof command>).team_id;
  if (kind === 'event_callback') {
    const e = body as z.infer<typeof eventCallback>;
    return e.authorizations?.[0]?.team_id ?? e.team_id ?? null;
  }
  const i = body as { team?: { id: string } | null; user: { team_id?: string }; view?: { team_id?: string } };
  return i.team?.id ?? i.user.team_id ?? i.view?.team_id ?? null;
}

/** What kind of request the body is: a slash command, an interaction type, or `event_callback`. */
export function requestKind(body: unknown): string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'not an object';
  const b = body as Body;
  if (typeof b.command === 'string') return 'command';
  return typeof b.type === 'string' ? b.type : 'unknown';
}

/**
 * Admits a request when its shape is right for its kind and its workspace is `installedTeam`
 * (the bot token's team from auth.test). `installedTeam` null means not known yet: no request
 * is admitted then.
 */
export function admit(body: unknown, installedTeam: string | null): Admission {
  const kind = requestKind(body);
  const schema = kind === 'command' ? command : kind === 'event_callback' ? eventCallback : (interactions as Record<string, z.ZodType>)[kind];
  if (!schema) return { admitted: false, why: 'malformed', kind, problem: 'a kind of request coachline does not take' };
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { admitted: false, why: 'malformed', kind, problem: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}` };
  }
  const teamId = teamOf(kind, body as Body);
  if (teamId === null || installedTeam === null || teamId !== installedTeam) return { admitted: false, why: 'foreign', kind, teamId };
  return { admitted: true, teamId };
}

/** The ephemeral a slash command from another workspace gets (other requests get an empty 200). */
export const FOREIGN_WORKSPACE_TEXT = 'This coachline is installed in another workspace.';
