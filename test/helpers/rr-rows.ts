/**
 * The `rr` tensor of a few hand-made beats, in the order models/spec.json
 * names the side inputs, for tests that run an exported model directly with
 * onnxruntime (the agent builds it with input-builder.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { repoRoot } from './requires.ts';

export interface RrBeat { prevS: number; localS: number; irregularity?: number }

export function rrTensor(beats: readonly RrBeat[]): ort.Tensor {
  const names = JSON.parse(readFileSync(join(repoRoot, 'models', 'spec.json'), 'utf8')).sideInputs.names as string[];
  const value = (b: RrBeat, name: string): number => {
    switch (name) {
      case 'rrPrevS': return b.prevS;
      case 'rrLocalS': return b.localS;
      case 'rrRatio': return b.prevS / b.localS;
      case 'rrMedianRatio': return b.prevS / b.localS;
      case 'rrIrregularity': return b.irregularity ?? 1;
      default: throw new Error(`rrTensor: side input ${name} not known to this helper`);
    }
  };
  return new ort.Tensor('float32', Float32Array.from(beats.flatMap((b) => names.map((n) => value(b, n)))), [beats.length, names.length]);
}
