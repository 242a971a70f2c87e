/**
 * A small PhysioNet look-alike for download tests: serves a generated database
 * (random bytes from a seed) with its SHA256SUMS.txt over node:http, supports
 * Range requests, and can misbehave on request: cut a file's first transfer
 * halfway, list a wrong hash, or never answer.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeDatabase {
  baseUrl: string;
  files: Map<string, Buffer>;
  /** Every request: path and Range header. */
  log: Array<{ path: string; range: string | undefined }>;
  close(): Promise<void>;
}

export interface FakeOptions {
  /** Files whose first transfer is cut after half the body. */
  cutOnce?: string[];
  /** Files whose listed hash is not that of the bytes served. */
  wrongHash?: string[];
  /** Accept connections and never answer. */
  silent?: boolean;
}

function bytes(seed: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

/** Records 100, 101, 102 as .hea/.dat/.atr, a RECORDS file and a subfolder file. */
export function generateFiles(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  ['100', '101', '102'].forEach((r, i) => {
    files.set(`${r}.hea`, Buffer.from(`${r} 2 360 650000\n${r}.dat 212 200 11 1024 0 0 0 MLII\n`));
    files.set(`${r}.dat`, bytes(i + 1, 150_000 + 10_000 * i));
    files.set(`${r}.atr`, bytes(i + 11, 20_000));
  });
  files.set('RECORDS', Buffer.from('100\n101\n102\n'));
  files.set('x_db/x_108.dat', bytes(99, 5_000));
  return files;
}

export async function startFakePhysionet(options: FakeOptions = {}): Promise<FakeDatabase> {
  const files = generateFiles();
  const sums = [...files].map(([path, data]) => {
    const hash = createHash('sha256').update(options.wrongHash?.includes(path) ? Buffer.from('other') : data).digest('hex');
    return `${hash} ${path}\n`;
  }).join('');
  const cutPending = new Set(options.cutOnce ?? []);
  const log: FakeDatabase['log'] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').replace(/^\/db\//, ''));
    log.push({ path, range: req.headers.range });
    if (options.silent) return;
    const data = path === 'SHA256SUMS.txt' ? Buffer.from(sums) : files.get(path);
    if (!data) {
      res.writeHead(404).end('not found');
      return;
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    let start = 0;
    if (range) {
      start = Number(range[1]);
      if (start >= data.length) {
        res.writeHead(416, { 'content-range': `bytes */${data.length}` }).end();
        return;
      }
      res.writeHead(206, { 'content-length': data.length - start, 'content-range': `bytes ${start}-${data.length - 1}/${data.length}` });
    } else {
      res.writeHead(200, { 'content-length': data.length });
    }
    const body = data.subarray(start);
    if (cutPending.delete(path)) {
      // Half the body, then the connection drops: the client sees a short transfer.
      res.write(body.subarray(0, body.length >> 1), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/db/`,
    files,
    log,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A URL on a local port where nothing listens. */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/db/`;
}
