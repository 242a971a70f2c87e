/**
 * Who may see the monitor page's data. On loopback (the default) the page is
 * open to local users; on any other address a token is required, compared in
 * constant time (both sides hashed to SHA-256 first, so neither the length
 * nor a prefix leaks through timing). The WebSocket upgrade also checks that
 * its Origin is the page's own host, so another web site open in the same
 * browser cannot read the stream (the WebSocket is not bound by CORS), and
 * the Host header is checked on loopback against DNS rebinding.
 * Limits: plain HTTP; off loopback, put TLS in front (a reverse proxy) so the
 * token does not travel in the clear.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/** Shortest token accepted, characters. */
export const MIN_TOKEN_CHARS = 16;

/** True for addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/** Constant-time comparison of a presented token with the configured one. */
export function tokenMatches(presented: string | null | undefined, expected: string): boolean {
  if (typeof presented !== 'string') return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The host name of a Host header or Origin URL's authority (port and brackets removed). */
function hostName(authority: string): string {
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(authority);
  if (m) return m[1];
  const i = authority.lastIndexOf(':');
  return i >= 0 && authority.indexOf(':') === i ? authority.slice(0, i) : authority;
}

/**
 * Whether a request's Host header may be served. On loopback only loopback
 * names are (a rebound DNS name pointing at 127.0.0.1 is refused); when
 * listening elsewhere any host is, the token being the guard.
 */
export function hostAllowed(hostHeader: string | undefined, listenHost: string): boolean {
  if (hostHeader === undefined) return false;
  return isLoopbackHost(listenHost) ? isLoopbackHost(hostName(hostHeader)) : true;
}

/** Whether a WebSocket upgrade comes from the page itself: its Origin names the same host and port. */
export function originAllowed(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true; // not a browser (curl, a test client): nothing to protect from
  if (hostHeader === undefined) return false;
  try {
    return new URL(origin).host === new URL(`http://${hostHeader}`).host;
  } catch {
    return false;
  }
}
