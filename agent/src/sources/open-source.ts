/**
 * The config's `source` -> an Observable of SampleChunks plus its counters:
 * the one place `run` turns a source description into a live source.
 *
 *   synthetic  syntheticEcg$ at the configured rate, through the ADS1292 frame
 *              codec (framed-synthetic.ts) unless `framed: false`
 *   serial     SerialSource + the decoder of the configured format, with
 *              unplug holes filled (serial-chunks.ts)
 *   wfdb       the record replayed in real time or as fast as consumed
 */
import type { Observable } from 'rxjs';
import type { SampleChunk } from '../signal.ts';
import type { SourceConfig } from '../config/types.ts';
import { framedSyntheticEcg$, periodicEctopics, SYNTHETIC_ECG_CHANNEL } from './framed-synthetic.ts';
import { serialChunks, type SerialChunksOptions } from './serial-chunks.ts';
import { syntheticEcg$ } from './synthetic.ts';
import { scenarioOptions } from './synthetic/scenario.ts';
import { wfdbReplay$ } from './wfdb-replay.ts';

/** Frame counters, whatever the source (zero where a source has no frames). */
export interface SourceCounters {
  framesGood: number;
  framesCorrupt: number;
  framesLost: number;
  samplesLost: number;
  bytesSkipped: number;
  /** Serial: times the port opened, and placeholder samples inserted for unplug holes and for a garbled line. */
  opens: number;
  holeSamples: number;
  garbledSamples: number;
}

export interface OpenedSource {
  /** One line for people: what is being read. */
  description: string;
  chunks$: Observable<SampleChunk>;
  counters(): SourceCounters;
}

export interface OpenSourceOptions {
  /** Stop after this much signal, s (synthetic, wfdb). */
  durationSec?: number;
  /** Synthetic pacing; default real time. */
  fast?: boolean;
  /** Pull sources wait on it between chunks when running fast (backpressure). */
  ready?: () => Promise<void>;
  /** Serial: binding, backoff and state callback (tests inject a mock binding). */
  serial?: SerialChunksOptions;
}

const ZERO: SourceCounters = { framesGood: 0, framesCorrupt: 0, framesLost: 0, samplesLost: 0, bytesSkipped: 0, opens: 0, holeSamples: 0, garbledSamples: 0 };

/** A day of ectopic schedule when the stream is endless; the list is small (a few thousand entries). */
const ENDLESS_SCHEDULE_SEC = 86400;

export function openSource(config: SourceConfig, options: OpenSourceOptions = {}): OpenedSource {
  switch (config.type) {
    case 'synthetic': {
      const scripted = scenarioOptions(config.scenario ?? []);
      const synth = {
        fs: config.rateHz,
        seed: config.seed,
        hrMeanBpm: config.heartRateBpm,
        ...scripted,
        ectopics: [...periodicEctopics(config.pvcEverySeconds, config.apcEverySeconds, options.durationSec ?? ENDLESS_SCHEDULE_SEC), ...scripted.ectopics],
        noise: { baselineMv: 0.05, muscleMv: 0.01 },
      };
      const stream = { pace: options.fast ? 'fast' as const : 'realtime' as const, durationSec: options.durationSec };
      const what = `synthetic ECG ${config.rateHz} SPS, ${config.heartRateBpm} bpm, seed ${config.seed}${config.scenario?.length ? `, scenario of ${config.scenario.length} steps` : ''}`;
      if (!config.framed) {
        return { description: `${what} (unframed)`, chunks$: syntheticEcg$(synth, stream), counters: () => ({ ...ZERO }) };
      }
      const framed = framedSyntheticEcg$(synth, stream);
      return {
        description: `${what}, through the ADS1292 frame codec (ECG on channel ${SYNTHETIC_ECG_CHANNEL})`,
        chunks$: framed.chunks$,
        counters: () => ({ ...ZERO, ...pick(framed.counters()) }),
      };
    }
    case 'serial': {
      const s = serialChunks(config, options.serial);
      return {
        description: `serial ${config.path} at ${config.baud} baud, ${config.format} format${config.format === 'ours' ? `, ECG on channel ${config.ecgChannel}${config.secondEcgChannel != null ? `, second ECG lead on channel ${config.secondEcgChannel}` : ''}` : ` (${config.openviewLayout})`}`,
        chunks$: s.chunks$,
        counters: () => {
          const c = s.counters();
          return { ...ZERO, ...pick(c), opens: c.opens, holeSamples: c.holeSamples, garbledSamples: c.garbledSamples };
        },
      };
    }
    case 'wfdb':
      return {
        description: `WFDB record ${config.record} (${config.signal}${config.secondSignal === 'none' ? '' : config.secondSignal === 'auto' ? ' + the other signal' : ` + ${config.secondSignal}`}), ${config.speed === 'fast' ? 'as fast as consumed' : 'real time'}`,
        chunks$: wfdbReplay$({ record: config.record, signal: config.signal, signal2: config.secondSignal, speed: config.speed, durationSec: options.durationSec, ready: options.ready }),
        counters: () => ({ ...ZERO }),
      };
  }
}

function pick(c: { framesGood: number; framesCorrupt: number; framesLost: number; samplesLost: number; bytesSkipped: number } | null) {
  if (!c) return {};
  return { framesGood: c.framesGood, framesCorrupt: c.framesCorrupt, framesLost: c.framesLost, samplesLost: c.samplesLost, bytesSkipped: c.bytesSkipped };
}
