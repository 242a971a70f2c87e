/** One subcommand of `arrhythminet`: its name, one-line summary, usage and entry. */
export interface Command {
  name: string;
  summary: string;
  /** Usage line(s) shown by `arrhythminet help NAME` and on usage errors. */
  usage: string;
  /** Runs with the arguments after the subcommand name; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}
