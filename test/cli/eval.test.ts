/**
 * `arrhythminet eval`: usage errors, and on the MIT-BIH data, output equal to
 * bxb's for the oracle annotation sets (../shared/data/mitdb-ec57).
 */
import anyTest from 'ava';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { ec57Dir, mitdb, mitdbDir, mitdbEc57, testNeeding } from '../helpers/requires.ts';
import { parseLineReport } from '../../agent/src/eval/bxb-text.ts';
import { evalCommand } from '../../agent/src/cli/commands/eval.ts';
import { UsageError } from '../../agent/src/cli/errors.ts';
import { cli } from '../helpers/cli.ts';

const run = promisify(execFile);
const withData = testNeeding(mitdb, mitdbEc57);

const oracleLines = (file: string, records: string[]) =>
  readFileSync(join(ec57Dir, file), 'utf8').split('\n').filter((l) => records.some((r) => l.startsWith(` ${r} `)));

anyTest('usage errors are refused saying what is allowed', async (t) => {
  const cases: [string[], RegExp][] = [
    [[], /expected 'detect' or 'classify', got nothing/],
    [['frob'], /expected 'detect' or 'classify', got 'frob'/],
    [['detect', '--annotator', 'qrs'], /--db DIR is required/],
    [['detect', '--db', 'd'], /give exactly one source of test beats/],
    [['detect', '--db', 'd', '--annotator', 'qrs', '--run-detector'], /give exactly one source of test beats/],
    [['detect', '--db', 'd', '--annotations-dir', 'x'], /--annotations-dir needs --annotator EXT/],
    [['detect', '--db', 'd', '--test-annotator', 'qrs'], /--test-annotator 'qrs': expected DIR\/EXT/],
    [['detect', '--db', 'd', '--annotator', 'qrs', '--from', '5min'], /--from '5min': expected a time as seconds, M:S or H:M:S/],
    [['detect', '--db', 'd', '--annotator', 'qrs', '--window-ms', '0'], /--window-ms '0': expected a positive number/],
    [['detect', '--db', 'd', '--annotator', 'qrs', '--bogus'], /Unknown option '--bogus'/],
    [['detect', '--db', 'd', '--annotator', 'qrs', 'extra'], /unexpected argument 'extra'/],
    [['classify', '--db', 'd'], /--model FILE is required/],
  ];
  for (const [args, message] of cases) {
    await t.throwsAsync(evalCommand.run(args), { instanceOf: UsageError, message }, args.join(' '));
  }
});

anyTest('through the command line a usage error exits 2 with one line on stderr', async (t) => {
  const r = await cli('eval', 'detect', '--annotator', 'qrs');
  t.is(r.code, 2);
  t.regex(r.stderr, /^arrhythminet eval: --db DIR is required/);
  t.is(r.stdout, '');
});

withData('per-record lines equal bxb\'s, no progress bar when stderr is not a terminal', async (t) => {
  const records = ['100', '119', '207'];
  const r = await cli('eval', 'detect', '--db', mitdbDir, '--records', records.join(','),
    '--test-annotator', join(ec57Dir, 'gqrs', 'qrs'), '--from', '0');
  t.is(r.code, 0, r.stderr);
  t.is(r.stderr, '');
  const mine = r.stdout.split('\n').filter((l) => records.some((x) => l.startsWith(` ${x} `)));
  t.deepEqual(mine, oracleLines('bxb-gqrs-from0.txt', records));
  t.regex(r.stdout, /^Summary of results from 3 records$/m);
});

withData('every record by default, from minute 5 by default: the whole of bxb\'s -L file with sumstats', async (t) => {
  const r = await cli('eval', 'detect', '--db', mitdbDir, '--annotator', 'pert', '--annotations-dir', join(ec57Dir, 'pert'));
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, readFileSync(join(ec57Dir, 'bxb-pert-from5min.txt'), 'utf8'));
});

withData('--json gives the counts, matrix, statistics and totals', async (t) => {
  const r = await cli('eval', 'detect', '--db', mitdbDir, '--records', '208,232', '--json', '--from', '0',
    '--test-annotator', join(ec57Dir, 'pert', 'pert'));
  t.is(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout);
  const oracle = parseLineReport(readFileSync(join(ec57Dir, 'bxb-pert-from0.txt'), 'utf8'));
  t.is(json.mode, 'detect');
  t.is(json.fromS, 0);
  t.is(json.matchWindowMs, 150);
  t.deepEqual(json.records.map((x: { record: string }) => x.record), ['208', '232']);
  for (const rec of json.records) {
    t.deepEqual(rec.counts, oracle.lines.find((l) => l.record === rec.record)!.counts);
    t.is(rec.statistics.qrsSensitivity.percent.toFixed(2), oracle.lines.find((l) => l.record === rec.record)!.stats[0]);
  }
  t.is(json.records[0].matrix.V.V, json.records[0].counts.Vv);
  t.is(json.summary.records, 2);
});

withData('a missing test annotation file exits 1 naming it', async (t) => {
  const r = await cli('eval', 'detect', '--db', mitdbDir, '--records', '100', '--annotator', 'nope', '--from', '0');
  t.is(r.code, 1);
  t.regex(r.stderr, /100\.nope/);
  t.is(r.stdout, '');
});

withData('--run-detector evaluates the pipeline\'s beats exactly as the file annotate writes', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'eval-detector-'));
  try {
    const a = await cli('annotate', join(mitdbDir, '100'), '--out', out);
    t.is(a.code, 0, a.stderr);
    const fromFile = await cli('eval', 'detect', '--db', mitdbDir, '--records', '100', '--from', '0',
      '--annotator', 'qrs', '--annotations-dir', out);
    const direct = await cli('eval', 'detect', '--db', mitdbDir, '--records', '100', '--from', '0', '--run-detector');
    t.is(direct.code, 0, direct.stderr);
    t.is(direct.stdout, fromFile.stdout);
    // Whatever the detector finds, every reference beat is accounted for once.
    t.regex(direct.stdout, /^Total QRS complexes: 2273 /m);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

const withMitdb = testNeeding(mitdb);

withMitdb('a start past the end of a record is a usage error naming the option and the record', async (t) => {
  const r = await cli('eval', 'detect', '--db', mitdbDir, '--records', '100', '--run-detector', '--from', '99:99');
  t.is(r.code, 2);
  t.is(r.stderr, 'arrhythminet eval: the start (--from, 6039 s) is past the end of record 100 (1805.6 s)\n');
});
