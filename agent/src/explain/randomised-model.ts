/**
 * A copy of a float ONNX model with every weight and bias re-drawn at random,
 * for the model-randomisation sanity check of explanations (Adebayo et al.,
 * "Sanity checks for saliency maps", NeurIPS 2018): explanations that barely
 * change when the weights are destroyed do not explain the model.
 * Each float initializer of two or more values (convolution, RR branch and
 * head weights and biases; batch norm is folded into the convolutions) is
 * replaced by N(0, s^2) draws, s its own standard deviation, so activations
 * keep their scale; scalar constants (ReLU6 limits, 1/T) are kept. Done by
 * Debian's Python with the onnx package (no ONNX writer in this TypeScript
 * stack); the card is copied with the new sha256, so loadModel accepts it.
 * Limits: float models only (an INT8 QDQ copy would need its scales redone).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { cardPathOf, type ModelCard } from '../model/load.ts';

const run = promisify(execFile);

/** Debian's Python, which has onnx and numpy (the first python3 on PATH may not). */
export const DEBIAN_PYTHON = '/usr/bin/python3';

const RANDOMISE = `
import sys
import numpy as np
import onnx
from onnx import numpy_helper
src, dst, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
m = onnx.load(src)
rng = np.random.default_rng(seed)
n = 0
for init in m.graph.initializer:
    a = numpy_helper.to_array(init)
    if a.dtype != np.float32 or a.size < 2:
        continue
    s = float(a.std()) or 1e-3
    init.CopyFrom(numpy_helper.from_array(rng.normal(0.0, s, a.shape).astype(np.float32), init.name))
    n += 1
if n == 0:
    sys.exit('no float weights to randomise (an INT8 model?)')
onnx.save(m, dst)
print(n)
`;

/**
 * Writes <dir>/<name>-randomised-<seed>.onnx and its card; returns the .onnx
 * path and how many tensors were re-drawn.
 */
export async function randomisedModelCopy(onnxPath: string, dir: string, seed = 1): Promise<{ path: string; tensors: number }> {
  if (onnxPath.includes('.int8.')) throw new RangeError(`randomised copy: ${onnxPath} is an INT8 model; use the float model`);
  const path = join(dir, basename(onnxPath).replace(/\.onnx$/, `-randomised-${seed}.onnx`));
  let stdout: string;
  try {
    ({ stdout } = await run(DEBIAN_PYTHON, ['-c', RANDOMISE, onnxPath, path, String(seed)]));
  } catch (err) {
    throw new Error(`randomised copy of ${onnxPath}: ${DEBIAN_PYTHON} with onnx and numpy failed: ${((err as { stderr?: string }).stderr ?? (err as Error).message).trim().split('\n').pop()}`);
  }
  const bytes = readFileSync(path);
  const card = JSON.parse(readFileSync(cardPathOf(onnxPath), 'utf8')) as ModelCard;
  const copy: ModelCard = {
    ...card, name: basename(path), sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length,
    metrics: null, randomisedFrom: card.name, randomisedSeed: seed,
  };
  writeFileSync(cardPathOf(path), JSON.stringify(copy, null, 1));
  return { path, tensors: Number(stdout.trim()) };
}
