/**
 * The agent's structured log: pino JSON lines on stderr (stdout is the console
 * view's), synchronous so the last lines survive a prompt exit. Secrets are
 * redacted by path wherever a config or connection object is logged.
 */
import { pino, type Logger, type LevelWithSilent } from 'pino';

export const REDACT_PATHS = [
  'password', '*.password', '*.*.password', '*.*.*.password',
  'keyPassphrase', '*.keyPassphrase', '*.*.keyPassphrase', '*.*.*.keyPassphrase',
];

export function createLogger(level: LevelWithSilent, destination: number | NodeJS.WritableStream = 2): Logger {
  const dest = typeof destination === 'number' ? pino.destination({ fd: destination, sync: true }) : destination;
  return pino({ name: 'arrhythminet', level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, dest);
}
