/**
 * Errors shared by the agent's modules. A UsageError is something the user must
 * fix (a bad command line, config or input file): the CLI exits with code 2.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
