/** `/kickoff help`, refusals and error answers: short ephemeral messages. */
import { ESCALATION_DEFAULTS, LIMITS, OUTCOME_FORMAT, formatResponseTime, joinAnd } from '../../domain/kickoffRules';
import type { Message } from './announcement';
import { context, escapeExceptMentions, escapeMrkdwn, fallback, header, mrkdwnSection } from './blocks';

export function kickoffHelp(opts: { pulseMinResponses?: number } = {}): Message {
  const [team, program, exec] = ESCALATION_DEFAULTS;
  const days = (n: number) => formatResponseTime(n, 'business_days');
  const sections = [
    '*`/kickoff`* opens a form to announce a coaching engagement: the pain points the coach will address, what success looks like, ' +
      'who sponsors it, the coaches, the coaching level, whether the team asked for coaching (pull) or it was assigned (push), ' +
      'and the escalation lines. I post the announcement to the channels you choose, can create an engagement channel, ' +
      'tell the coaches and contacts they were named, and send you the links.',
    '*`/kickoff edit KEY`* opens the same form, filled in. Saving updates every announcement in place and adds a short “what changed” reply in its thread.',
    '*`/kickoff close KEY [note]`* marks the engagement completed and posts a closing note with the outcomes reached to the same channels.',
    '*`/kickoff pulse KEY`* sends the team an anonymous pulse now: five statements on a 1–5 scale (do they know which pain points the coach is here for, ' +
      'are those the ones that matter, can they raise problems without fear, did they want this help, is it getting better). ' +
      `Pulses also go out by themselves a week after kickoff, on the review date and at close. Results show only from ${opts.pulseMinResponses ?? 5} answers.`,
    '*`/kickoff request`* — for teams: asks for a coach. A form for the team, the pain points you see, what success would look like and how urgent it is; ' +
      'it goes to the coaching-requests channel, where a coach or an admin starts the engagement with you (the kickoff form, filled in from your request) or declines it with a reason you receive.',
    '*`/kickoff requests-channel [#channel]`* — admins: where coaching requests go (the channel it is typed in, without an argument). Until one is set, they go to the admins by DM.',
    '*`/kickoff profile`* — for coaches: your level (Associate, Agile, Senior or Staff Agile Coach) and craft strengths (agile and lean practices, coaching, facilitation, teaching). ' +
      'Announcements introduce you with it; an organisation-level engagement whose coaches are all associates asks for the sponsor’s agreement first.',
    '*`/kickoff help`* shows this message.',
    `*Pain points and outcomes* — one per line (at most ${LIMITS.painPointsMax} of each, ${LIMITS.lineMax.toLocaleString('en-US')} characters a line). ` +
      `An outcome can be plain text. To measure one: ${OUTCOME_FORMAT}, \`Deploys per week: 1 → 10\` or \`Escaped defects: 30% -> 10%\`. ` +
      'Coaches report the current value in their check-ins.',
    `*Escalation lines* — up to three levels. Left empty, level 1 (${team.name}) is the coaches with ${days(team.responseTime)} to respond, ` +
      `level 2 (${program.name}) is skipped, and the last level (${exec.name}) is the sponsor with ${days(exec.responseTime)}. ` +
      'Response times are business days (`2`) or business hours (`4h`). An impediment nobody acknowledges in time climbs to the next level.',
    '*Who can edit, close or send a pulse* — the sponsor, a coach, or a coachline admin.',
  ];
  return {
    text: escapeMrkdwn('How to use /kickoff: `/kickoff` opens the kickoff form; `/kickoff edit KEY`, `/kickoff close KEY [note]`, `/kickoff pulse KEY`, `/kickoff request`, `/kickoff profile`, `/kickoff help`.'),
    blocks: [
      header('/kickoff — announce a coaching engagement'),
      // Literal text: `->` and friends must not reach Slack as raw `>`.
      ...sections.map((s) => mrkdwnSection(escapeMrkdwn(s))),
      context([
        escapeMrkdwn('The key is how commands find an engagement (`/status KEY`): 2–40 lowercase letters, digits and dashes. Leave it empty and I make one from the name.'),
      ]),
    ],
  };
}

/**
 * "Only the sponsor (<@U1>), a coach (<@U2>, <@U3>) or a coachline admin can edit `payments`."
 * `action` and `whoCan` are written by our code; user and channel mentions stay live.
 */
export function refusal(action: string, whoCan: readonly string[]): Message {
  const who = whoCan.length ? joinAnd(whoCan.map(escapeExceptMentions), 'or') : 'a coachline admin';
  const text = `Only ${who} can ${escapeExceptMentions(action)}.`;
  return { text: fallback(text), blocks: [mrkdwnSection(`:no_entry: ${text}`)] };
}

/** A refusal or error our own code worded (it may name people): mentions stay live, nothing else is parsed. */
export function appErrorMessage(text: string): Message {
  const body = escapeExceptMentions(text);
  return { text: fallback(body), blocks: [mrkdwnSection(`:warning: ${body}`)] };
}

/** An error in words for the person. Plain text, fully escaped: it may quote what they typed. */
export function errorMessage(text: string): Message {
  const body = escapeMrkdwn(text);
  return { text: fallback(body), blocks: [mrkdwnSection(`:warning: ${body}`)] };
}
