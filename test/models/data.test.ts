/**
 * The Python data builder (models/training/data.py, wfdb.py) against PhysioNet's
 * own counts in mitdb/REFERENCE.tsv: the .atr reader must reproduce rdann's
 * annotation, beat and per-class counts, and the builder must keep every N, L,
 * R, A, V beat except those whose window leaves the record.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { debianPython, mitdb, mitdbDir, pythonTorch, repoRoot, testNeeding } from '../helpers/requires.ts';

const test = testNeeding(mitdb, pythonTorch);
const run = promisify(execFile);
const classes = ['N', 'L', 'R', 'A', 'V'] as const;

interface RecordCounts {
  annotations: number;
  beats: number;
  reader: Record<string, number>;
  builder: Record<string, number>;
  skippedAtEdges: Record<string, number>;
  windowLength: number;
  mliiSignalIndex: number;
}

function reference(): Map<string, { annotations: number; beats: number; byClass: Record<string, number> }> {
  const lines = readFileSync(join(mitdbDir, 'REFERENCE.tsv'), 'utf8').trim().split('\n');
  const header = lines[0].split('\t');
  const rows = new Map<string, { annotations: number; beats: number; byClass: Record<string, number> }>();
  for (const line of lines.slice(1)) {
    const f = line.split('\t');
    const at = (name: string): number => Number(f[header.indexOf(name)]);
    rows.set(f[0], {
      annotations: at('annotations'),
      beats: at('beats'),
      byClass: Object.fromEntries(classes.map((c) => [c, at(c)])),
    });
  }
  return rows;
}

// 114: swapped leads; 207: L, R, A, V together; 232: long pauses, A-heavy; 100: beats at both edges.
const records = ['100', '114', '207', '232'];

test('annotation reader and beat builder reproduce REFERENCE.tsv counts', async (t) => {
  const { stdout } = await run(debianPython, [join(repoRoot, 'models', 'training', 'counts.py'), ...records], {
    env: { ...process.env, MITDB_DIR: mitdbDir },
  });
  const got = JSON.parse(stdout) as Record<string, RecordCounts>;
  const ref = reference();
  for (const r of records) {
    const want = ref.get(r);
    const c = got[r];
    if (want === undefined || c === undefined) {
      t.fail(`record ${r} missing from REFERENCE.tsv or counts.py output`);
      continue;
    }
    t.is(c.annotations, want.annotations, `${r} annotations`);
    t.is(c.beats, want.beats, `${r} beats`);
    for (const k of classes) {
      t.is(c.reader[k], want.byClass[k], `${r} ${k} read`);
      t.is(c.builder[k] + c.skippedAtEdges[k], want.byClass[k], `${r} ${k} built + skipped at edges`);
    }
    t.is(c.windowLength, 256);
  }
  t.is(got['114']?.mliiSignalIndex, 1, 'record 114 has MLII as its second signal');
  t.true(Object.values(got['100']?.skippedAtEdges ?? {}).some((n) => n > 0), '100 has a beat too near an edge');
});

test('a record without MLII is refused with a message naming it', async (t) => {
  const err = await t.throwsAsync(
    run(debianPython, [join(repoRoot, 'models', 'training', 'counts.py'), '102'], { env: { ...process.env, MITDB_DIR: mitdbDir } }),
  );
  t.regex((err as unknown as { stderr: string }).stderr, /record 102: no signal named 'MLII'; it has \['V5', 'V2'\]/);
});
