/**
 * models/training/cv_end_to_end.py on a two-fold run built from one smoke
 * training (the same checkpoint in both folds, held-out records 103 and 113):
 * each fold's model is exported and run by the agent's `eval classify
 * --end-to-end` on its own records, and the pooled gross statistics are the
 * sums of the folds' counts. The per-fold figures are checked against the CLI
 * run directly on the same model and record.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { mitdb, mitdbDir, pythonTorch, repoRoot, testNeeding } from '../helpers/requires.ts';
import { pythonScript, smokeTraining } from './python.ts';

const run = promisify(execFile);
const withData = testNeeding(pythonTorch, mitdb);

interface Ratio { numerator: number; denominator: number; percent: number | null }
type Gross = Record<string, Ratio>;

withData('cv_end_to_end.py: fold models run end to end by the agent on their held-out records, pooled by summing counts', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cv-e2e-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const runDir = join(dir, 'cv');
  const fold1 = join(runDir, 'fold1');
  mkdirSync(runDir, { recursive: true });
  await smokeTraining(fold1);
  cpSync(fold1, join(runDir, 'fold2'), { recursive: true });
  writeFileSync(join(runDir, 'cv.json'), JSON.stringify({ folds: [{ heldOut: ['103'] }, { heldOut: ['113'] }] }));

  const stdout = await pythonScript('cv_end_to_end.py', [runDir, '--from', '0']);
  t.regex(stdout, /DS1 out-of-fold, end to end \(INT8, from 0, pooled\): QRS/);
  const out = JSON.parse(readFileSync(join(runDir, 'end-to-end.json'), 'utf8')) as { folds: { heldOut: string[]; gross: Gross }[]; pooled: Gross };
  t.is(out.folds.length, 2);

  const model = join(fold1, 'onnx', 'arrhythminet-v2.int8.onnx');
  for (const [k, record] of ['103', '113'].entries()) {
    const direct = await run('node', [join(repoRoot, 'agent', 'bin', 'arrhythminet.js'), 'eval', 'classify', '--db', mitdbDir,
      '--model', model, '--end-to-end', '--from', '0', '--records', record, '--json'], { maxBuffer: 1 << 24 });
    const gross = (JSON.parse(direct.stdout) as { summary: { gross: Gross } }).summary.gross;
    t.deepEqual(out.folds[k]!.gross.vebSensitivity, gross.vebSensitivity, `fold ${k + 1} (${record}) is the agent's own figure`);
    t.deepEqual(out.folds[k]!.gross.svebPositivePredictivity, gross.svebPositivePredictivity);
  }
  for (const s of ['qrsSensitivity', 'vebSensitivity', 'svebSensitivity', 'svebPositivePredictivity']) {
    const [a, b] = out.folds.map((f) => f.gross[s]!);
    t.is(out.pooled[s]!.numerator, a!.numerator + b!.numerator, s);
    t.is(out.pooled[s]!.denominator, a!.denominator + b!.denominator, s);
  }
  t.true(out.pooled.qrsSensitivity!.percent! > 99, 'the detector does not depend on the model');
  t.true(out.pooled.qrsSensitivity!.denominator > 3000, 'both records were scored');
});
