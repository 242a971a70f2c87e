/**
 * The committed models (models/*.onnx beside their cards) and whether each one's
 * card matches the current models/spec.json: a model exported for an older spec
 * cannot be run on today's inputs, so tests that run models take only the
 * matching ones and log the others (the loader's own tests prove the refusal).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/requires.ts';

export interface CommittedModel { path: string; name: string; card: { specSha256: string; protocol?: string; metrics?: { n: number; accuracy: number } | null } }

export function committedModels(dir = join(repoRoot, 'models')): { current: CommittedModel[]; stale: string[] } {
  const specSha = createHash('sha256').update(readFileSync(join(repoRoot, 'models', 'spec.json'))).digest('hex');
  const current: CommittedModel[] = [];
  const stale: string[] = [];
  if (!existsSync(dir)) return { current, stale };
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.onnx')).sort()) {
    const path = join(dir, f);
    const card = JSON.parse(readFileSync(path.replace(/\.onnx$/, '.card.json'), 'utf8')) as CommittedModel['card'];
    if (card.specSha256 === specSha) current.push({ path, name: f, card });
    else stale.push(f);
  }
  return { current, stale };
}
