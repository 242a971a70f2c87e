/**
 * A hung-up tty is a disconnect: `hangupAsDisconnect(binding)` wraps a
 * node-serialport binding so that a read on its Unix ports that returns zero
 * bytes fails with a disconnect error.
 *
 * Why: when a USB adapter is unplugged, or the far end of a pty closes, the
 * kernel hangs the tty up and every read returns 0 bytes (end of file).
 * @serialport/bindings-cpp 13's `unixRead` retries a zero-byte read at once and
 * forever (bindings-cpp issue #162; the fix, PR #164, is not merged): a CPU
 * spins, memory grows, and the port never reports the disconnect, so
 * SerialSource would not reconnect until its silence watchdog fired, and never
 * with the watchdog off. Whether the unplug is seen as an error or as a zero
 * read is a race in the kernel, so without this the reconnect worked only some
 * of the time.
 *
 * A live port never reads 0 bytes: bindings-cpp opens it O_NONBLOCK with
 * VMIN=1, so "nothing yet" is EAGAIN and the read waits on the poller. The
 * library's own read loop is reused, with a read call that turns 0 into the
 * error; ports that are not Unix ports (Windows, the mock) are left as they are.
 */
import { read } from 'node:fs';
import { promisify } from 'node:util';
// Not in the package's index; the file exists in 13.x, whose version is pinned in package.json.
import { unixRead } from '@serialport/bindings-cpp/dist/unix-read.js';
import type { SerialBinding } from './serial.ts';

type UnixReadOptions = Parameters<typeof unixRead>[0];
type UnixPort = UnixReadOptions['binding'];
type Port = Awaited<ReturnType<SerialBinding['open']>>;

const readAsync = promisify(read);

/** An error as bindings-cpp marks a disconnect (`disconnect: true`), which @serialport/stream turns into a 'close'. */
export class HangupError extends Error {
  readonly code = 'EHANGUP';
  readonly disconnect = true;
  constructor() {
    super('the device hung up: a read returned end of file (unplugged, or the other end closed)');
  }
}

/** fs.read that reports a zero-byte read as a hang-up. */
const readOrHangup = (async (fd: number, buffer: Buffer, offset: number, length: number, position: null) => {
  const result = await readAsync(fd, buffer, offset, length, position);
  if (result.bytesRead === 0) throw new HangupError();
  return result;
}) as NonNullable<UnixReadOptions['fsReadAsync']>;

function isUnixPort(port: Port): port is Port & UnixPort {
  const p = port as Partial<UnixPort>;
  return 'fd' in port && typeof p.poller === 'object' && p.poller !== null;
}

/** The binding with every Unix port it opens reading hang-ups as disconnects. */
export function hangupAsDisconnect(binding: SerialBinding): SerialBinding {
  return {
    list: () => binding.list(),
    async open(options) {
      const port = await binding.open(options);
      if (!isUnixPort(port)) return port;
      port.read = (buffer: Buffer, offset: number, length: number) =>
        unixRead({ binding: port, buffer, offset, length, fsReadAsync: readOrHangup });
      return port;
    },
  } as SerialBinding;
}
