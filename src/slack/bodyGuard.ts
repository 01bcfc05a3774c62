import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';

const LIMIT = 1024 * 1024;
/** Slack's rule for `x-slack-request-timestamp`: |now − timestamp| ≤ 5 minutes. */
export const TIMESTAMP_WINDOW_SECONDS = 300;

/** The parsed body is what Bolt expects (an object), or null when it is not. */
export function slackBodyIsObject(raw: string, contentType: string | undefined): boolean {
  try {
    let parsed: unknown;
    if ((contentType ?? '').startsWith('application/x-www-form-urlencoded')) {
      const qs = parseQuery(raw);
      parsed = typeof qs.payload === 'string' ? JSON.parse(qs.payload) : qs;
    } else {
      parsed = JSON.parse(raw);
    }
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    // Bolt answers unparseable bodies with 400 itself.
    return true;
  }
}

/**
 * False when a numeric `x-slack-request-timestamp` is more than five minutes away from now in
 * either direction. Bolt refuses old timestamps but accepts future ones; this adds the upper
 * bound. A missing or non-numeric header is left to Bolt (which answers 401).
 */
export function timestampInWindow(header: string | string[] | undefined, nowMs: number): boolean {
  if (typeof header !== 'string' || !/^\d+$/.test(header.trim())) return true;
  return Math.abs(Math.floor(nowMs / 1000) - Number(header)) <= TIMESTAMP_WINDOW_SECONDS;
}

export interface GuardOptions {
  /**
   * "Now" for the timestamp window, in ms. Real time by default, the same time Bolt's own check
   * (the lower bound, with the signature) uses: an injected test clock moves domain time, not
   * the time Slack signs requests with.
   */
  nowMs?: () => number;
}

export interface RequestGuard {
  /** HTTP requests whose answer has not been sent yet. */
  inFlight(): number;
  /**
   * Stops intake at once: the server accepts no new connections, idle kept-alive ones are
   * closed, and a request that still arrives on an open socket gets 503 with `connection:
   * close`. Requests in flight are answered (with `connection: close`); after `deadlineMs`
   * every connection left is closed.
   */
  stopIntake(deadlineMs: number): Promise<void>;
}

/**
 * The HTTP layer in front of Bolt's HTTPReceiver. It buffers the body (Bolt accepts a pre-read
 * `rawBody`) and answers before Bolt sees the request: 413 for bodies over 1 MB; 400 for a body
 * that parses to something other than an object (Bolt crashes on `payload=null`); 401 for a
 * timestamp outside Slack's five-minute window; 503 once intake has stopped.
 */
export function guardRequestBodies(server: Server, opts: GuardOptions = {}): RequestGuard {
  const nowMs = opts.nowMs ?? Date.now;
  const listeners = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  const open = new Set<ServerResponse>();
  let stopping = false;
  const answer = (res: ServerResponse, status: number) => {
    res.writeHead(status, stopping ? { connection: 'close' } : {});
    res.end();
  };
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (stopping) return answer(res, 503);
    open.add(res);
    res.once('close', () => open.delete(res));
    if (req.method !== 'POST') {
      for (const l of listeners) l(req, res);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > LIMIT) tooLarge = true;
      else chunks.push(c);
    });
    req.on('error', () => answer(res, 400));
    req.on('end', () => {
      if (tooLarge) return answer(res, 413);
      if (!timestampInWindow(req.headers['x-slack-request-timestamp'], nowMs())) return answer(res, 401);
      const raw = Buffer.concat(chunks);
      if (!slackBodyIsObject(raw.toString('utf8'), req.headers['content-type'])) return answer(res, 400);
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
      for (const l of listeners) l(req, res);
    });
  });
  return {
    inFlight: () => open.size,
    async stopIntake(deadlineMs) {
      stopping = true;
      // Answers still being written tell the client not to reuse the socket.
      for (const res of open) if (!res.headersSent) res.setHeader('connection', 'close');
      if (server.listening) server.close();
      server.closeIdleConnections();
      const deadline = Date.now() + deadlineMs;
      while (open.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      server.closeAllConnections();
    },
  };
}
