/**
 * Builds an RxJS operator from a per-subscription stage: `create` runs on each
 * subscription (state lives in what it returns), `next` maps one input to
 * zero or more outputs, `flush` emits what is left when the source completes.
 * Errors thrown by the stage go to the subscriber's error channel.
 */
import { Observable, type OperatorFunction } from 'rxjs';

export interface Stage<A, B> {
  next(value: A): readonly B[];
  flush?(): readonly B[];
}

export function statefulOperator<A, B>(create: () => Stage<A, B>): OperatorFunction<A, B> {
  return (source) => new Observable<B>((subscriber) => {
    const stage = create();
    const emit = (values: readonly B[]) => { for (const v of values) subscriber.next(v); };
    return source.subscribe({
      next: (value) => {
        let out: readonly B[];
        try { out = stage.next(value); } catch (err) { subscriber.error(err); return; }
        emit(out);
      },
      error: (err) => subscriber.error(err),
      complete: () => {
        let out: readonly B[] = [];
        try { out = stage.flush?.() ?? []; } catch (err) { subscriber.error(err); return; }
        emit(out);
        subscriber.complete();
      },
    });
  });
}
