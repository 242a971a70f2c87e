/**
 * The monitor's HTTP and WebSocket server: GET / (the page), /monitor.js,
 * /monitor.css, and the WebSocket at WS_PATH, whose pages the hub feeds.
 * Every response carries a strict Content-Security-Policy (scripts, styles and
 * connections to this origin only; no inline code), nosniff, no referrer.
 * Access (access.ts): on loopback the Host must be a loopback name; with a
 * token configured the WebSocket needs `?token=` (the page takes it from its
 * URL's #token=, which browsers never send to the server); the upgrade must come
 * from the page's own origin.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { hostAllowed, originAllowed, tokenMatches } from './access.ts';
import { pageAssets } from './assets.ts';
import type { MonitorHub } from './hub.ts';
import { WS_PATH } from './protocol.ts';

export interface MonitorServerOptions {
  hub: MonitorHub;
  host: string;
  port: number;
  token?: string;
  /** Pages connected at once, at most; default MAX_PAGES. */
  maxPages?: number;
  /** Told of refused connections and socket errors (never the token). */
  onWarn?: (what: string, detail: Record<string, unknown>) => void;
}

export interface MonitorServer {
  /** The page's address (without the token). */
  readonly url: string;
  readonly port: number;
  /** WebSocket connections refused (host, origin, token). */
  readonly refused: number;
  close(): Promise<void>;
}

export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const SECURITY_HEADERS = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

/** Pages served at once by default: a bedside gateway has a few viewers, each costing a socket buffer. */
export const MAX_PAGES = 16;

/** Keep-alive pings to the pages, ms; a page silent for two is dropped. */
const PING_MS = 15_000;

export async function startMonitorServer(o: MonitorServerOptions): Promise<MonitorServer> {
  await pageAssets(); // a broken page fails the start, not the first visitor
  let refused = 0;
  const refuse = (socket: Duplex, status: string, why: string, req: IncomingMessage) => {
    refused++;
    o.onWarn?.('monitor: WebSocket refused', { why, remote: req.socket.remoteAddress });
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  const server = createServer((req, res) => {
    serve(req, res, o.host).catch(() => {
      if (!res.headersSent) res.writeHead(500, SECURITY_HEADERS);
      res.end();
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => {});
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== WS_PATH) return refuse(socket, '404 Not Found', 'path', req);
    if (!hostAllowed(req.headers.host, o.host)) return refuse(socket, '403 Forbidden', 'host', req);
    if (!originAllowed(req.headers.origin, req.headers.host)) return refuse(socket, '403 Forbidden', 'origin', req);
    if (o.token !== undefined && !tokenMatches(url.searchParams.get('token'), o.token)) return refuse(socket, '401 Unauthorized', 'token', req);
    if (o.hub.pageCount >= (o.maxPages ?? MAX_PAGES)) return refuse(socket, '503 Service Unavailable', 'too many pages', req);
    wss.handleUpgrade(req, socket, head, (ws) => {
      alive.set(ws, true);
      ws.on('pong', () => alive.set(ws, true));
      ws.on('error', (err) => o.onWarn?.('monitor: page connection error', { err: err.message }));
      ws.on('message', () => {}); // the page sends nothing that matters
      const detach = o.hub.attach({
        send: (text) => { if (ws.readyState === ws.OPEN) ws.send(text); },
        get bufferedAmount() { return ws.bufferedAmount; },
        close: () => ws.close(1001, 'agent stopping'),
      });
      ws.on('close', detach);
    });
  });

  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) { ws.terminate(); continue; }
      alive.set(ws, false);
      ws.ping();
    }
  }, PING_MS);
  pinger.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => o.onWarn?.('monitor: server error', { err: err.message }));
  const port = (server.address() as AddressInfo).port;
  const shownHost = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    get refused() { return refused; },
    close: () => new Promise<void>((resolve) => {
      clearInterval(pinger);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, listenHost: string): Promise<void> {
  if (!hostAllowed(req.headers.host, listenHost)) {
    res.writeHead(403, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain' });
    res.end('host not allowed\n');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...SECURITY_HEADERS, Allow: 'GET, HEAD' });
    res.end();
    return;
  }
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path === '/favicon.ico') {
    res.writeHead(204, SECURITY_HEADERS);
    res.end();
    return;
  }
  const asset = (await pageAssets()).get(path === '/index.html' ? '/' : path);
  if (!asset) {
    res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain' });
    res.end('not found\n');
    return;
  }
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? asset.gzip : asset.body;
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': asset.type,
    'Content-Length': body.length,
    Vary: 'Accept-Encoding',
    ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
