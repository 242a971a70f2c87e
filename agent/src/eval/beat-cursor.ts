/**
 * One annotation list read beat by beat, as bxb's getref() and gettest() read
 * theirs: the current and next beat, the RR interval ending at the current one,
 * and the shutdown and VF intervals met on the way.
 *
 * Reference: WFDB 10.7 `bxb.c` getref(), gettest(), rpann(), tpann().
 * Limits: like bxb, it remembers only the two latest shutdown and VF intervals,
 * which is enough because it is asked only about times near the current beat.
 */
import type { EvalAnnotation } from './beat-match.ts';
import { isShutdownNoise, NOISE, VF_OFF, VF_ON, type ClassOf, type EvalClass } from './labels.ts';

/** bxb's sentinel for "no more annotations". */
export const HUGE = 0x7fffffff;

/** getref()/gettest() of bxb: walks one list beat by beat, tracking VF and shutdown. */
export class BeatCursor {
  private i = 0;
  /** Current (T, A) and next (T', A') beat; 0 and null before the first read, as bxb's statics. */
  time = 0; cls: EvalClass | '*' | null = null;
  nextTime = 0; nextCls: EvalClass | '*' | null = null;
  /** RR interval ending at the current beat, samples; 0 when not valid. */
  rrSamples = 0;
  /** Latest and previous shutdown and VF intervals, sample numbers; -1 where none yet. */
  private sdOn = -1; private sdOff = -1; private vfOn = -1; private vfOff = -1;
  private pSdOn = -1; private pSdOff = -1; private pVfOn = -1; private pVfOff = -1;
  /** Shutdown tally (test side only), samples; starts at half a second so bxb's truncation rounds. */
  shutdownSamples: number;

  constructor(
    private readonly anns: readonly EvalAnnotation[],
    private readonly classOf: ClassOf,
    private readonly isTest: boolean,
    private readonly matchWindowSamples: number,
    private readonly endSample: number | null,
    halfSecond: number,
  ) {
    this.shutdownSamples = halfSecond;
  }

  advance(): void {
    const prev = this.time;
    this.time = this.nextTime;
    this.cls = this.nextCls;
    const t = this.time;
    const crosses = (on: number) => prev <= on && on < t;
    this.rrSamples = prev === 0 || t === HUGE || crosses(this.vfOn) || crosses(this.sdOn) ||
      crosses(this.pVfOn) || crosses(this.pSdOn) ? 0 : t - prev;
    this.readNext();
  }

  private readNext(): void {
    const anns = this.anns;
    while (this.i < anns.length) {
      const a = anns[this.i++];
      const cls = this.classOf(a.symbol);
      if (cls !== null) {
        this.nextTime = a.sample;
        this.nextCls = cls;
        return;
      }
      if (isShutdownNoise(a.symbol, a.subtype)) {
        this.pSdOn = this.sdOn;
        this.pSdOff = this.sdOff;
        this.sdOn = a.sample;
        if (this.i >= anns.length) {
          this.nextTime = HUGE;
          this.nextCls = '*';
          if (this.isTest) {
            if (this.endSample !== null) this.shutdownSamples += this.endSample - this.sdOn;
          } else {
            this.sdOff = HUGE;
          }
          return;
        }
        const b = anns[this.i];
        if (b.symbol === NOISE && !isShutdownNoise(b.symbol, b.subtype)) {
          this.sdOff = b.sample;
          this.i++;
        } else {
          // A lone shutdown mark (AHA style): shutdown spans the gap, less a window each side.
          this.sdOn = (this.vfOff > this.time ? this.vfOff : this.time) + this.matchWindowSamples;
          this.sdOff = b.sample - this.matchWindowSamples;
          if (this.sdOn > this.sdOff) this.sdOn = this.sdOff;
        }
        if (this.isTest) this.shutdownSamples += this.sdOff - this.sdOn;
      } else if (a.symbol === VF_ON) {
        this.pVfOn = this.vfOn;
        this.pVfOff = this.vfOff;
        this.vfOn = a.sample;
        while (this.i < anns.length && anns[this.i].symbol !== VF_OFF) this.i++;
        if (this.i >= anns.length) {
          this.nextTime = HUGE;
          this.nextCls = '*';
          return;
        }
        this.vfOff = anns[this.i++].sample;
      }
    }
    this.nextTime = HUGE;
    this.nextCls = '*';
  }

  private inShutdown(x: number): boolean {
    return (this.sdOn !== -1 && this.sdOn <= x && (x <= this.sdOff || this.sdOff === -1)) ||
      (this.pSdOn !== -1 && this.pSdOn <= x && x <= this.pSdOff);
  }

  private inVf(x: number): boolean {
    return (this.vfOn !== -1 && this.vfOn <= x && (x <= this.vfOff || this.vfOff === -1)) ||
      (this.pVfOn !== -1 && this.pVfOn <= x && x <= this.pVfOff);
  }

  /** rpann()/tpann(): the pseudo-beat an unmatched beat of the other list at x pairs with. */
  pseudoBeatAt(x: number): EvalClass | '*' {
    if (!this.isTest && this.inVf(x)) return '*';
    return this.inShutdown(x) ? 'X' : 'O';
  }
}
