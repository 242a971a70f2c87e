/**
 * Validates the agent's payloads against the published JSON Schemas
 * (docs/schemas/{kind}.schema.json, draft 2020-12), compiled once per
 * validator with ajv.
 *
 * The nodes package carries its own copy of the schemas (copied into
 * dist/schemas by scripts/build.mjs), so an installed package never reads the
 * agent's source tree. Errors name the kind, the field as a JSON pointer, what
 * is wrong and the value seen.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { InboundError, KINDS, parseTopic, type Kind, type TopicParts } from './topic.ts';

// ajv is CommonJS; its 2020-12 class is the module's default export.
const require = createRequire(import.meta.url);
const Ajv2020 = (require('ajv/dist/2020.js') as { default: new (o: object) => { compile(s: object): ValidateFunction } }).default;

export type Validators = Map<Kind, ValidateFunction>;

/** Compiles `{kind}.schema.json` from `dir` for every kind; a missing or broken file is an error naming it. */
export function loadValidators(dir: string): Validators {
  const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true, verbose: true });
  const out: Validators = new Map();
  for (const kind of KINDS) {
    const file = join(dir, `${kind}.schema.json`);
    let schema: object;
    try {
      schema = JSON.parse(readFileSync(file, 'utf8')) as object;
    } catch (err) {
      throw new Error(`cannot load the ${kind} schema ${file}: ${(err as Error).message}`);
    }
    out.set(kind, ajv.compile(schema));
  }
  return out;
}

function describe(kind: Kind, e: ErrorObject): string {
  const where = e.instancePath === '' ? '(root)' : e.instancePath;
  const extra = e.keyword === 'additionalProperties' ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"`
    : e.keyword === 'enum' ? `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` : '';
  const seen = e.keyword === 'required' || e.keyword === 'additionalProperties' ? '' : ` (got ${JSON.stringify(e.data)})`;
  return `${kind} ${where}: ${e.message}${extra}${seen}`;
}

export interface Routed extends TopicParts {
  payload: Record<string, unknown>;
}

/**
 * Parses and checks one MQTT message: the topic, the body (object, JSON string
 * or Buffer), the schema of its kind, and that the payload's gateway/channel
 * agree with the topic. Throws an InboundError saying everything wrong.
 */
export function routeMessage(validators: Validators, topic: unknown, body: unknown): Routed {
  const parts = parseTopic(topic);
  let payload: unknown = body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    try {
      payload = JSON.parse(body.toString());
    } catch (err) {
      throw new InboundError(`topic "${topic}": payload is not JSON (${(err as Error).message})`);
    }
  }
  const validate = validators.get(parts.kind);
  if (!validate) throw new InboundError(`no schema loaded for kind "${parts.kind}"`);
  if (!validate(payload)) {
    const errors = (validate.errors ?? []).filter((e) => !['oneOf', 'anyOf', 'if'].includes(e.keyword)).map((e) => describe(parts.kind, e));
    throw new InboundError(`topic "${topic}": invalid ${parts.kind} payload: ${errors.join('; ')}`);
  }
  const p = payload as Record<string, unknown>;
  if (p.gateway !== parts.gateway || p.channel !== parts.channel) {
    throw new InboundError(`topic "${topic}": payload says gateway "${String(p.gateway)}", channel "${String(p.channel)}"; the topic says "${parts.gateway}", "${parts.channel}"`);
  }
  return { ...parts, payload: p };
}
