/**
 * Serial byte source with reconnect: opens `path` at `baudRate`, emits the
 * bytes it reads, and when the device goes away (a 'close' with a disconnect
 * error, an error, or no data for `silenceTimeoutMs`) closes the port and tries
 * again with capped exponential backoff, for as long as it is started.
 *
 * Reference: node-serialport 13 (@serialport/stream over a binding; the binding
 * is injected, so tests run on @serialport/binding-mock and fake timers). The
 * platform binding is wrapped so that an unplugged device (a hung-up tty, which
 * reads end of file) closes the port instead of spinning in a read loop.
 * State changes ('connecting', 'open', 'waiting', 'closed') are events with a
 * reason, so the agent can report them; nothing here throws into the caller:
 * an absent device is just a long 'waiting'. Port listing is kept out of the
 * reconnect path because SerialPort.list() fails on hosts without udev.
 */
import { EventEmitter } from 'node:events';
import { Observable } from 'rxjs';
// serialport 13 builds on @serialport/stream, which takes the binding as an option.
import { SerialPortStream, type OpenOptions } from '@serialport/stream';
import type { SerialPort } from 'serialport';
import { hangupAsDisconnect } from './serial-hangup.ts';

/** A node-serialport binding (the platform's, or MockBinding in tests). */
export type SerialBinding = OpenOptions['binding'];
export type PortInfo = Awaited<ReturnType<typeof SerialPort.list>>[number];

/**
 * The platform binding, loaded on first use so that tests never load the native
 * module; a hung-up tty reads as a disconnect (see serial-hangup.ts).
 */
async function platformBinding(): Promise<SerialBinding> {
  return hangupAsDisconnect((await import('serialport')).SerialPort.binding as unknown as SerialBinding);
}

export type SerialState = 'connecting' | 'open' | 'waiting' | 'closed';

export interface SerialStateChange {
  state: SerialState;
  /** Why: 'start', 'opened', the error message, 'no data for 5000 ms', 'stopped'... */
  reason: string;
  /** For 'waiting': ms until the next attempt, and how many attempts failed in a row. */
  retryInMs?: number;
  failures?: number;
}

export interface SerialSourceOptions {
  /** Device path, e.g. /dev/ttyUSB0 or /dev/serial/by-id/... */
  path: string;
  /** Baud rate, bits/s (ours: 115200 or more; OpenView: 57600). */
  baudRate: number;
  /** Hardware access; default the platform binding of @serialport/bindings-cpp. */
  binding?: SerialBinding;
  /** First reconnect delay, ms; default 250. */
  initialBackoffMs?: number;
  /** Longest reconnect delay, ms; default 10000. */
  maxBackoffMs?: number;
  /** Reconnect when no byte arrives for this long, ms; 0 disables; default 5000. */
  silenceTimeoutMs?: number;
}

interface Events {
  data: [Uint8Array];
  state: [SerialStateChange];
}

export class SerialSource extends EventEmitter<Events> {
  private readonly options: Required<Omit<SerialSourceOptions, 'binding'>> & { binding?: SerialBinding };
  private port: SerialPortStream | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private silenceTimer: ReturnType<typeof setTimeout> | null = null;
  /** Consecutive failed attempts; sets the backoff. */
  private failures = 0;
  private started = false;
  private current: SerialStateChange = { state: 'closed', reason: 'not started' };

  constructor(options: SerialSourceOptions) {
    super();
    if (typeof options.path !== 'string' || options.path === '') {
      throw new RangeError('serial: "path" must be a device path such as /dev/ttyUSB0');
    }
    if (!Number.isInteger(options.baudRate) || options.baudRate <= 0) {
      throw new RangeError(`serial: "baudRate" is ${options.baudRate}; allowed: a positive integer such as 57600 or 115200`);
    }
    this.options = {
      initialBackoffMs: 250, maxBackoffMs: 10_000, silenceTimeoutMs: 5000, ...options,
    };
    for (const k of ['initialBackoffMs', 'maxBackoffMs', 'silenceTimeoutMs'] as const) {
      if (!(this.options[k] >= 0)) throw new RangeError(`serial: "${k}" is ${this.options[k]}; allowed: >= 0`);
    }
  }

  get state(): SerialStateChange {
    return this.current;
  }

  /** Starts connecting; idempotent. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.failures = 0;
    void this.connect('start');
  }

  /** Closes the port and stops reconnecting. */
  async stop(): Promise<void> {
    this.started = false;
    this.clearTimers();
    const port = this.port;
    this.port = null;
    if (port) await closeQuietly(port);
    this.setState({ state: 'closed', reason: 'stopped' });
  }

  private setState(s: SerialStateChange): void {
    this.current = s;
    this.emit('state', s);
  }

  private async connect(reason: string): Promise<void> {
    this.setState({ state: 'connecting', reason });
    let port: SerialPortStream;
    try {
      const binding = this.options.binding ?? (await platformBinding());
      if (!this.started) return;
      port = new SerialPortStream({ binding, path: this.options.path, baudRate: this.options.baudRate, autoOpen: false });
    } catch (err) {
      this.retry(`cannot create port: ${(err as Error).message}`);
      return;
    }
    this.port = port;
    // An 'error' with no listener would crash the process: always listen.
    port.on('error', (err) => this.lost(port, `error: ${err.message}`));
    port.on('close', (err?: Error & { disconnected?: boolean }) =>
      this.lost(port, err?.disconnected ? `disconnected: ${err.message}` : 'port closed'));
    port.on('data', (buf: Buffer) => {
      if (port !== this.port) return;
      this.armWatchdog(port);
      this.emit('data', new Uint8Array(buf.buffer, buf.byteOffset, buf.length));
    });
    port.open((err) => {
      if (port !== this.port) {
        // Stopped (or replaced) while opening: do not leave this port open.
        if (!err) void closeQuietly(port);
        return;
      }
      if (err) {
        this.port = null;
        this.retry(`open failed: ${err.message}`);
        return;
      }
      this.failures = 0;
      this.armWatchdog(port);
      this.setState({ state: 'open', reason: 'opened' });
    });
  }

  /** The port `port` failed or went silent: drop it and schedule a reconnect. */
  private lost(port: SerialPortStream, reason: string): void {
    if (port !== this.port) return;
    this.port = null;
    void closeQuietly(port);
    this.retry(reason);
  }

  private retry(reason: string): void {
    this.clearTimers();
    if (!this.started) return;
    const { initialBackoffMs, maxBackoffMs } = this.options;
    const retryInMs = Math.min(maxBackoffMs, initialBackoffMs * 2 ** this.failures);
    this.failures++;
    this.setState({ state: 'waiting', reason, retryInMs, failures: this.failures });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.started) void this.connect('retry');
    }, retryInMs);
  }

  private armWatchdog(port: SerialPortStream): void {
    const ms = this.options.silenceTimeoutMs;
    if (ms <= 0) return;
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    this.silenceTimer = setTimeout(() => {
      this.silenceTimer = null;
      this.lost(port, `no data for ${ms} ms`);
    }, ms);
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    this.retryTimer = this.silenceTimer = null;
  }
}

function closeQuietly(port: SerialPortStream): Promise<void> {
  return new Promise((resolve) => {
    if (!port.isOpen) { resolve(); return; }
    try {
      port.close(() => resolve());
    } catch {
      resolve();
    }
  });
}

/** Ports the binding lists; never throws (listing needs udev on Linux): the error is returned instead. */
export async function listSerialPorts(binding?: SerialBinding): Promise<{ ports: PortInfo[]; error?: string }> {
  try {
    const b = binding ?? (await platformBinding());
    return { ports: await b.list() };
  } catch (err) {
    return { ports: [], error: `cannot list serial ports: ${(err as Error).message}` };
  }
}

/** The source as an Observable of byte chunks: starts on subscribe, stops on unsubscribe. */
export function serialBytes(options: SerialSourceOptions, onState?: (s: SerialStateChange) => void): Observable<Uint8Array> {
  return new Observable<Uint8Array>((sub) => {
    const source = new SerialSource(options);
    source.on('data', (b) => sub.next(b));
    if (onState) source.on('state', onState);
    source.start();
    return () => { void source.stop(); };
  });
}
