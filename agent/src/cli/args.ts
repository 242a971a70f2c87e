/**
 * Thin wrapper over node:util parseArgs that turns its errors into UsageError,
 * so every subcommand reports a bad option the same way (exit code 2).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.ts';

export function parseCommandArgs<T extends ParseArgsConfig['options']>(
  args: string[], options: T, allowPositionals = true,
) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
