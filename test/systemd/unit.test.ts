import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { repoRoot, systemdAnalyze, testNeeding } from '../helpers/requires.ts';

const run = promisify(execFile);
const test = testNeeding(systemdAnalyze);
const unit = join(repoRoot, 'systemd', 'arrhythminet-agent.service');

test('systemd-analyze verify finds nothing wrong with the agent unit', async (t) => {
  const { stdout, stderr } = await run('systemd-analyze', ['verify', unit]);
  t.is(`${stdout}${stderr}`.trim(), '');
});

test('the unit runs as its own user with the dialout group, a state directory, a watchdog and restart on failure', (t) => {
  const text = readFileSync(unit, 'utf8');
  for (const line of ['User=arrhythminet', 'SupplementaryGroups=dialout', 'StateDirectory=arrhythminet',
    'Restart=on-failure', 'Type=notify', 'NoNewPrivileges=yes', 'ProtectSystem=strict']) {
    t.true(text.split('\n').includes(line), line);
  }
  t.regex(text, /^WatchdogSec=\d+s$/m);
});

test('systemd-analyze security rates the unit OK or better', async (t) => {
  const { stdout } = await run('systemd-analyze', ['security', '--offline=yes', unit]);
  const m = /Overall exposure level for .*: (\d+\.\d) (\w+)/.exec(stdout);
  t.truthy(m, stdout.slice(-300));
  t.log(`exposure ${m![1]} ${m![2]}`);
  t.true(Number(m![1]) <= 3.0, `exposure ${m![1]}`);
});
