/**
 * Where the simulator's bytes go: stdout, a file, or a pseudo-terminal made by
 * socat (`socat pty,raw,echo=0 STDIO`: what we write to socat's stdin comes out
 * of the pty, which a serial reader opens like a device). Writes respect
 * back-pressure, so a slow reader slows the simulator instead of filling memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, lstatSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { UsageError } from '../errors.ts';

export interface Sink {
  write(bytes: Uint8Array): Promise<void>;
  /** `completed`: the stream ended as asked (or was stopped); false when it failed part way. */
  close(completed?: boolean): Promise<void>;
  /** The pty a reader should open (pty sink only). */
  ptyPath?: string;
}

/** Resolves on 'drain', rejects on 'error'; removes both listeners either way. */
function drained(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      stream.off('drain', done);
      stream.off('error', done);
      if (err) reject(err); else resolve();
    };
    stream.on('drain', done);
    stream.on('error', done);
  });
}

function streamSink(stream: Writable, closeStream: boolean, child?: ChildProcess, what?: string): Sink {
  let failure: Error | null = null;
  stream.on('error', (err) => { failure = what ? new Error(`cannot write ${what}: ${err.message}`) : err; });
  return {
    async write(bytes) {
      if (failure) throw failure;
      // The 'error' listener above runs first, so a failed drain rethrows the named failure.
      if (!stream.write(bytes)) await drained(stream).catch((err: Error) => { throw failure ?? err; });
    },
    async close() {
      if (closeStream && !stream.destroyed) {
        stream.end();
        await once(stream, 'finish').catch(() => undefined);
      }
      if (child && child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
  };
}

export function stdoutSink(): Sink {
  return streamSink(process.stdout, false);
}

/**
 * Writes to a temporary file beside `path`, renamed over it once the stream
 * completes: a run that fails part way (a short record, a full disk) leaves a
 * file that was already at `path` as it was.
 */
export async function fileSink(path: string): Promise<Sink> {
  // A device or a FIFO (/dev/ttyS1, a named pipe) is written as it is: nothing to keep, nothing to rename over.
  const existing = await stat(path).catch(() => null);
  if (existing !== null && !existing.isFile()) return openedSink(path, path, () => Promise.resolve());
  const partial = `${path}.partial-${process.pid}`;
  return openedSink(partial, path, async (completed) => {
    if (completed) await rename(partial, path);
    else await rm(partial, { force: true });
  });
}

async function openedSink(file: string, path: string, finish: (completed: boolean) => Promise<void>): Promise<Sink> {
  const stream = createWriteStream(file);
  await Promise.race([once(stream, 'open'), once(stream, 'error').then(([e]) => {
    throw new Error(`cannot write ${path}: ${(e as Error).message}`);
  })]);
  const inner = streamSink(stream, true, undefined, path);
  return {
    write: (bytes) => inner.write(bytes),
    async close(completed = true) {
      await inner.close();
      await finish(completed);
    },
  };
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Starts socat and resolves once it has printed the pty's path. `link`: a stable symlink to it. */
export async function ptySink(link?: string): Promise<Sink> {
  const pty = `pty,raw,echo=0${link ? `,link=${link}` : ''}`;
  let child: ChildProcess;
  try {
    child = spawn('socat', ['-d', '-d', pty, 'STDIO'], { stdio: ['pipe', 'ignore', 'pipe'] });
  } catch (err) {
    throw new Error(`cannot start socat (needed for --pty): ${(err as Error).message}`);
  }
  let text = '';
  const path = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socat printed no pty path within 5 s: ${text.trim()}`)), 5000);
    child.on('error', (err) => { clearTimeout(timer); reject(new Error(`cannot start socat (needed for --pty; apt-get install socat): ${err.message}`)); });
    child.stderr!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /PTY is (\S+)/.exec(text);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`socat exited (${code}): ${text.trim()}`)); });
  });
  child.stderr!.resume();
  // socat names the pty before it makes the link, and exits when it cannot: say so instead of printing a link that is not there.
  if (link !== undefined) {
    for (let i = 0; i < 100 && child.exitCode === null && !isLink(link); i++) await new Promise((r) => setTimeout(r, 20));
    if (!isLink(link)) {
      child.kill('SIGKILL');
      const lines = text.trim().split('\n');
      const why = (lines.filter((l) => / E /.test(l)).at(-1) ?? lines.at(-1) ?? '').replace(/^.* E /, '');
      throw new UsageError(`--pty-link ${link}: socat could not make the link${why ? ` (${why})` : ''}`);
    }
  }
  const sink = streamSink(child.stdin!, true, child);
  return { ...sink, ptyPath: link ?? path };
}
