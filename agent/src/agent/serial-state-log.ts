/**
 * What the serial source is doing, in the agent's log: a bedside engineer
 * with a missing or unplugged bridge must see why no beat arrives.
 *
 * The source retries about once a second while the device is away, so not
 * every attempt is logged: the first failure of a run of failures, any change
 * of reason, then one reminder per `remindEvery` attempts (a minute at the
 * 1-s backoff cap); each (re)open is logged with the attempts it took.
 */
import type { Logger } from 'pino';
import type { SerialStateChange } from '../sources/serial.ts';

export function serialStateLogger(log: Pick<Logger, 'info' | 'warn' | 'debug'>, path: string, remindEvery = 60): (s: SerialStateChange) => void {
  let lastReason: string | null = null;
  let failures = 0;
  return (s) => {
    switch (s.state) {
      case 'waiting': {
        failures = s.failures ?? failures + 1;
        const news = failures === 1 || s.reason !== lastReason;
        lastReason = s.reason;
        if (!news && failures % remindEvery !== 0) break;
        log.warn({ path, reason: s.reason, failures, retryInMs: s.retryInMs },
          news ? `serial: ${path}: ${s.reason}; retrying` : `serial: ${path}: still unavailable after ${failures} attempts (${s.reason})`);
        break;
      }
      case 'open':
        log.info({ path, failedAttempts: failures }, failures > 0 ? `serial: ${path} opened after ${failures} failed attempts` : `serial: ${path} opened`);
        failures = 0;
        lastReason = null;
        break;
      default:
        log.debug({ path, state: s.state, reason: s.reason }, `serial: ${s.state}`);
    }
  };
}
