import test from 'ava';
import fc from 'fast-check';
import { buildTopic, checkTopicLevel, parseTopic, TOPIC_KINDS, topicFilter, TopicError } from '../../agent/src/publish/topics.ts';

test('builds and parses every kind', (t) => {
  for (const kind of TOPIC_KINDS) {
    const topic = buildTopic({ gateway: 'ward-3.bed_12', channel: 'ch0', kind });
    t.is(topic, `arrhythminet/v1/ward-3.bed_12/ch0/${kind}`);
    t.deepEqual(parseTopic(topic), { gateway: 'ward-3.bed_12', channel: 'ch0', kind });
  }
});

test('round-trips any valid ids', (t) => {
  const level = fc.stringMatching(/^[A-Za-z0-9_.-]{1,64}$/);
  fc.assert(fc.property(level, level, fc.constantFrom(...TOPIC_KINDS), (gateway, channel, kind) => {
    t.deepEqual(parseTopic(buildTopic({ gateway, channel, kind })), { gateway, channel, kind });
  }));
});

test('rejects ids that are not one safe topic level, naming the value and the reason', (t) => {
  const cases: [string, RegExp][] = [
    ['', /gateway id "" is not a valid topic level: it is empty/],
    ['a/b', /gateway id "a\/b" .*'\/' \(the level separator\)/],
    ['bed+', /gateway id "bed\+" .*'\+' \(a wildcard\)/],
    ['#', /gateway id "#" .*'#' \(a wildcard\)/],
    ['bed 1', /gateway id "bed 1" .*contains " "/],
    ['$SYS', /contains "\$"/],
    ['x'.repeat(65), /65 characters long \(64 at most\)/],
  ];
  for (const [value, message] of cases) {
    const err = t.throws(() => buildTopic({ gateway: value, channel: 'ch0', kind: 'beat' }), { instanceOf: TopicError });
    t.regex(err!.message, message);
    t.regex(err!.message, /allowed are 1 to 64 of A-Z a-z 0-9 _ \. -/);
  }
  t.throws(() => checkTopicLevel('channel id', 'a#'), { message: /^channel id "a#"/ });
  t.throws(() => buildTopic({ gateway: 'g', channel: 'c', kind: 'beats' as 'beat' }), { message: /topic kind "beats" is not one of status, beat, event, explain, vitals/ });
});

test('parseTopic returns null for topics that are not ours', (t) => {
  for (const topic of ['arrhythminet/v2/g/c/beat', 'arrhythminet/v1/g/c/beats', 'arrhythminet/v1/g/beat', 'arrhythminet/v1/g//beat', 'other/v1/g/c/beat', 'arrhythminet/v1/g/c/beat/x']) {
    t.is(parseTopic(topic), null, topic);
  }
});

test('filters', (t) => {
  t.is(topicFilter(), 'arrhythminet/v1/+/+/+');
  t.is(topicFilter('event'), 'arrhythminet/v1/+/+/event');
  t.is(topicFilter('status', 'gw1'), 'arrhythminet/v1/gw1/+/status');
  t.throws(() => topicFilter('event', 'a/b'), { instanceOf: TopicError });
});
