/**
 * A fake Socket Mode endpoint (what apps.connections.open points at).
 *
 * Behaves like Slack's as @slack/socket-mode 3.1 expects it: on connect it
 * sends `{ type: 'hello', … }` (the client resolves start() on it); envelopes
 * carry an `envelope_id` that the client acks with `{ envelope_id, payload? }`;
 * `{ type: 'disconnect', reason }` makes the client close and reconnect through
 * apps.connections.open. The `ws` server answers the client's pings itself.
 *
 *   const sock = await startSocketServer();
 *   emulator.setSocketUrl(sock.url);
 *   … start the app with socketMode: true, appToken: 'xapp-…', clientOptions: { slackApiUrl: emulator.url }
 *   await sock.connected;
 *   const ack = await sock.sendSlashCommand(slashCommand({ text: 'help' }));
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';

export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export interface SendOptions {
  /** How long to wait for the ack (default 5000 ms). */
  timeoutMs?: number;
  accepts_response_payload?: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface SocketServerOptions {
  appId?: string;
  /** Send a WebSocket ping this often (Slack pings; the client then expects one every 30 s). Default: never. */
  pingIntervalMs?: number;
}

export interface FakeSocketServer {
  /** ws://127.0.0.1:PORT/ — give it to emulator.setSocketUrl(). */
  readonly url: string;
  /** Resolves once a client has connected and been sent hello. */
  readonly connected: Promise<void>;
  /** Open connections right now. */
  readonly connectionCount: number;
  /** Connections accepted so far (reconnects included). */
  readonly totalConnections: number;
  /** Every message received from clients, parsed. */
  readonly received: unknown[];
  /** Send an envelope (an envelope_id is added if missing) and wait for its ack. */
  send(envelope: Record<string, unknown>, opts?: SendOptions): Promise<SocketAck>;
  sendSlashCommand(fields: Record<string, string>, opts?: SendOptions): Promise<SocketAck>;
  sendInteractive(payload: Record<string, unknown>, opts?: SendOptions): Promise<SocketAck>;
  sendEvent(eventCallback: Record<string, unknown>, opts?: SendOptions): Promise<SocketAck>;
  /** Ask connected clients to reconnect, as Slack does when it recycles a connection. */
  sendDisconnect(reason?: 'refresh_requested' | 'warning' | 'link_disabled'): void;
  /** Resolves when at least `n` connections have been accepted in total. */
  waitForConnections(n: number, timeoutMs?: number): Promise<void>;
  /** Kill the TCP connections without a close handshake. */
  terminateConnections(): void;
  close(): Promise<void>;
}

interface Pending {
  resolve: (ack: SocketAck) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export async function startSocketServer(opts: SocketServerOptions = {}): Promise<FakeSocketServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', () => resolve());
    wss.once('error', reject);
  });
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`;
  const appId = opts.appId ?? 'A1';
  const open = new Set<WebSocket>();
  const pending = new Map<string, Pending>();
  const received: unknown[] = [];
  const connectionWaiters: Array<{ n: number; resolve: () => void }> = [];
  let total = 0;
  let latest: WebSocket | undefined;
  let markConnected: () => void = () => {};
  const connected = new Promise<void>((resolve) => {
    markConnected = resolve;
  });

  wss.on('connection', (ws) => {
    open.add(ws);
    latest = ws;
    total += 1;
    let pinger: NodeJS.Timeout | undefined;
    if (opts.pingIntervalMs) pinger = setInterval(() => ws.ping(`ping-${Date.now()}`), opts.pingIntervalMs);
    ws.on('close', () => {
      open.delete(ws);
      if (pinger) clearInterval(pinger);
      if (latest === ws) latest = [...open].pop();
    });
    ws.on('error', () => ws.terminate());
    ws.on('message', (data: RawData) => {
      let message: unknown;
      try {
        message = JSON.parse(data.toString());
      } catch {
        received.push(data.toString());
        return;
      }
      received.push(message);
      const ack = message as Partial<SocketAck>;
      const waiter = typeof ack.envelope_id === 'string' ? pending.get(ack.envelope_id) : undefined;
      if (waiter && typeof ack.envelope_id === 'string') {
        pending.delete(ack.envelope_id);
        clearTimeout(waiter.timer);
        waiter.resolve(ack as SocketAck);
      }
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: open.size,
        debug_info: { host: 'applink-emulator-1', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: appId },
      }),
      () => {
        markConnected();
        for (const w of connectionWaiters.filter((x) => total >= x.n)) {
          connectionWaiters.splice(connectionWaiters.indexOf(w), 1);
          w.resolve();
        }
      },
    );
  });

  async function send(envelope: Record<string, unknown>, o: SendOptions = {}): Promise<SocketAck> {
    const envelopeId = typeof envelope.envelope_id === 'string' ? envelope.envelope_id : randomUUID();
    const timeoutMs = o.timeoutMs ?? 5000;
    if (!latest) {
      await Promise.race([
        connected,
        new Promise((_, reject) => setTimeout(() => reject(new Error('no Socket Mode client connected')), timeoutMs).unref()),
      ]);
    }
    const ws = latest;
    if (!ws) throw new Error('no Socket Mode client connected');
    return new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(envelopeId);
        reject(new Error(`no ack for envelope ${envelopeId} (${String(envelope.type)}) within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(envelopeId, { resolve, reject, timer });
      ws.send(JSON.stringify({ ...envelope, envelope_id: envelopeId }), (err) => {
        if (!err) return;
        clearTimeout(timer);
        pending.delete(envelopeId);
        reject(err);
      });
    });
  }

  return {
    url,
    connected,
    get connectionCount() {
      return open.size;
    },
    get totalConnections() {
      return total;
    },
    received,
    send,
    sendSlashCommand: (fields, o = {}) =>
      send({ type: 'slash_commands', payload: fields, accepts_response_payload: o.accepts_response_payload ?? true }, o),
    sendInteractive: (payload, o = {}) =>
      send(
        {
          type: 'interactive',
          payload,
          // Slack accepts a response payload in the ack for view submissions (response_action), not for block actions.
          accepts_response_payload: o.accepts_response_payload ?? payload.type === 'view_submission',
        },
        o,
      ),
    sendEvent: (eventCallback, o = {}) =>
      send(
        {
          type: 'events_api',
          payload: eventCallback,
          accepts_response_payload: o.accepts_response_payload ?? false,
          retry_attempt: o.retry_attempt ?? 0,
          retry_reason: o.retry_reason ?? '',
        },
        o,
      ),
    sendDisconnect(reason = 'refresh_requested') {
      const message = JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-emulator-1' } });
      for (const ws of open) ws.send(message);
    },
    waitForConnections(n, timeoutMs = 5000) {
      if (total >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${n} connections, saw ${total}`)), timeoutMs);
        connectionWaiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    terminateConnections() {
      for (const ws of open) ws.terminate();
    },
    async close() {
      for (const p of pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error('socket server closed'));
      }
      pending.clear();
      for (const ws of open) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
