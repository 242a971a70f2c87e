/**
 * The rhythm engine as an RxJS operator: one engine per subscription, its open
 * episodes closed when the input completes, so every 'start' gets its 'end'.
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { RhythmConfig } from './config.ts';
import { RhythmEngine } from './engine.ts';
import type { RhythmEvent, RhythmInput } from './types.ts';

export function rhythmEvents(config: Partial<RhythmConfig> = {}): OperatorFunction<RhythmInput, RhythmEvent> {
  return (source) => new Observable<RhythmEvent>((subscriber) => {
    const engine = new RhythmEngine(config);
    return source.subscribe({
      next(input) {
        let events: RhythmEvent[];
        try {
          events = engine.next(input);
        } catch (err) {
          subscriber.error(err);
          return;
        }
        for (const e of events) subscriber.next(e);
      },
      error: (err) => subscriber.error(err),
      complete() {
        for (const e of engine.finish()) subscriber.next(e);
        subscriber.complete();
      },
    });
  });
}
