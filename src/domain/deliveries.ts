/**
 * What the domain asks to be delivered to Slack. Services commit these to the
 * outbox together with the change that caused them; src/slack/delivery turns
 * each into Web API calls. Messages are rendered when sent, from the stored
 * state, unless the item carries its own text (a snapshot).
 */
export interface RenderedMessage {
  text: string;
  blocks?: unknown[];
}

export type Delivery =
  /** Post the announcement in a channel (join first when public and needed; pin in the engagement channel). */
  | { kind: 'announce'; engagementId: number; channelId: string }
  /** Re-render an announcement in place after an edit or close. */
  | { kind: 'announce_update'; engagementId: number; channelId: string }
  /** A reply in an announcement's thread (e.g. "what changed"). */
  | { kind: 'announce_reply'; engagementId: number; channelId: string; message: RenderedMessage }
  /** A new top-level message in a channel (e.g. the closing note). */
  | {
      kind: 'channel_message';
      /** Absent for a shared portfolio (it belongs to no engagement). */
      engagementId?: number;
      channelId: string;
      message: RenderedMessage;
      /** "Share in channel": who shared it (told by DM when it cannot be posted there). */
      sharedBy?: string;
    }
  /** Create the engagement channel, invite sponsor and coaches, then announce and pin there. */
  | { kind: 'create_channel'; engagementId: number; name: string; inviteIds: string[] }
  | { kind: 'invite'; engagementId: number; channelId: string; userIds: string[] }
  | { kind: 'pin'; engagementId: number; channelId: string }
  /** A direct message to one person. */
  | {
      kind: 'dm';
      userId: string;
      message: RenderedMessage;
      engagementId?: number;
      /** About a failed delivery: never itself reported. */
      notice?: boolean;
      /** A team pulse's invitation or reminder: forgotten once the pulse closes (it says who was asked, and who had not answered). */
      pulseId?: number;
    }
  /** Post or refresh the sponsor's confirmation (permalinks as they arrive). */
  | { kind: 'confirmation'; engagementId: number }
  /** Post an impediment's card to a channel (or a coach's DM, by user id). */
  | { kind: 'impediment_card'; engagementId: number; impedimentId: number; target: string }
  /** Re-render one card of an impediment in place. */
  | { kind: 'impediment_card_update'; engagementId: number; impedimentId: number; target: string }
  /** Re-publish a person's App Home dashboard. */
  | { kind: 'home'; userId: string; engagementId?: number }
  /** Find who a team pulse asks (the engagement channel's members, or the kickoff's Team field) and DM each of them once. */
  | { kind: 'pulse_invite'; engagementId: number; pulseId: number }
  /** Post a coaching request (with Start engagement / Decline) to the requests channel or an admin's DM. */
  | { kind: 'request_post'; requestId: number; target: string }
  /** Re-render a posted coaching request in place (started or declined). */
  | { kind: 'request_update'; requestId: number; target: string }
  /** Tell the requester their request became an engagement, with the announcement's link. */
  | { kind: 'request_started'; requestId: number }
  /** One line in the thread of one card of an impediment. */
  | { kind: 'impediment_thread'; engagementId: number; impedimentId: number; target: string; message: RenderedMessage };

export type DeliveryKind = Delivery['kind'];

/** Items to one destination keep their order: one Slack conversation, one key. */
export function orderKeyFor(d: Delivery, sponsorId?: string): string {
  switch (d.kind) {
    case 'dm':
      return `user:${d.userId}`;
    case 'home':
      return `home:${d.userId}`;
    case 'confirmation':
      return `user:${sponsorId ?? 'sponsor'}`;
    case 'create_channel':
      return `engagement-channel:${d.engagementId}`;
    case 'pulse_invite':
      return `pulse:${d.pulseId}`;
    case 'request_post':
    case 'request_update':
      // An update must follow its post.
      return `request:${d.requestId}:${d.target}`;
    case 'request_started':
      return `request:${d.requestId}:requester`;
    case 'impediment_card':
    case 'impediment_card_update':
    case 'impediment_thread':
      // A card's update and thread lines must follow the card itself.
      return `impediment:${d.impedimentId}:${d.target}`;
    default:
      return `channel:${d.channelId}`;
  }
}
