/**
 * Signed requests shaped exactly like Slack's, for driving the real Bolt app
 * over HTTP: `x-slack-signature: v0=HMAC_SHA256(secret, "v0:" + ts + ":" + rawBody)`.
 */
import { createHmac } from 'node:crypto';

export type SlackContentType = 'application/x-www-form-urlencoded' | 'application/json';

export interface SlackSignatureHeaders {
  'x-slack-request-timestamp': string;
  'x-slack-signature': string;
}

export interface SlackAppResponse {
  status: number;
  body: string;
  headers: Headers;
  /** The body parsed as JSON (throws if it is not JSON). */
  json(): unknown;
}

export interface PostOptions {
  /** Request timestamp in seconds (default: now). */
  ts?: number;
  /** Send this signature instead of the correct one (for rejection tests). */
  signature?: string;
  /** Extra or overriding headers, e.g. x-slack-retry-num. */
  headers?: Record<string, string>;
}

export function computeSignature(secret: string, body: string, ts: number | string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
}

export function signRequest(secret: string, body: string, ts: number = Math.floor(Date.now() / 1000)): SlackSignatureHeaders {
  return {
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': computeSignature(secret, body, ts),
  };
}

export async function postToSlackApp(
  url: string,
  secret: string,
  body: string,
  contentType: SlackContentType,
  opts: PostOptions = {},
): Promise<SlackAppResponse> {
  const signed = signRequest(secret, body, opts.ts);
  if (opts.signature !== undefined) signed['x-slack-signature'] = opts.signature;
  const response = await fetch(url, {
    method: 'POST',
    // Exactly the content-type Slack sends: Bolt answers 400 to "…; charset=utf-8" on form bodies.
    headers: { 'content-type': contentType, 'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)', ...signed, ...opts.headers },
    body,
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text,
    headers: response.headers,
    json: () => JSON.parse(text) as unknown,
  };
}

/** Form-encode like Slack: application/x-www-form-urlencoded, spaces as '+'. */
export function formEncode(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** A slash command: the fields form-encoded, as Slack posts them. */
export function postCommand(
  url: string,
  secret: string,
  fields: Record<string, string>,
  opts?: PostOptions,
): Promise<SlackAppResponse> {
  return postToSlackApp(url, secret, formEncode(fields), 'application/x-www-form-urlencoded', opts);
}

/** An interaction (block_actions, view_submission, shortcut…): form field `payload=<JSON>`. */
export function postInteraction(url: string, secret: string, payload: object, opts?: PostOptions): Promise<SlackAppResponse> {
  return postToSlackApp(url, secret, formEncode({ payload: JSON.stringify(payload) }), 'application/x-www-form-urlencoded', opts);
}

/** An Events API request (event_callback or url_verification): a JSON body. */
export function postEvent(url: string, secret: string, envelope: object, opts?: PostOptions): Promise<SlackAppResponse> {
  return postToSlackApp(url, secret, JSON.stringify(envelope), 'application/json', opts);
}
