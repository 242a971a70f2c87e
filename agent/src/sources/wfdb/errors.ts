/**
 * The one error type of the WFDB readers and writers: bad or truncated input
 * files, unsupported features, bad arguments. Its message always names the
 * file (and line or byte where it applies), what is wrong and what is allowed,
 * so callers can print it as is.
 */
export class WfdbError extends Error {
  override name = 'WfdbError';
  /** The file the problem is in (or about), as the caller named it. */
  readonly file: string;

  constructor(file: string, message: string) {
    super(message);
    this.file = file;
  }
}
