/**
 * Records named on the command line must exist: a wrong path or record name is
 * bad usage (exit 2), said before any work, with every missing one named.
 */
import { existsSync } from 'node:fs';
import { UsageError } from './errors.ts';

/** `paths`: records without extension; `what`: how the user named them (RECORD, --records). */
export function requireRecords(paths: readonly string[], what: string): void {
  const missing = paths.filter((p) => !existsSync(`${p}.hea`));
  if (missing.length === 0) return;
  const hint = what === 'RECORD' ? '; a record is named by its path without extension, e.g. ../shared/data/mitdb/100' : ' (--records names records of --db)';
  throw new UsageError(`${what}: no WFDB header ${missing.slice(0, 5).map((p) => `${p}.hea`).join(', ')}${missing.length > 5 ? ` (and ${missing.length - 5} more)` : ''}${hint}`);
}
