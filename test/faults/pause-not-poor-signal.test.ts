/**
 * Found while writing the wall-clock test (f): a scripted 3 s sinus arrest in the
 * synthetic patient (with the agent's usual baseline and muscle noise) goes
 * through the agent as a 'poor-signal' (noisy) episode over the silent second,
 * and no 'pause' event is sent. A pause is an alarm; bad signal suppresses
 * alarms: a quiet, electrically clean stretch without QRS must not be judged
 * noisy. Fixed in the signal-quality stage (dsp/signal-quality.ts: a window far
 * below the recent beats' amplitude is quiet, not judged by kurtosis or the
 * slow/QRS band ratio, which need a QRS to mean anything).
 */
import test from 'ava';
import { startAgent } from '../../agent/src/agent/agent.ts';
import { parseConfig } from '../../agent/src/config/load.ts';
import type { RhythmEvent } from '../../agent/src/rhythm/types.ts';

async function eventsFor(pauseS: number): Promise<RhythmEvent[]> {
  const config = await parseConfig({
    source: { type: 'synthetic', heartRateBpm: 75, pvcEverySeconds: 0, scenario: [{ atS: 8.5, pause: { durationS: pauseS } }] },
  }, 'test');
  const events: RhythmEvent[] = [];
  const agent = startAgent({ config, fast: true, durationSec: 20, sinks: [{ beat: () => {}, vitals: () => {}, close: async () => {}, event: (e) => events.push(e) }] });
  await agent.done;
  return events;
}

test('a 3 s sinus arrest is sent as a pause, not as poor signal', async (t) => {
  const events = await eventsFor(3);
  const seen = events.map((e) => `${e.type}:${e.phase}${e.detail ? `(${e.detail})` : ''} ${(e.startSample / 360).toFixed(1)}-${(e.endSample / 360).toFixed(1)} s`).join(', ');
  t.true(events.some((e) => e.type === 'pause'), `no pause event; got: ${seen}`);
  t.false(events.some((e) => e.type === 'poor-signal'), `poor signal reported over a clean pause: ${seen}`);
});
