/**
 * `arrhythminet data fetch DB --to DIR`: downloads a PhysioNet database and
 * verifies every file's SHA-256. Progress on a TTY, quiet in pipes; a summary
 * line at the end. Exit 1 when the network is unreachable or any file failed.
 */
import type { Command } from '../command.ts';
import { parseCommandArgs } from '../args.ts';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../errors.ts';
import { fetchDatabase, PHYSIONET_BASE_URLS, UnknownRecordsError, type FetchProgress } from '../../sources/physionet/fetch-database.ts';

const databases = Object.keys(PHYSIONET_BASE_URLS);

const usage = `usage: arrhythminet data fetch ${databases.join('|')} --to DIR [--records R[,R...]] [--base-url URL] [--retries N]

  --to DIR          folder to download into (created if need be)
  --records R,...   only these records' files (repeatable; default: every listed file)
  --base-url URL    database root instead of PhysioNet's (a mirror; tests)
  --retries N       retries per file on network failures (default 3)

Reads the database's SHA256SUMS.txt, downloads each file, verifies its SHA-256,
skips files already present and resumes partial downloads. Known databases:
${databases.map((d) => `  ${d.padEnd(6)} ${PHYSIONET_BASE_URLS[d]}`).join('\n')}`;

function progressPrinter(stream: NodeJS.WriteStream): ((p: FetchProgress) => void) | undefined {
  if (!stream.isTTY) return undefined;
  let lastMs = 0;
  return (p) => {
    const now = Date.now();
    const final = p.phase !== 'downloading' && p.phase !== 'checking';
    if (!final && now - lastMs < 100) return;
    lastMs = now;
    const pct = p.bytes !== undefined && p.totalBytes ? ` ${Math.floor((100 * p.bytes) / p.totalBytes)}%` : '';
    const line = `[${p.index}/${p.count}] ${p.path} ${p.phase}${pct}`;
    stream.write(`\r${line.slice(0, (stream.columns || 80) - 1).padEnd((stream.columns || 80) - 1)}`);
    if (final && p.index === p.count) stream.write('\n');
  };
}

export const dataCommand: Command = {
  name: 'data',
  summary: 'download a PhysioNet database and verify it',
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      to: { type: 'string' },
      records: { type: 'string', multiple: true },
      'base-url': { type: 'string' },
      retries: { type: 'string' },
    });
    const [action, db, ...extra] = positionals;
    if (action !== 'fetch') throw new UsageError(`expected 'fetch', got ${action === undefined ? 'nothing' : `'${action}'`}\n${usage}`);
    if (db === undefined || !databases.includes(db)) {
      throw new UsageError(`unknown database ${db === undefined ? '(none given)' : `'${db}'`}; allowed: ${databases.join(', ')}`);
    }
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
    if (!values.to) throw new UsageError('--to DIR is required');
    const retries = Number(values.retries ?? 3);
    if (!Number.isInteger(retries) || retries < 0 || retries > 20) throw new UsageError(`--retries must be an integer from 0 to 20; got '${values.retries}'`);
    const baseUrl = values['base-url'] ?? PHYSIONET_BASE_URLS[db];
    try {
      new URL(baseUrl);
    } catch {
      throw new UsageError(`--base-url '${baseUrl}' is not a URL`);
    }
    const records = values.records?.flatMap((r) => r.split(',')).map((r) => r.trim()).filter((r) => r !== '');

    let report;
    try {
      report = await fetchDatabase({ baseUrl, toDir: values.to, records, retries, onProgress: progressPrinter(process.stderr) });
    } catch (err) {
      // End a progress line left half-written so the error starts on its own line.
      if (process.stderr.isTTY) process.stderr.write('\n');
      if (err instanceof UnknownRecordsError) throw new UsageError(err.message);
      throw err;
    }
    for (const f of report.failed) process.stderr.write(`arrhythminet data: ${f.path}: ${f.reason}\n`);
    const total = report.present.length + report.downloaded.length + report.failed.length;
    process.stdout.write(`${db}: ${total} files in ${values.to}: ${report.downloaded.length} downloaded`
      + `${report.resumed.length ? ` (${report.resumed.length} resumed)` : ''}, ${report.present.length} already present`
      + `${report.failed.length ? `, ${report.failed.length} FAILED` : ''}; SHA-256 verified\n`);
    return report.failed.length > 0 ? EXIT_FAILURE : EXIT_OK;
  },
};
