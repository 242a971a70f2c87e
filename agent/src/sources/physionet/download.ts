/**
 * Downloads one file over HTTP(S) into place, resumable and verified:
 * the bytes go to `<file>.part`; an interrupted transfer is continued with an
 * HTTP Range request (RFC 9110 section 14) on the next attempt or run; the
 * finished file is renamed into place only if its SHA-256 is the expected one,
 * and deleted otherwise. Connection failures and 5xx answers are retried with
 * exponential backoff.
 *
 * Uses Node's built-in fetch. Limits: one file at a time; a server that ignores
 * Range is handled by starting over (200 instead of 206).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, stat, unlink } from 'node:fs/promises';

export interface DownloadOptions {
  /** Attempts after the first, on connection failures, cut transfers and 5xx. Default 3. */
  retries?: number;
  /** Wait before the first retry, ms; doubled after each. Default 500. */
  backoffMs?: number;
  /** Give up on a connection that sends nothing for this long, ms. Default 30000. */
  idleTimeoutMs?: number;
  /** Called as bytes arrive: bytes of the file on disk so far, and its size when known. */
  onBytes?: (bytesSoFar: number, totalBytes: number | undefined) => void;
}

/** The network could not be reached at all: DNS failure, refused, timed out. */
export class NetworkUnreachableError extends Error {
  override name = 'NetworkUnreachableError';
  constructor(readonly url: string, readonly reason: string) {
    super(`network unreachable: could not reach ${url} (${reason}); check the connection or use --base-url for a mirror`);
  }
}

/** A download that failed for good: HTTP error, transfer cut too often, wrong hash. */
export class DownloadError extends Error {
  override name = 'DownloadError';
}

/** Error codes that mean "no route to the server", as Node and undici report them. */
const UNREACHABLE = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH',
  'ENETDOWN', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'TIMEOUT']);

/** The innermost error code (fetch wraps socket errors as `cause`). */
function errorCode(err: unknown): string {
  let e = err as { code?: string; name?: string; cause?: unknown } | undefined;
  let code = '';
  for (let depth = 0; e && depth < 5; depth++) {
    if (e.name === 'AbortError' || e.name === 'TimeoutError') code ||= 'TIMEOUT';
    if (typeof e.code === 'string') code = e.code;
    e = e.cause as typeof e;
  }
  return code || 'UNKNOWN';
}

function describe(err: unknown): string {
  const code = errorCode(err);
  let e = err as { message?: string; cause?: unknown } | undefined;
  while (e && (e.cause as { message?: string } | undefined)?.message) e = e.cause as typeof e;
  return `${code}: ${e?.message ?? String(err)}`;
}

class HttpStatusError extends Error {
  constructor(readonly status: number, url: string) {
    super(`HTTP ${status} for ${url}`);
  }
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** GET `url`, optionally from `offset`, with an idle timeout; appends to or rewrites `partPath`. */
async function transfer(url: string, partPath: string, opts: Required<Omit<DownloadOptions, 'onBytes'>> & DownloadOptions): Promise<void> {
  const offset = await sizeOf(partPath);
  const abort = new AbortController();
  let timer = setTimeout(() => abort.abort(), opts.idleTimeoutMs);
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => abort.abort(), opts.idleTimeoutMs);
  };
  try {
    const res = await fetch(url, { headers: offset > 0 ? { range: `bytes=${offset}-` } : {}, signal: abort.signal });
    touch();
    // 416: nothing left after `offset`, the part is complete (the hash will tell).
    if (res.status === 416 && offset > 0) {
      await res.body?.cancel();
      return;
    }
    if (res.status !== 200 && res.status !== 206) {
      await res.body?.cancel();
      throw new HttpStatusError(res.status, url);
    }
    const resumed = res.status === 206 && offset > 0 && (res.headers.get('content-range') ?? '').startsWith(`bytes ${offset}-`);
    if (res.status === 206 && !resumed) {
      // A range we did not ask for: start over rather than splice wrong bytes.
      await res.body?.cancel();
      await unlink(partPath).catch(() => undefined);
      throw new Error(`unexpected Content-Range '${res.headers.get('content-range')}' for ${url}`);
    }
    const length = Number(res.headers.get('content-length') ?? Number.NaN);
    const total = Number.isFinite(length) ? length + (resumed ? offset : 0) : undefined;
    const file = await open(partPath, resumed ? 'a' : 'w');
    let written = resumed ? offset : 0;
    try {
      if (res.body) {
        for await (const chunk of res.body) {
          touch();
          await file.write(chunk);
          written += chunk.byteLength;
          opts.onBytes?.(written, total);
        }
      }
    } finally {
      await file.close();
    }
  } finally {
    clearTimeout(timer);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Downloads `url` to `dest` and checks it against `sha256`. Resolves to whether
 * the transfer continued a `.part` left by an earlier attempt or run.
 */
export async function downloadVerified(url: string, dest: string, sha256: string, options: DownloadOptions = {}): Promise<{ resumed: boolean }> {
  const opts = { retries: 3, backoffMs: 500, idleTimeoutMs: 30_000, ...options };
  const partPath = `${dest}.part`;
  let resumed = (await sizeOf(partPath)) > 0;
  for (let attempt = 0; ; attempt++) {
    try {
      await transfer(url, partPath, opts);
      break;
    } catch (err) {
      const status = err instanceof HttpStatusError ? err.status : 0;
      const retryable = status === 0 || status >= 500 || status === 429;
      if (!retryable) throw new DownloadError(err instanceof Error ? err.message : String(err));
      if (attempt >= opts.retries) {
        if (status !== 0) throw new DownloadError(`${(err as Error).message} after ${attempt + 1} attempts`);
        if (UNREACHABLE.has(errorCode(err)) && (await sizeOf(partPath)) === 0) throw new NetworkUnreachableError(url, describe(err));
        throw new DownloadError(`download of ${url} failed after ${attempt + 1} attempts (${describe(err)}); run again to resume`);
      }
      if ((await sizeOf(partPath)) > 0) resumed = true;
      await sleep(opts.backoffMs * 2 ** attempt);
    }
  }
  const actual = await sha256File(partPath);
  if (actual !== sha256) {
    await unlink(partPath);
    throw new DownloadError(`SHA-256 mismatch for ${url}: expected ${sha256}, got ${actual}; the file was deleted`);
  }
  await rename(partPath, dest);
  return { resumed };
}

/** GETs a small text file (such as SHA256SUMS.txt), with the same retries and error reports. */
export async function fetchText(url: string, options: DownloadOptions = {}): Promise<string> {
  const opts = { retries: 3, backoffMs: 500, idleTimeoutMs: 30_000, ...options };
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(opts.idleTimeoutMs) });
      if (res.status !== 200) {
        await res.body?.cancel();
        throw new HttpStatusError(res.status, url);
      }
      return await res.text();
    } catch (err) {
      const status = err instanceof HttpStatusError ? err.status : 0;
      const retryable = status === 0 || status >= 500 || status === 429;
      if (!retryable) throw new DownloadError((err as Error).message);
      if (attempt >= opts.retries) {
        if (status === 0 && UNREACHABLE.has(errorCode(err))) throw new NetworkUnreachableError(url, describe(err));
        throw new DownloadError(`could not get ${url} after ${attempt + 1} attempts (${status ? `HTTP ${status}` : describe(err)})`);
      }
      await sleep(opts.backoffMs * 2 ** attempt);
    }
  }
}
