/**
 * The readable console view of `run` on a terminal: one line per beat (about
 * one a second), events set apart (in colour on a TTY), vitals each interval.
 * Times are seconds of signal from the stream start (the sample clock).
 */
import type { Writable } from 'node:stream';
import type { RhythmEvent } from '../rhythm/types.ts';
import type { AgentSink } from './sink.ts';
import type { ClassifiedBeat } from './records.ts';
import type { Vitals } from './vitals.ts';

export interface ConsoleViewOptions {
  out: Writable;
  /** ANSI colours. Default: when `out` is a TTY. */
  color?: boolean;
  /** Model rate of beat and event samples, Hz. */
  fs: number;
}

const ANSI = { reset: '\x1b[0m', bold: '\x1b[1m', red: '\x1b[31m', yellow: '\x1b[33m', dim: '\x1b[2m', cyan: '\x1b[36m' };

const seconds = (sample: number, fs: number) => `${(sample / fs).toFixed(2).padStart(9)} s`;

export function formatBeatLine(b: ClassifiedBeat): string {
  const { beat } = b;
  const rr = beat.rrPrevMs === null ? '     -' : `${beat.rrPrevMs.toFixed(0).padStart(6)}`;
  const hr = beat.rrPrevMs === null ? '   -' : (60000 / beat.rrPrevMs).toFixed(0).padStart(4);
  const why = b.unclassified === undefined ? '' : `  (${b.unclassified === 'quality' ? `signal ${beat.quality}` : b.unclassified === 'overflow' ? 'classifier behind' : 'no model'})`;
  const p = b.probs === null ? '' : `  p=${Math.max(...b.probs).toFixed(2)}`;
  return `beat  ${seconds(beat.index, beat.fs)}  ${b.label}  RR ${rr} ms  HR ${hr} bpm${p}${why}`;
}

export function formatEventLine(e: RhythmEvent, fs: number): string {
  const span = e.phase === 'start' ? seconds(e.startSample, fs) : `${seconds(e.startSample, fs)} .. ${(e.endSample / fs).toFixed(2)} s`;
  const extra = [
    e.beats > 0 ? `${e.beats} beats` : '',
    e.hrBpm !== undefined ? `${e.hrBpm.toFixed(0)} bpm` : '',
    e.detail ?? '',
  ].filter((s) => s !== '').join(', ');
  return `EVENT ${e.type} ${e.phase}  ${span}${extra ? `  (${extra})` : ''}  id ${e.id}`;
}

export function formatVitalsLine(v: Vitals): string {
  const counts = Object.entries(v.counts).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
  return `vitals  HR ${v.hrBpm === null ? '-' : v.hrBpm.toFixed(0)} bpm over ${v.intervalS} s  (${counts || 'no beats'})`;
}

export class ConsoleView implements AgentSink {
  private readonly color: boolean;
  constructor(private readonly o: ConsoleViewOptions) {
    this.color = o.color ?? Boolean((o.out as { isTTY?: boolean }).isTTY);
  }

  /** A line of the agent's own (start-up, broker address), dimmed. */
  note(text: string): void {
    this.write(text, ANSI.cyan);
  }

  beat(b: ClassifiedBeat): void {
    this.write(formatBeatLine(b), b.label === 'N' || b.label === 'Q' ? '' : ANSI.yellow);
  }

  event(e: RhythmEvent): void {
    const severe = e.type === 'vt' || e.type === 'svt' || e.type === 'pause' || e.type === 'lead-off';
    this.write(`>>> ${formatEventLine(e, this.o.fs)}`, ANSI.bold + (severe ? ANSI.red : ANSI.yellow));
  }

  vitals(v: Vitals): void {
    this.write(formatVitalsLine(v), ANSI.dim);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private write(line: string, style: string): void {
    this.o.out.write(this.color && style ? `${style}${line}${ANSI.reset}\n` : `${line}\n`);
  }
}
