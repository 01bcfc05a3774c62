import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';

const LIMIT = 1024 * 1024;

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
 * Bolt's HTTPReceiver crashes (and never answers) on a body that parses to something other
 * than an object, e.g. `payload=null`. This buffers the body first (Bolt accepts a pre-read
 * `rawBody`) and answers such requests with 400 before Bolt sees them.
 */
export function guardRequestBodies(server: Server): void {
  const listeners = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
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
    req.on('error', () => {
      res.writeHead(400);
      res.end();
    });
    req.on('end', () => {
      if (tooLarge) {
        res.writeHead(413);
        res.end();
        return;
      }
      const raw = Buffer.concat(chunks);
      if (!slackBodyIsObject(raw.toString('utf8'), req.headers['content-type'])) {
        res.writeHead(400);
        res.end();
        return;
      }
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
      for (const l of listeners) l(req, res);
    });
  });
}
