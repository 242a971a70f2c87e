/**
 * The agent's MQTT topics, `arrhythminet/v1/{gateway}/{channel}/{kind}`
 * (DESIGN.md section 7): parsing, with errors that say what is wrong.
 *
 * Limits: only version v1 is understood; a gateway or channel level is 1 to 64
 * of A-Z a-z 0-9 _ . - as the agent publishes them.
 */

export const KINDS = ['status', 'beat', 'event', 'explain', 'vitals'] as const;
export type Kind = (typeof KINDS)[number];

export const TOPIC_ROOT = 'arrhythminet/v1';
const LEVEL = /^[A-Za-z0-9_.-]{1,64}$/;

export interface TopicParts {
  gateway: string;
  channel: string;
  kind: Kind;
}

export class InboundError extends Error {
  override name = 'InboundError';
}

export function parseTopic(topic: unknown): TopicParts {
  if (typeof topic !== 'string' || topic === '') {
    throw new InboundError(`msg.topic is ${JSON.stringify(topic)}; expected ${TOPIC_ROOT}/{gateway}/{channel}/{kind}`);
  }
  const levels = topic.split('/');
  if (levels.length !== 5 || `${levels[0]}/${levels[1]}` !== TOPIC_ROOT) {
    throw new InboundError(`topic "${topic}" is not ${TOPIC_ROOT}/{gateway}/{channel}/{kind}`);
  }
  const [, , gateway, channel, kind] = levels;
  for (const [what, value] of [['gateway', gateway], ['channel', channel]] as const) {
    if (!LEVEL.test(value)) {
      throw new InboundError(`topic "${topic}": ${what} "${value}" is not allowed; allowed are 1 to 64 of A-Z a-z 0-9 _ . -`);
    }
  }
  if (!(KINDS as readonly string[]).includes(kind)) {
    throw new InboundError(`topic "${topic}": kind "${kind}" is unknown; kinds are ${KINDS.join(', ')}`);
  }
  return { gateway, channel, kind: kind as Kind };
}
