/**
 * `arrhythminet simulate`: streams a WFDB record or the synthetic ECG as ADS1292
 * bridge output (our framed format or OpenView packets) to stdout, a file or a
 * pseudo-terminal, optionally in real time and with injected faults, so the
 * serial path of the agent can be exercised without hardware.
 */
import type { Command } from '../command.ts';
import { parseCommandArgs } from '../args.ts';
import { EXIT_OK, UsageError } from '../errors.ts';
import { ByteFaults, faultFlags, parseInterval, parseRate, type Interval } from '../simulate/faults.ts';
import { FrameStream, type WireFormat } from '../simulate/frame-stream.ts';
import { fileSink, ptySink, stdoutSink, type Sink } from '../simulate/output.ts';
import { recordSource, type SignalSource } from '../simulate/signal-source.ts';
import { syntheticSource } from '../simulate/synthetic-source.ts';
import { ALLOWED_RATES_SPS, OPENVIEW_PRESETS } from '../../sources/ads1292/index.ts';

const usage = `arrhythminet simulate [--record R|--synthetic] [--format ours|openview] [--rate 500] [--out FILE|--pty]
                      [--realtime] [--duration S] [--drop-bytes RATE] [--bit-flips RATE]
                      [--lead-off START:DURATION]... [--saturate START:DURATION]... [--seed N]
                      [--layout ${Object.keys(OPENVIEW_PRESETS).join('|')}] [--samples-per-frame N] [--ecg-channel 1|2] [--pty-link PATH]

  --record R        WFDB record path (../shared/data/mitdb/100) or name in $MITDB_DIR; its MLII lead
                    (V5 where there is none) is resampled to --rate
  --synthetic       the synthetic ECG instead (default when no --record), generated at --rate
  --seed N          seeds the synthetic ECG and the byte faults (default 1)
  --format          ours (default; docs/serial-protocol.md) or openview (ProtoCentral packets, 125 SPS)
  --rate SPS        device rate: ${ALLOWED_RATES_SPS.join(', ')} (default 500; openview: 125)
  --out FILE        write to FILE; --pty: to a pseudo-terminal made by socat, whose path is printed
                    (--pty-link PATH adds a stable symlink); default stdout (not a terminal)
  --realtime        pace output at the device rate (default: as fast as possible)
  --duration S      seconds of signal (default: the whole record; synthetic: 60, endless with --realtime)
  --drop-bytes RATE, --bit-flips RATE   probability per byte of dropping it / flipping one bit
  --lead-off, --saturate START:DURATION  seconds; reported the way the ADS1292 does (repeatable)
  --ecg-channel 1|2 our format's channel carrying the ECG (default 2, as on the ADS1292R and as
                    run's source.ecgChannel defaults; the other channel is zero)
Ctrl-C stops cleanly.`;

export interface SimulateOptions {
  record?: string;
  format: WireFormat;
  fsHz: number;
  layout: string;
  samplesPerFrame: number;
  ecgChannel: 1 | 2;
  out?: string;
  pty: boolean;
  ptyLink?: string;
  realtime: boolean;
  durationSec: number;
  dropRate: number;
  flipRate: number;
  leadOff: Interval[];
  saturate: Interval[];
  seed: number;
}

function positive(option: string, text: string | undefined, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    throw new UsageError(`${option} is '${text}'; allowed: a ${integer ? 'positive integer' : 'number > 0'}`);
  }
  return v;
}

/** Parses and checks the command line; every error is a UsageError naming the option. */
export function parseSimulateArgs(args: string[]): SimulateOptions {
  const { values, positionals } = parseCommandArgs(args, {
    record: { type: 'string' }, synthetic: { type: 'boolean' }, format: { type: 'string' }, rate: { type: 'string' },
    out: { type: 'string' }, pty: { type: 'boolean' }, 'pty-link': { type: 'string' }, realtime: { type: 'boolean' },
    duration: { type: 'string' }, 'drop-bytes': { type: 'string' }, 'bit-flips': { type: 'string' },
    'lead-off': { type: 'string', multiple: true }, saturate: { type: 'string', multiple: true },
    seed: { type: 'string' }, layout: { type: 'string' }, 'samples-per-frame': { type: 'string' }, 'ecg-channel': { type: 'string' },
  }, false);
  void positionals;
  try {
    if (values.record !== undefined && values.synthetic) throw new UsageError('give --record R or --synthetic, not both');
    if (values.out !== undefined && values.pty) throw new UsageError('give --out FILE or --pty, not both');
    const format = (values.format ?? 'ours') as WireFormat;
    if (format !== 'ours' && format !== 'openview') throw new UsageError(`--format is '${values.format}'; allowed: ours, openview`);
    const layout = values.layout ?? 'healthypi-v3';
    if (!(layout in OPENVIEW_PRESETS)) throw new UsageError(`--layout is '${layout}'; allowed: ${Object.keys(OPENVIEW_PRESETS).join(', ')}`);
    const fsHz = positive('--rate', values.rate, true) ?? (format === 'openview' ? OPENVIEW_PRESETS[layout].fsHz : 500);
    if (format === 'ours' && !(ALLOWED_RATES_SPS as readonly number[]).includes(fsHz)) {
      throw new UsageError(`--rate is ${fsHz}; allowed: ${ALLOWED_RATES_SPS.join(', ')} (the ADS1292's data rates)`);
    }
    if (format === 'openview' && fsHz !== OPENVIEW_PRESETS[layout].fsHz) {
      throw new UsageError(`--rate is ${fsHz}; OpenView (${layout}) streams at ${OPENVIEW_PRESETS[layout].fsHz} SPS only`);
    }
    const samplesPerFrame = positive('--samples-per-frame', values['samples-per-frame'], true) ?? 10;
    if (samplesPerFrame > 255) throw new UsageError(`--samples-per-frame is ${samplesPerFrame}; allowed: 1..255`);
    const ecgChannel = Number(values['ecg-channel'] ?? 2);
    if (ecgChannel !== 1 && ecgChannel !== 2) throw new UsageError(`--ecg-channel is '${values['ecg-channel']}'; allowed: 1, 2`);
    const realtime = values.realtime ?? false;
    const defaultDuration = values.record !== undefined || realtime ? Infinity : 60;
    return {
      record: values.record, format, fsHz, layout, samplesPerFrame, ecgChannel,
      out: values.out, pty: values.pty ?? false, ptyLink: values['pty-link'], realtime,
      durationSec: positive('--duration', values.duration, false) ?? defaultDuration,
      dropRate: values['drop-bytes'] === undefined ? 0 : parseRate('--drop-bytes', values['drop-bytes']),
      flipRate: values['bit-flips'] === undefined ? 0 : parseRate('--bit-flips', values['bit-flips']),
      leadOff: (values['lead-off'] ?? []).map((s) => parseInterval('--lead-off', s)),
      saturate: (values.saturate ?? []).map((s) => parseInterval('--saturate', s)),
      seed: positive('--seed', values.seed, true) ?? 1,
    };
  } catch (err) {
    throw err instanceof RangeError ? new UsageError(err.message) : err;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function openSink(o: SimulateOptions): Promise<Sink> {
  if (o.out !== undefined) return fileSink(o.out);
  if (o.pty) {
    const sink = await ptySink(o.ptyLink);
    process.stdout.write(`${sink.ptyPath}\n`);
    return sink;
  }
  if (process.stdout.isTTY) {
    throw new UsageError('refusing to write binary frames to a terminal; use --out FILE, --pty, or a pipe');
  }
  return stdoutSink();
}

/** Runs the simulation; resolves with a summary line. `stop` ends it early (Ctrl-C). */
export async function simulate(o: SimulateOptions, stop: { requested: boolean } = { requested: false }): Promise<string> {
  const chunkSec = o.realtime ? 0.1 : 10;
  const source: SignalSource = o.record !== undefined
    ? await recordSource(o.record, o.fsHz, chunkSec)
    : syntheticSource(o.fsHz, o.seed, chunkSec);
  const frames = new FrameStream({ format: o.format, fsHz: o.fsHz, layout: o.layout, samplesPerFrame: o.samplesPerFrame, ecgChannel: o.ecgChannel });
  const faults = new ByteFaults(o.dropRate, o.flipRate, o.seed);
  const total = o.durationSec === Infinity ? Infinity : Math.round(o.durationSec * o.fsHz);
  const sink = await openSink(o);
  // Paced on the monotonic clock, like the sources: a wall-clock step (NTP) must
  // neither stall the stream nor release a burst.
  const t0 = performance.now();
  let samples = 0;
  let bytes = 0;
  const write = async (encoded: Uint8Array[]): Promise<number> => {
    let n = 0;
    for (const f of encoded) {
      const out = faults.apply(f);
      n += out.length;
      await sink.write(out);
    }
    return n;
  };
  let completed = false;
  try {
    for await (const chunk of source.chunks) {
      if (stop.requested || samples >= total) break;
      const mv = chunk.subarray(0, Math.min(chunk.length, total - samples));
      const flags = faultFlags(samples, mv.length, o.fsHz, o.leadOff, o.saturate);
      samples += mv.length;
      bytes += await write(frames.push(mv, flags));
      if (o.realtime) await sleep(t0 + (samples * 1000) / o.fsHz - performance.now());
    }
    bytes += await write(frames.flush());
    completed = true;
  } finally {
    await sink.close(completed);
  }
  const faultText = faults.active ? `; faults: ${faults.dropped} bytes dropped, ${faults.flipped} bits flipped` : '';
  return `simulate: ${source.label}, ${o.format}: ${samples} samples (${(samples / o.fsHz).toFixed(1)} s), ${frames.frames} frames, ${bytes} bytes${faultText}`;
}

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'stream a record or synthetic ECG as ADS1292 frames',
  usage,
  async run(args) {
    const options = parseSimulateArgs(args);
    const stop = { requested: false };
    const onSignal = () => { stop.requested = true; };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      process.stderr.write(`${await simulate(options, stop)}\n`);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    return EXIT_OK;
  },
};
