/**
 * MQTT topics of the agent: `arrhythminet/v1/{gateway}/{channel}/{kind}`
 * (DESIGN.md section 7, docs/mqtt.md).
 *
 * Gateway and channel ids are single topic levels. They are restricted to
 * `[A-Za-z0-9_.-]{1,64}` (the config schema's rule), which keeps them clear of
 * the MQTT separators and wildcards (`/ + #`), of `$` (broker topics) and of
 * spaces and control characters that some brokers and dashboards mishandle.
 */

export const TOPIC_ROOT = 'arrhythminet/v1';

export const TOPIC_KINDS = ['status', 'beat', 'event', 'explain', 'vitals'] as const;
export type TopicKind = (typeof TOPIC_KINDS)[number];

const LEVEL = /^[A-Za-z0-9_.-]{1,64}$/;

export class TopicError extends Error {
  override name = 'TopicError';
}

/** Throws a TopicError naming `what`, the value and what is allowed, unless `value` is a valid level. */
export function checkTopicLevel(what: string, value: string): string {
  if (typeof value !== 'string') throw new TopicError(`${what} must be a string, got ${typeof value}`);
  if (LEVEL.test(value)) return value;
  const shown = JSON.stringify(value);
  let why: string;
  if (value.length === 0) why = 'it is empty (an empty topic level)';
  else if (value.length > 64) why = `it is ${value.length} characters long (64 at most)`;
  else {
    const bad = [...value].find((c) => !/[A-Za-z0-9_.-]/.test(c)) ?? '';
    const named: Record<string, string> = { '/': "'/' (the level separator)", '+': "'+' (a wildcard)", '#': "'#' (a wildcard)" };
    why = `it contains ${named[bad] ?? JSON.stringify(bad)}`;
  }
  throw new TopicError(`${what} ${shown} is not a valid topic level: ${why}; allowed are 1 to 64 of A-Z a-z 0-9 _ . -`);
}

export interface TopicParts {
  gateway: string;
  channel: string;
  kind: TopicKind;
}

export function buildTopic(parts: TopicParts): string {
  checkTopicLevel('gateway id', parts.gateway);
  checkTopicLevel('channel id', parts.channel);
  if (!(TOPIC_KINDS as readonly string[]).includes(parts.kind)) {
    throw new TopicError(`topic kind ${JSON.stringify(parts.kind)} is not one of ${TOPIC_KINDS.join(', ')}`);
  }
  return `${TOPIC_ROOT}/${parts.gateway}/${parts.channel}/${parts.kind}`;
}

/** Parses one of our topics; null for any other topic (so a router can pass it by). */
export function parseTopic(topic: string): TopicParts | null {
  const levels = topic.split('/');
  if (levels.length !== 5 || `${levels[0]}/${levels[1]}` !== TOPIC_ROOT) return null;
  const [, , gateway, channel, kind] = levels;
  if (!LEVEL.test(gateway) || !LEVEL.test(channel)) return null;
  if (!(TOPIC_KINDS as readonly string[]).includes(kind)) return null;
  return { gateway, channel, kind: kind as TopicKind };
}

/** Subscription filter for one kind (or all kinds) of every gateway and channel, or of one gateway. */
export function topicFilter(kind: TopicKind | '+' = '+', gateway = '+', channel = '+'): string {
  if (gateway !== '+') checkTopicLevel('gateway id', gateway);
  if (channel !== '+') checkTopicLevel('channel id', channel);
  return `${TOPIC_ROOT}/${gateway}/${channel}/${kind}`;
}
