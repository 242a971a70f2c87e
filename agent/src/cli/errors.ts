/**
 * Errors the command line turns into exit codes (DESIGN.md section 6):
 * 0 ok, 1 runtime failure, 2 bad usage or config. Anything thrown that is not
 * one of these is a bug or an I/O failure and exits 1 with its message.
 */

import { UsageError } from '../errors.ts';

/** Bad command line, bad config, or input the user must fix: exit code 2. */
export { UsageError };

/** A command that is designed but not built yet: exit code 2 with a pointer. */
export class NotBuiltError extends UsageError {
  constructor(command: string, issue: string) {
    super(`'arrhythminet ${command}' is not built yet (tracked in ${issue})`);
  }
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
