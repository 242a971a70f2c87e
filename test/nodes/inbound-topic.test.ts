import test from 'ava';
import { parseTopic } from '../../nodes/src/inbound/topic.ts';

test('agent topics parse into gateway, channel, kind', (t) => {
  t.deepEqual(parseTopic('arrhythminet/v1/bed-3.icu/ch_0/vitals'), { gateway: 'bed-3.icu', channel: 'ch_0', kind: 'vitals' });
});

test('bad topics: errors say what is wrong and what is allowed', (t) => {
  t.throws(() => parseTopic(undefined), { message: /msg.topic is undefined; expected arrhythminet\/v1\/\{gateway\}/ });
  t.throws(() => parseTopic('arrhythminet/v2/g/c/beat'), { message: /is not arrhythminet\/v1\// });
  t.throws(() => parseTopic('arrhythminet/v1/g/c/beat/extra'), { message: /is not arrhythminet\/v1\// });
  t.throws(() => parseTopic('arrhythminet/v1/g+x/c/beat'), { message: /gateway "g\+x" is not allowed; allowed are 1 to 64 of A-Z a-z 0-9 _ \. -/ });
  t.throws(() => parseTopic('arrhythminet/v1/g//beat'), { message: /channel "" is not allowed/ });
  t.throws(() => parseTopic(`arrhythminet/v1/${'g'.repeat(65)}/c/beat`), { message: /gateway "g{65}" is not allowed/ });
  t.throws(() => parseTopic('arrhythminet/v1/g/c/beats'), { message: /kind "beats" is unknown; kinds are status, beat, event, explain, vitals/ });
});
