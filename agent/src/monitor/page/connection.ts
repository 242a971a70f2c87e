/// <reference lib="dom" />
/**
 * The page's WebSocket to the agent, reconnecting by itself: after a close or
 * a failed attempt it waits with exponential backoff (250 ms doubling to 5 s,
 * +-20% jitter so many pages do not return in step) and tries again, forever;
 * the backoff resets once a connection has delivered a message.
 */
export interface ConnectionHandlers {
  onMessage(data: unknown): void;
  onOpen(): void;
  /** Closed; the next attempt comes in `retryMs`. */
  onClose(retryMs: number): void;
}

export const BACKOFF_MIN_MS = 250;
export const BACKOFF_MAX_MS = 5000;

/** Delay before attempt `n` (0-based) after a failure, ms; `random` in [0, 1). */
export function backoffMs(n: number, random: number): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** n);
  return Math.round(base * (0.8 + 0.4 * random));
}

export function connect(url: string, h: ConnectionHandlers): { close(): void } {
  let failures = 0;
  let closed = false;
  let socket: WebSocket | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const open = () => {
    timer = null;
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => h.onOpen();
    ws.onmessage = (m) => {
      failures = 0;
      let data: unknown;
      try {
        data = JSON.parse(String(m.data));
      } catch {
        return;
      }
      h.onMessage(data);
    };
    ws.onclose = () => {
      socket = null;
      if (closed) return;
      const wait = backoffMs(failures++, Math.random());
      h.onClose(wait);
      timer = setTimeout(open, wait);
    };
  };
  open();
  return {
    close: () => {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      socket?.close();
    },
  };
}
