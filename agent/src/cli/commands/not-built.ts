import type { Command } from '../command.ts';
import { NotBuiltError } from '../errors.ts';

/** A subcommand of DESIGN.md section 6 that exists in the help but not yet in code. */
export function notBuilt(name: string, summary: string, usage: string, issue: string): Command {
  return {
    name,
    summary: `${summary} (not built yet)`,
    usage,
    run: async () => { throw new NotBuiltError(name, issue); },
  };
}
