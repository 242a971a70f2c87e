/**
 * Issue 4 item 1: the agent's segmenter and model-input builder and the Python
 * training data builder (models/training/data.py) cut identical windows and make
 * identical model inputs (normalised beat, template, amplitude scale, RR
 * features) from the same record, at the reference beat positions. Record 208
 * (many V and F beats: F is not a model class but is in the history and the RR)
 * and 114 (channels swapped: MLII chosen by name).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { mitdb, mitdbDir, pythonTorch, testNeeding } from '../helpers/requires.ts';
import { loadModelSpec } from '../../agent/src/model/spec.ts';
import { referenceBeats } from '../../agent/src/model/reference-beats.ts';
import { f32, python } from './python.ts';

const test = testNeeding(mitdb, pythonTorch);

const DUMP = `
import json, sys
from pathlib import Path
import numpy as np
import data
rec, out = sys.argv[1], Path(sys.argv[2])
b = data.build_record(data.mitdb_dir(), rec, data.load_spec())
b.window_mv.astype('<f4').tofile(out / 'window.f32')
b.template_mv.astype('<f4').tofile(out / 'template.f32')
b.scale_mv.astype('<f4').tofile(out / 'scale.f32')
b.side.astype('<f4').tofile(out / 'side.f32')
b.model_input().astype('<f4').tofile(out / 'x.f32')
print(json.dumps({'samples': b.sample.tolist(), 'labels': b.label.tolist()}))
`;

/** Largest |a - b| over the rows (row length `len`) of `py` at beat `i` vs `ts`. */
function maxDiff(py: Float32Array, i: number, len: number, ts: ArrayLike<number>): number {
  let m = 0;
  for (let j = 0; j < len; j++) m = Math.max(m, Math.abs(py[i * len + j] - ts[j]));
  return m;
}

async function compareRecord(t: ExecutionContext, record: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'arrhythminet-window-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const meta = JSON.parse(await python(DUMP, [record, dir])) as { samples: number[]; labels: number[] };
  const spec = loadModelSpec();
  const length = spec.before + spec.after;
  const agent = new Map((await referenceBeats(join(mitdbDir, record), spec)).map((b) => [b.sample, b]));
  const pyWindow = f32(join(dir, 'window.f32'));
  const pyTemplate = f32(join(dir, 'template.f32'));
  const pyScale = f32(join(dir, 'scale.f32'));
  const pySide = f32(join(dir, 'side.f32'));
  const pyX = f32(join(dir, 'x.f32'));
  t.true(meta.samples.length > 1000, `${record}: ${meta.samples.length} labelled beats from Python`);
  const worst = { window: 0, template: 0, scale: 0, rr: 0, x: 0 };
  let missing = 0;
  meta.samples.forEach((sample, i) => {
    const b = agent.get(sample);
    if (b === undefined) { missing++; return; }
    worst.window = Math.max(worst.window, maxDiff(pyWindow, i, length, b.windowMv));
    worst.template = Math.max(worst.template, maxDiff(pyTemplate, i, length, b.input.templateMv));
    worst.scale = Math.max(worst.scale, Math.abs(pyScale[i] - b.input.scaleMv) / pyScale[i]);
    const nRr = b.input.rr.length;
    for (let k = 0; k < nRr; k++) worst.rr = Math.max(worst.rr, Math.abs(pySide[i * nRr + k] - b.input.rr[k]) / Math.abs(pySide[i * nRr + k]));
    worst.x = Math.max(worst.x, maxDiff(pyX, i, 2 * length, b.input.x));
  });
  t.is(missing, 0, `${record}: every Python beat has an agent beat at the same sample`);
  t.log(`${record}: ${meta.samples.length} beats, worst differences`, worst);
  // float32 rounding of the signal and the window (the Python side filters in float64).
  t.true(worst.window < 1e-5, `window mV ${worst.window}`);
  t.true(worst.template < 1e-5, `template mV ${worst.template}`);
  t.true(worst.scale < 1e-5, `scale (relative) ${worst.scale}`);
  t.true(worst.rr < 1e-6, `RR features (relative) ${worst.rr}`);
  t.true(worst.x < 1e-4, `normalised model input ${worst.x}`);
}

test('record 208: identical windows, templates, scales, RR features and model inputs to Python', (t) => compareRecord(t, '208'));
test('record 114 (MLII is signal 1): identical model inputs to Python', (t) => compareRecord(t, '114'));
