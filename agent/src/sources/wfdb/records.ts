/**
 * Naming records in a WFDB database directory: the RECORDS list PhysioNet
 * ships with each database, and the extension-less record path the readers take.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WfdbError } from './errors.ts';

/** The record names listed in `${dir}/RECORDS`, in file order. */
export async function listRecords(dir: string): Promise<string[]> {
  const path = join(dir, 'RECORDS');
  let text: string;
  try {
    text = await readFile(path, 'latin1');
  } catch (err) {
    throw new WfdbError(path, `${path}: cannot read the record list (${(err as Error).message})`);
  }
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

/** The path the readers take for record `name` of `dir`: '/data/mitdb' + '100' => '/data/mitdb/100'. */
export function recordPath(dir: string, name: string): string {
  return join(dir, name);
}
