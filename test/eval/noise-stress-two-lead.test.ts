/**
 * The noise stress test on both leads, on real data: MIT-BIH 118 and 119 with
 * the NSTDB `em` noise at 6 dB, the first 7 minutes (noise from 5:00 to 7:00,
 * compared from 5:00). Noise goes on both leads, lead i getting noise signal i
 * scaled against its own QRS amplitude (as nst does); two-lead detection makes fewer false beats than the
 * primary lead alone without losing true ones.
 */
import { join } from 'node:path';
import { noiseGain } from '../../agent/src/eval/noise-stress.ts';
import {
  evaluateRuns, loadStressNoise, loadStressRecord, noisyLeads, runStress, type StressRecord,
} from '../../agent/src/eval/noise-stress-run.ts';
import { mitdb, mitdbDir, nstdb, nstdbDir, testNeeding } from '../helpers/requires.ts';

const dataTest = testNeeding(mitdb, nstdb);
const LENGTH_S = 420;

dataTest('em at 6 dB goes on both leads: lead i gets noise signal i scaled against its own QRS amplitude, from 5:00 only', async (t) => {
  const record = await loadStressRecord(join(mitdbDir, '118'), '118');
  const noise = await loadStressNoise(join(nstdbDir, 'em'), 'em');
  t.is(record.signal, 0);
  t.is(record.second?.signal, 1);
  const fs = record.header.fs;
  const { primary, second } = noisyLeads(record, noise, 6, LENGTH_S * fs);
  const leads = [
    { noisy: primary, clean: record.clean, ptp: record.signalPtpMv },
    { noisy: second!, clean: record.second!.clean, ptp: record.second!.signalPtpMv },
  ];
  t.not(leads[0].ptp, leads[1].ptp);
  leads.forEach(({ noisy, clean, ptp }, lead) => {
    t.true(noisy.subarray(0, 300 * fs).every((v, k) => v === clean[k]), `lead ${lead}: clean before 5:00`);
    const gain = noiseGain(6, ptp, noise.rmsMv[lead]);
    const t0 = 300 * fs;
    let worst = 0;
    for (let k = t0; k < t0 + 10 * fs; k++) {
      const added = (noisy[k] - clean[k]) - (noisy[t0] - clean[t0]);
      worst = Math.max(worst, Math.abs(added - gain * (noise.signals[lead][k] - noise.signals[lead][t0])));
    }
    t.true(worst < 1e-3, `lead ${lead}: added noise is ${gain.toFixed(3)} x noise signal ${lead} within ${worst} mV`);
  });
});

dataTest('em at 6 dB on 118 and 119: two-lead detection makes fewer false beats and finds no fewer true ones', async (t) => {
  const noise = await loadStressNoise(join(nstdbDir, 'em'), 'em');
  const records: StressRecord[] = [];
  for (const r of ['118', '119']) records.push(await loadStressRecord(join(mitdbDir, r), r));
  const gross = async (leads: 1 | 2) => {
    const runs = [];
    for (const r of records) runs.push(await runStress(r, noise, 6, { leads, durationS: LENGTH_S }));
    t.true(runs.every((run) => run.leads === leads));
    const g = (await evaluateRuns(records, runs, 300, LENGTH_S)).summary.gross;
    const se = g.qrsSensitivity;
    const pp = g.qrsPositivePredictivity;
    return { tp: se.numerator, fn: se.denominator - se.numerator, fp: pp.denominator - pp.numerator };
  };
  const one = await gross(1);
  const two = await gross(2);
  t.log(`one lead: ${JSON.stringify(one)}; two leads: ${JSON.stringify(two)}`);
  t.true(one.tp > 250, 'the two minutes of noise hold the beats of both records');
  t.true(one.fp > 20, `one lead makes false beats in this noise (${one.fp}), else the test shows nothing`);
  t.true(two.fp < one.fp / 2, `false beats: two leads ${two.fp}, one lead ${one.fp}`);
  t.true(two.tp >= one.tp, `true beats: two leads ${two.tp}, one lead ${one.tp}`);
});
