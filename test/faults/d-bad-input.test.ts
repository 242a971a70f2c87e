/**
 * Issue 8 item 2(d): malformed config files and bad command lines, through the
 * real `arrhythminet` binary: exit code 2, one clear message naming the file,
 * key or option, what is wrong and what is allowed, and never a stack trace.
 * (The config loader's messages are unit-tested in test/config/load.test.ts;
 * here the whole path from the command line to the exit code.)
 */
import test from 'ava';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../../agent/src/sources/synthetic/prng.ts';
import { cli } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'arrhythminet-bad-input-'));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

/** A config file in the temp dir; its outbox (should the agent get that far) stays there too. */
function configFile(name: string, text: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const random = mulberry32(8);
const binary = Uint8Array.from({ length: 300 }, () => Math.floor(random() * 256));
mkdirSync(join(dir, 'a-directory'));

interface Case { what: string; args: () => string[]; message: RegExp }

const cases: Case[] = [
  { what: 'a binary file as config', args: () => ['run', '--config', configFile('garbage.yaml', binary)], message: /config .*garbage\.yaml:\n {2}the top level must be a mapping .*got \d+ characters of binary data/ },
  { what: 'a directory as config', args: () => ['run', '--config', join(dir, 'a-directory')], message: /config .*a-directory:\n {2}cannot be read: EISDIR/ },
  { what: 'duplicate keys', args: () => ['run', '--config', configFile('dup.yaml', 'gateway: a\ngateway: b\n')], message: /dup\.yaml:\n {2}syntax error at line 2, column 1: Map keys must be unique/ },
  { what: 'wrong types and ranges, all reported', args: () => ['run', '--config', configFile('types.yaml', 'gateway: 12\nsource: {type: synthetic, rateHz: 99999}\n')], message: /gateway = 12: must be string\n {2}source\.rateHz = 99999: must be <= 1000/ },
  { what: 'a password file that is missing', args: () => ['run', '--config', configFile('pw.yaml', 'mqtt:\n  password: {file: /nonexistent/pw}\n')], message: /mqtt\.password: file \/nonexistent\/pw cannot be read \(ENOENT\)/ },
  { what: 'a password variable that is not set', args: () => ['run', '--config', configFile('env.yaml', 'mqtt:\n  password: {env: ARRHYTHMINET_TEST_UNSET_VARIABLE}\n')], message: /mqtt\.password: environment variable ARRHYTHMINET_TEST_UNSET_VARIABLE is not set/ },
  {
    what: 'a TLS CA file that is missing',
    args: () => ['run', '--no-model', '--config', configFile('ca.yaml', `mqtt:\n  url: mqtts://127.0.0.1:1\n  tls:\n    ca: /nonexistent/ca.pem\noutbox:\n  dir: ${join(dir, 'state')}\n`)],
    message: /mqtt\.tls\.ca: cannot read \/nonexistent\/ca\.pem: ENOENT/,
  },
  {
    // The embedded broker was started before the outbox failed, and kept the process alive after the message.
    what: 'an outbox directory that is a file',
    args: () => ['run', '--no-model', '--config', configFile('outbox.yaml', `mqtt:\n  embeddedPort: 0\noutbox:\n  dir: ${configFile('a-file', 'x')}\n`)],
    message: /outbox\.dir = .*a-file: cannot hold the outbox: EEXIST.*\(a writable directory/,
  },
  { what: 'an unknown option', args: () => ['run', '--frobnicate'], message: /arrhythminet run: Unknown option '--frobnicate'/ },
  { what: 'a rate the ADS1292 cannot do', args: () => ['simulate', '--rate', '360'], message: /--rate is 360; allowed: 125, 250, 500/ },
  { what: 'an unknown database', args: () => ['data', 'fetch', 'nosuch', '--to', join(dir, 'db')], message: /unknown database 'nosuch'; allowed: mitdb, nstdb/ },
];

// One at a time: thirteen processes at once would crowd the machine for nothing.
for (const c of cases) {
  test.serial(`${c.what}: exit 2, a clear message, no stack trace`, async (t) => {
    const r = await cli(...c.args());
    t.is(r.code, 2, r.stderr);
    // The message comes once, as the last thing on stderr (JSON log lines may precede it for `run`).
    const text = r.stderr.split('\n').filter((l) => !l.startsWith('{')).join('\n');
    t.regex(text, c.message);
    t.regex(text, new RegExp(`^arrhythminet ${c.args()[0]}: `));
    t.false(/^\s+at .+:\d+:\d+\)?$/m.test(r.stderr), 'no stack trace');
    // Short: a usage summary at most, never a dump of the bad input.
    t.true(text.length < 3000, `${text.length} characters of message`);
  });
}
