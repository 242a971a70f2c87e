/**
 * `arrhythminet`: dispatches to one subcommand per file in ./commands.
 * Errors are reported once, here, as one line on stderr; the exit code follows
 * DESIGN.md section 6 (0 ok, 1 runtime failure, 2 bad usage or config).
 */
import type { Command } from './command.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './errors.ts';
import { commands } from './commands/index.ts';

function helpText(list: readonly Command[]): string {
  const width = Math.max(...list.map((c) => c.name.length));
  const lines = list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return ['usage: arrhythminet <command> [options]', '', 'commands:', ...lines, '',
    "'arrhythminet <command> --help' (or 'arrhythminet help <command>') shows a command's options."].join('\n');
}

/** `--help` or `-h` among a command's options (not after `--`, where it would be a value). */
function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const cmd = commands.find((c) => c.name === topic);
    process.stdout.write((cmd ? cmd.usage : helpText(commands)) + '\n');
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    process.stderr.write(`arrhythminet: unknown command '${name}'; allowed: ${commands.map((c) => c.name).join(', ')}\n`);
    return EXIT_USAGE;
  }
  if (asksForHelp(rest)) {
    process.stdout.write(cmd.usage + '\n');
    return EXIT_OK;
  }
  try {
    return await cmd.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`arrhythminet ${name}: ${err.message}\n`);
      return EXIT_USAGE;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`arrhythminet ${name}: ${message}\n`);
    if (process.env.ARRHYTHMINET_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    return EXIT_FAILURE;
  }
}
