import test from 'ava';
import { lastValueFrom, toArray, VirtualTimeScheduler } from 'rxjs';
import { syntheticChunks, syntheticEcg$, type SyntheticChunk } from '../../agent/src/sources/synthetic.ts';

const options = { fs: 500, seed: 4, ectopics: [{ kind: 'V' as const, atBeat: 2 }] };

test('real-time pace emits each chunk when its last sample is due, then completes', (t) => {
  const scheduler = new VirtualTimeScheduler();
  const seen: Array<{ atMs: number; chunk: SyntheticChunk }> = [];
  let completedAtMs = -1;
  syntheticEcg$(options, { chunkSize: 50, durationSec: 1.03, scheduler }).subscribe({
    next: (chunk) => seen.push({ atMs: scheduler.now(), chunk }),
    complete: () => { completedAtMs = scheduler.now(); },
  });
  scheduler.flush();
  // 515 samples: ten chunks of 50 (100 ms each) and a last one of 15.
  t.deepEqual(seen.map((s) => s.chunk.mv.length), [...Array(10).fill(50), 15]);
  seen.slice(0, 10).forEach((s, k) => t.is(s.atMs, (k + 1) * 100));
  t.is(seen[10].atMs, 1030);
  t.is(completedAtMs, 1030);
  // wallMs comes from the scheduler's clock at subscription (0 here), on the sample clock.
  t.deepEqual(seen.map((s) => s.chunk.wallMs), seen.map((s) => s.chunk.start * 2));
});

test('the paced stream carries the same samples and beats as the synchronous generator', async (t) => {
  const fromStream = await lastValueFrom(syntheticEcg$(options, { chunkSize: 333, durationSec: 8, pace: 'fast' }).pipe(toArray()));
  const direct = [...syntheticChunks(options, 333, 4000)];
  t.is(fromStream.length, direct.length);
  fromStream.forEach((c, i) => {
    t.is(c.start, direct[i].start);
    t.deepEqual(Array.from(c.mv), Array.from(direct[i].mv));
    t.deepEqual(c.beats, direct[i].beats);
  });
});

test('unsubscribing stops the stream', (t) => {
  const scheduler = new VirtualTimeScheduler();
  let count = 0;
  const sub = syntheticEcg$(options, { chunkSize: 100, scheduler }).subscribe(() => {
    count++;
    if (count === 3) sub.unsubscribe();
  });
  scheduler.flush();
  t.is(count, 3);
});

test('an endless fast stream yields to the event loop between chunks', async (t) => {
  let chunks = 0;
  const sub = syntheticEcg$(options, { chunkSize: 500, pace: 'fast' }).subscribe(() => { chunks++; });
  await new Promise((resolve) => setTimeout(resolve, 50));
  sub.unsubscribe();
  // A timer ran while the endless stream was flowing: it did not hog the loop.
  t.true(chunks > 0);
});
