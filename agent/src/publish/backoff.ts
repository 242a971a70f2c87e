/**
 * Reconnect delays: exponential from `initialMs`, capped at `maxMs`, with
 * "equal jitter" (half fixed, half random) so that many gateways restarted by
 * one broker outage do not reconnect in lockstep.
 */
export interface BackoffOptions {
  /** First delay, ms. Default 500. */
  initialMs?: number;
  /** Largest delay, ms. Default 30000. */
  maxMs?: number;
  /** Growth per failed attempt. Default 2. */
  factor?: number;
}

export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;

  constructor(options: BackoffOptions = {}, private readonly random: () => number = Math.random) {
    this.initialMs = options.initialMs ?? 500;
    this.maxMs = options.maxMs ?? 30_000;
    this.factor = options.factor ?? 2;
    if (!(this.initialMs > 0)) throw new RangeError(`reconnect initialMs: must be greater than 0, got ${this.initialMs}`);
    if (!(this.maxMs >= this.initialMs)) throw new RangeError(`reconnect maxMs: must be at least initialMs (${this.initialMs}), got ${this.maxMs}`);
    if (!(this.factor >= 1)) throw new RangeError(`reconnect factor: must be at least 1, got ${this.factor}`);
  }

  nextDelayMs(): number {
    const base = Math.min(this.maxMs, this.initialMs * this.factor ** this.attempt);
    this.attempt++;
    return base / 2 + (base / 2) * this.random();
  }

  reset(): void {
    this.attempt = 0;
  }
}
