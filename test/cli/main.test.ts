import test from 'ava';
import { cli } from '../helpers/cli.ts';

test('no arguments prints the command list and exits 2', async (t) => {
  const r = await cli();
  t.is(r.code, 2);
  for (const name of ['run', 'simulate', 'annotate', 'eval', 'explain', 'bench', 'data']) {
    t.regex(r.stdout, new RegExp(`^  ${name} `, 'm'));
  }
});

test('an unknown command names the allowed ones and exits 2', async (t) => {
  const r = await cli('frobnicate');
  t.is(r.code, 2);
  t.regex(r.stderr, /unknown command 'frobnicate'; allowed: run, simulate/);
});

test('help NAME prints that command\'s usage and exits 0', async (t) => {
  const r = await cli('help', 'eval');
  t.is(r.code, 0);
  t.regex(r.stdout, /arrhythminet eval detect\|classify/);
});

test('--help or -h after any command prints its usage and exits 0, not an unknown option', async (t) => {
  for (const [args, usage] of [
    [['run', '--help'], /arrhythminet run/],
    [['eval', 'classify', '--model', 'x.onnx', '-h'], /arrhythminet eval detect\|classify/],
    [['bench', '-h'], /arrhythminet bench/],
  ] as const) {
    const r = await cli(...args);
    t.is(r.code, 0, args.join(' '));
    t.regex(r.stdout, usage, args.join(' '));
    t.is(r.stderr, '', args.join(' '));
  }
});

test('--help after -- is an argument, not a request for help', async (t) => {
  const r = await cli('annotate', '--', '--help');
  t.is(r.code, 2);
  t.notRegex(r.stdout, /arrhythminet annotate/);
});
