/** A timer pair to inject (timers option) and a clock to move by hand, without touching the globals other tests use. */
export function manualTimers() {
  let now = 0;
  let nextId = 1;
  const due = new Map<number, { at: number; fn: () => void }>();
  const timers = {
    setTimeout: ((fn: () => void, ms = 0) => {
      const id = nextId++;
      due.set(id, { at: now + ms, fn });
      return id as unknown as ReturnType<typeof setTimeout>;
    }) as unknown as typeof setTimeout,
    clearTimeout: ((id: number) => void due.delete(id)) as unknown as typeof clearTimeout,
  };
  /** Moves time on by `ms`, running what falls due in order, then lets promise callbacks run. */
  async function advance(ms: number): Promise<void> {
    const until = now + ms;
    for (;;) {
      const next = [...due].filter(([, d]) => d.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!next) break;
      due.delete(next[0]);
      now = next[1].at;
      next[1].fn();
    }
    now = until;
    for (let i = 0; i < 10; i++) await Promise.resolve();
  }
  return { timers, advance, pending: () => due.size };
}
