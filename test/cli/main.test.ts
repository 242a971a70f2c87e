import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { arrhythminetBin, cli } from '../helpers/cli.ts';

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

/** Runs the command with stdout on `fd`; resolves with the exit code and stderr. */
function withStdout(fd: number | 'pipe', args: string[], onStdout?: (child: ReturnType<typeof spawn>) => void): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [arrhythminetBin, ...args], { stdio: ['ignore', fd, 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    onStdout?.(child);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

test('a full disk on stdout is one line and exit 1, not a stack trace', async (t) => {
  if (!existsSync('/dev/full')) { t.pass('no /dev/full here'); return; }
  const fd = openSync('/dev/full', 'w');
  try {
    const r = await withStdout(fd, ['help']);
    t.is(r.code, 1);
    t.is(r.stderr, 'arrhythminet: cannot write standard output: ENOSPC\n');
  } finally {
    closeSync(fd);
  }
});

test('a reader that goes away (| head) ends the command quietly with exit 0', async (t) => {
  // A long simulate stream; the pipe is closed after the first bytes.
  const r = await withStdout('pipe', ['simulate', '--synthetic', '--duration', '600'], (child) => {
    child.stdout!.once('data', () => child.stdout!.destroy());
  });
  t.is(r.code, 0, r.stderr);
  t.notRegex(r.stderr, /at |Error/);
});

test('a record that does not exist is exit 2 in every command that reads records, each named', async (t) => {
  const cases: [string[], RegExp][] = [
    [['explain', '/nonexistent/r1', '--beat', '1', '--out', '/tmp/x.svg'], /RECORD: no WFDB header \/nonexistent\/r1\.hea/],
    [['explain', '--global', '--db', '/nonexistent', '--records', 'r1,r2', '--out', '/tmp/x.svg'], /--records: no WFDB header \/nonexistent\/r1\.hea, \/nonexistent\/r2\.hea \(--records names records of --db\)/],
    [['eval', 'detect', '--db', '/nonexistent', '--records', 'r1', '--run-detector'], /--records: no WFDB header \/nonexistent\/r1\.hea/],
    [['eval', 'classify', '--db', '/nonexistent', '--records', 'r1', '--model', 'models/arrhythminet-v2.int8.onnx'], /--records: no WFDB header \/nonexistent\/r1\.hea/],
    [['eval', 'noise', '--db', '/nonexistent', '--noise-dir', '/nonexistent', '--records', 'r1'], /--records: no WFDB header \/nonexistent\/r1\.hea/],
  ];
  for (const [args, message] of cases) {
    const r = await cli(...args);
    t.is(r.code, 2, args.join(' '));
    t.regex(r.stderr, message, args.join(' '));
  }
});
