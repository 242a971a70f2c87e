import test from 'ava';
import { QrsDetector } from '../../agent/src/dsp/qrs-detector.ts';
import { Resampler } from '../../agent/src/dsp/resampler.ts';
import { Segmenter } from '../../agent/src/dsp/segmenter.ts';
import { SignalQuality } from '../../agent/src/dsp/signal-quality.ts';
import { SosFilter } from '../../agent/src/dsp/sos-filter.ts';
import { butterworthLowpass } from '../../agent/src/dsp/biquad-design.ts';
import { syntheticEcg } from './synthetic-ecg.ts';

const ecg = syntheticEcg({ fs: 360, seconds: 20, seed: 17 });

test('every processor after reset() behaves as new', (t) => {
  const sos = new SosFilter(butterworthLowpass(4, 40, 360));
  const a = Array.from(sos.process(ecg.mv));
  sos.reset();
  t.deepEqual(Array.from(sos.process(ecg.mv)), a);

  const det = new QrsDetector({ fs: 360, relearnS: 4 });
  const beats = [...det.process(ecg.mv), ...det.flush()];
  det.reset();
  t.deepEqual([...det.process(ecg.mv), ...det.flush()], beats);
  t.true(beats.length > 15);

  const rs = new Resampler(360, 500);
  const r1 = rs.process({ start: 0, fs: 360, mv: ecg.mv });
  rs.reset();
  t.deepEqual(rs.process({ start: 0, fs: 360, mv: ecg.mv }), r1);

  const q = new SignalQuality({ fs: 360, minKurtosis: 4 });
  const q1 = [...q.process(ecg.mv), q.flush()];
  q.reset();
  t.deepEqual([...q.process(ecg.mv), q.flush()], q1);

  const seg = new Segmenter({ fs: 360, before: 90, after: 166 });
  const s1 = [...seg.process(ecg.mv, undefined, beats), ...seg.flush()];
  seg.reset();
  t.deepEqual([...seg.process(ecg.mv, undefined, beats), ...seg.flush()], s1);
});
