/**
 * Fetches a PhysioNet database into a folder: reads its SHA256SUMS.txt, then
 * downloads each listed file (or those of chosen records) that is not already
 * there with the right hash. Safe to run again: finished files are skipped after
 * their hash is checked, partial ones are resumed.
 *
 * Limits: files are fetched one after another; a file already present with a
 * different hash (say a header converted to LF line endings) is downloaded again.
 */
import { mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { downloadVerified, DownloadError, fetchText, sha256File, type DownloadOptions } from './download.ts';
import { parseSha256Sums, selectRecords, type ListedFile } from './sha256sums.ts';

/** Where PhysioNet publishes the databases this project uses. */
export const PHYSIONET_BASE_URLS: Record<string, string> = {
  mitdb: 'https://physionet.org/files/mitdb/1.0.0/',
  nstdb: 'https://physionet.org/files/nstdb/1.0.0/',
};

export interface FetchProgress {
  /** 1-based position of the file in the plan, and the plan's length. */
  index: number;
  count: number;
  path: string;
  /** 'checking' a present file, 'downloading' (with bytes), or the file's outcome. */
  phase: 'checking' | 'downloading' | 'present' | 'downloaded' | 'failed';
  bytes?: number;
  totalBytes?: number;
}

export interface FetchOptions extends Omit<DownloadOptions, 'onBytes'> {
  /** Database root URL (ending in '/'). */
  baseUrl: string;
  /** Target folder; created if need be. */
  toDir: string;
  /** Only the files of these records; all listed files when absent. */
  records?: readonly string[];
  onProgress?: (p: FetchProgress) => void;
}

export interface FetchReport {
  /** Files already present with the right hash. */
  present: string[];
  /** Files downloaded now (resumed ones included). */
  downloaded: string[];
  /** Of those, the ones continued from a partial transfer. */
  resumed: string[];
  /** Files that could not be fetched or failed verification, and why. */
  failed: Array<{ path: string; reason: string }>;
}

/** Records asked for that the database does not list. */
export class UnknownRecordsError extends Error {
  override name = 'UnknownRecordsError';
}

export async function fetchDatabase(options: FetchOptions): Promise<FetchReport> {
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  const sumsUrl = new URL('SHA256SUMS.txt', base).href;
  const listed = parseSha256Sums(await fetchText(sumsUrl, options), sumsUrl);
  const { selected, unknown } = selectRecords(listed, options.records);
  if (unknown.length > 0) {
    throw new UnknownRecordsError(`record(s) ${unknown.join(', ')} not listed in ${sumsUrl}`);
  }
  await mkdir(options.toDir, { recursive: true });
  const report: FetchReport = { present: [], downloaded: [], resumed: [], failed: [] };
  for (const [i, file] of selected.entries()) {
    const progress = (p: Partial<FetchProgress> & Pick<FetchProgress, 'phase'>) =>
      options.onProgress?.({ index: i + 1, count: selected.length, path: file.path, ...p });
    const outcome = await fetchOne(file, base, options, progress);
    progress({ phase: outcome.kind === 'failed' ? 'failed' : outcome.kind });
    if (outcome.kind === 'present') report.present.push(file.path);
    else if (outcome.kind === 'downloaded') {
      report.downloaded.push(file.path);
      if (outcome.resumed) report.resumed.push(file.path);
    } else report.failed.push({ path: file.path, reason: outcome.reason });
  }
  return report;
}

type Outcome = { kind: 'present' } | { kind: 'downloaded'; resumed: boolean } | { kind: 'failed'; reason: string };

async function fetchOne(file: ListedFile, base: string, options: FetchOptions,
  progress: (p: Partial<FetchProgress> & Pick<FetchProgress, 'phase'>) => void): Promise<Outcome> {
  const dest = join(options.toDir, ...file.path.split('/'));
  if (existsSync(dest)) {
    progress({ phase: 'checking' });
    if ((await sha256File(dest)) === file.sha256) return { kind: 'present' };
  }
  await mkdir(dirname(dest), { recursive: true });
  const url = new URL(file.path.split('/').map(encodeURIComponent).join('/'), base).href;
  try {
    const { resumed } = await downloadVerified(url, dest, file.sha256, {
      ...options,
      onBytes: (bytes, totalBytes) => progress({ phase: 'downloading', bytes, totalBytes }),
    });
    return { kind: 'downloaded', resumed };
  } catch (err) {
    // A per-file failure is reported and the rest go on; an unreachable network stops everything.
    if (err instanceof DownloadError) return { kind: 'failed', reason: err.message };
    throw err;
  }
}
