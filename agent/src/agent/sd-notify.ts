/**
 * systemd notification (sd_notify) for Type=notify units with a watchdog:
 * READY=1 once the agent runs, WATCHDOG=1 at half of WatchdogSec, STOPPING=1 on
 * shutdown. Node has no datagram Unix sockets, so each message is sent by
 * spawning `systemd-notify --pid=<our pid>` (the unit sets NotifyAccess=all, so
 * the helper's messages are accepted; --pid attributes them to us).
 * Without NOTIFY_SOCKET (not under systemd) every call is a no-op.
 * The watchdog ping runs on a timer, so it proves the event loop is alive; a
 * wedged loop stops the pings and systemd restarts the agent.
 */
import { spawn } from 'node:child_process';

export interface SdNotifyOptions {
  env?: NodeJS.ProcessEnv;
  /** Program to run; default 'systemd-notify'. Tests pass a fake. */
  program?: string;
  /** Called when the helper cannot run (logged once by the caller). */
  onError?: (err: Error) => void;
}

export class SdNotify {
  private readonly enabled: boolean;
  private readonly program: string;
  private timer: ReturnType<typeof setInterval> | null = null;
  private failed = false;
  /** Watchdog interval from WATCHDOG_USEC, ms; null when systemd set none. */
  readonly watchdogMs: number | null;

  constructor(private readonly o: SdNotifyOptions = {}) {
    const env = o.env ?? process.env;
    this.enabled = Boolean(env.NOTIFY_SOCKET);
    this.program = o.program ?? 'systemd-notify';
    const usec = Number(env.WATCHDOG_USEC);
    const forUs = env.WATCHDOG_PID === undefined || Number(env.WATCHDOG_PID) === process.pid;
    this.watchdogMs = this.enabled && forUs && usec > 0 ? usec / 1000 : null;
  }

  get active(): boolean {
    return this.enabled;
  }

  /** READY=1 and start the watchdog pings. */
  ready(status?: string): void {
    this.send(['READY=1', ...(status ? [`STATUS=${status}`] : [])]);
    if (this.watchdogMs !== null && this.timer === null) {
      this.timer = setInterval(() => this.send(['WATCHDOG=1']), this.watchdogMs / 2);
      this.timer.unref();
    }
  }

  status(text: string): void {
    this.send([`STATUS=${text}`]);
  }

  stopping(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.send(['STOPPING=1']);
  }

  private send(assignments: string[]): void {
    if (!this.enabled || this.failed) return;
    const child = spawn(this.program, [`--pid=${process.pid}`, ...assignments], { stdio: 'ignore', env: this.o.env ?? process.env });
    child.on('error', (err) => {
      this.failed = true;
      this.o.onError?.(err);
    });
    child.unref();
  }
}
