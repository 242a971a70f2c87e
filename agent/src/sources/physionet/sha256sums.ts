/**
 * Reads a PhysioNet database's SHA256SUMS.txt and picks the files of chosen
 * records. Each line is a hex digest and the file's path relative to the
 * database root, separated by one space (PhysioNet's own files) or by two or a
 * space and '*' (GNU sha256sum's text and binary modes).
 */

export interface ListedFile {
  /** Path relative to the database root, '/'-separated. */
  path: string;
  /** Expected SHA-256, lower-case hex. */
  sha256: string;
}

const LINE = /^([0-9a-fA-F]{64}) [ *]?(.+)$/;

/** The files listed in `text`; `source` names it in errors (e.g. its URL). */
export function parseSha256Sums(text: string, source: string): ListedFile[] {
  const files: ListedFile[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    const m = LINE.exec(line);
    if (!m) throw new Error(`${source} line ${i + 1}: expected '<64 hex digits> <path>', got '${line.slice(0, 80)}'`);
    const path = m[2];
    // A listed path must stay inside the target folder.
    if (path.startsWith('/') || path.includes('\\') || path.split('/').some((p) => p === '..' || p === '.' || p === '')) {
      throw new Error(`${source} line ${i + 1}: path '${path}' is not a plain relative path`);
    }
    files.push({ path, sha256: m[1].toLowerCase() });
  });
  if (files.length === 0) throw new Error(`${source}: no files listed`);
  return files;
}

/** Record name of a listed file: its base name up to the first dot (100.dat -> 100). */
export function recordOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.indexOf('.');
  return dot < 0 ? base : base.slice(0, dot);
}

/**
 * The top-level files of `records` (all files when undefined), in listed order,
 * and the asked records that have no file listed.
 */
export function selectRecords(files: ListedFile[], records: readonly string[] | undefined): { selected: ListedFile[]; unknown: string[] } {
  if (records === undefined) return { selected: files, unknown: [] };
  const wanted = new Set(records);
  const selected = files.filter((f) => !f.path.includes('/') && wanted.has(recordOf(f.path)));
  const found = new Set(selected.map((f) => recordOf(f.path)));
  return { selected, unknown: records.filter((r) => !found.has(r)) };
}
