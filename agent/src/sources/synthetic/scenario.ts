/**
 * A scripted scenario for the synthetic source (the config's
 * `source.scenario`): a list of timed steps, each one thing that happens to
 * the patient or the electrodes, turned into the generator's options.
 *
 *   {atS: 20, ectopic: V, count: 5, rrMs: 400}   a run of 5 PVCs 400 ms apart
 *   {atS: 30, ectopic: A, couplingMs: 600}        an isolated APC 600 ms after the beat before
 *   {atS: 40, leadOff: {durationS: 8}}            electrodes off (ADS1292 LOFF_STAT bits set)
 *   {atS: 55, saturate: {durationS: 2}}           the converter at full scale
 *   {atS: 60, pause: {durationS: 3}}              sinus arrest: 3 s without a beat
 *
 * Times are seconds of signal from the stream start. An ectopic fires at the
 * first beat that can come at or after atS (see rhythm.ts). Limits: the ECG
 * itself carries on under a lead-off or saturation interval (only the flags and,
 * in the framed path, the full-scale codes say so).
 */
import type { IntervalSpec, SyntheticOptions } from './options.ts';
import type { EctopicSpec, PauseSpec } from './rhythm.ts';

export interface ScenarioStep {
  atS: number;
  ectopic?: 'V' | 'A';
  count?: number;
  couplingMs?: number;
  rrMs?: number;
  leadOff?: { durationS: number };
  saturate?: { durationS: number };
  pause?: { durationS: number };
}

const ACTIONS = ['ectopic', 'leadOff', 'saturate', 'pause'] as const;
const ECTOPIC_ONLY = ['count', 'couplingMs', 'rrMs'] as const;

/**
 * What the schema cannot say about the steps (each already has the right types
 * and ranges): one action per step, ectopic details only on ectopic steps.
 * `key` names the list in messages, e.g. `source.scenario`.
 */
export function scenarioProblems(steps: readonly ScenarioStep[], key: string): string[] {
  const problems: string[] = [];
  steps.forEach((step, i) => {
    const at = `${key}.${i}`;
    const actions = ACTIONS.filter((a) => step[a] !== undefined);
    if (actions.length !== 1) {
      problems.push(`${at}: ${actions.length === 0 ? 'no action' : `${actions.join(' and ')} together`}; each step has exactly one of ${ACTIONS.join(', ')}`);
    }
    if (step.ectopic === undefined) {
      for (const k of ECTOPIC_ONLY) if (step[k] !== undefined) problems.push(`${at}.${k}: only with ectopic`);
    }
    if (step.rrMs !== undefined && (step.count ?? 1) < 2) problems.push(`${at}.rrMs: only for a run (count >= 2)`);
  });
  return problems;
}

/** The generator options a scenario asks for (steps assumed valid). */
export function scenarioOptions(steps: readonly ScenarioStep[]): Required<Pick<SyntheticOptions, 'ectopics' | 'pauses' | 'leadOff' | 'saturate'>> {
  const ectopics: EctopicSpec[] = [];
  const pauses: PauseSpec[] = [];
  const leadOff: IntervalSpec[] = [];
  const saturate: IntervalSpec[] = [];
  for (const s of steps) {
    if (s.ectopic !== undefined) ectopics.push({ kind: s.ectopic, atSec: s.atS, count: s.count, couplingMs: s.couplingMs, rrMs: s.rrMs });
    if (s.leadOff !== undefined) leadOff.push({ startSec: s.atS, durationSec: s.leadOff.durationS });
    if (s.saturate !== undefined) saturate.push({ startSec: s.atS, durationSec: s.saturate.durationS });
    if (s.pause !== undefined) pauses.push({ atSec: s.atS, durationSec: s.pause.durationS });
  }
  return { ectopics, pauses, leadOff, saturate };
}
