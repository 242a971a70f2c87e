/**
 * Validates payloads against the JSON Schemas in docs/schemas/ (draft 2020-12),
 * compiled once per process with ajv. Used by the tests and meant for the
 * Node-RED nodes, which receive these messages from the broker.
 *
 * Errors name the kind, the field (JSON pointer), what is wrong and the value
 * seen, e.g. `beat /probs/N: must be <= 1 (got 1.5)`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { TOPIC_KINDS, type TopicKind } from './topics.ts';
import type { PayloadOf } from './payloads.ts';

/** docs/schemas of this checkout. */
export const schemaDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'schemas');

export function loadSchema(kind: TopicKind, dir = schemaDir): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, `${kind}.schema.json`), 'utf8')) as Record<string, unknown>;
}

let compiled: Map<TopicKind, ValidateFunction> | undefined;

function validators(): Map<TopicKind, ValidateFunction> {
  if (compiled) return compiled;
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
  compiled = new Map(TOPIC_KINDS.map((k) => [k, ajv.compile(loadSchema(k))]));
  return compiled;
}

export type Validation = { valid: true; errors: [] } | { valid: false; errors: string[] };

export function validatePayload(kind: TopicKind, value: unknown): Validation {
  const validate = validators().get(kind);
  if (!validate) throw new RangeError(`no schema for kind ${JSON.stringify(kind)}; kinds are ${TOPIC_KINDS.join(', ')}`);
  if (validate(value)) return { valid: true, errors: [] };
  return { valid: false, errors: (validate.errors ?? []).filter(useful).map((e) => describe(kind, e)) };
}

export class PayloadError extends Error {
  override name = 'PayloadError';
  constructor(readonly kind: TopicKind, readonly errors: string[]) {
    super(`invalid ${kind} payload: ${errors.join('; ')}`);
  }
}

/** Returns the value typed as its kind's payload, or throws a PayloadError listing every problem. */
export function assertPayload<K extends TopicKind>(kind: K, value: unknown): PayloadOf[K] {
  const r = validatePayload(kind, value);
  if (!r.valid) throw new PayloadError(kind, r.errors);
  return value as PayloadOf[K];
}

/** Parses an MQTT message body (Buffer or string) and validates it. */
export function parsePayload<K extends TopicKind>(kind: K, body: Buffer | string): PayloadOf[K] {
  let value: unknown;
  try {
    value = JSON.parse(body.toString());
  } catch (err) {
    throw new PayloadError(kind, [`not JSON: ${(err as Error).message}`]);
  }
  return assertPayload(kind, value);
}

// "must match if/then schema" repeats the error already reported inside then/else.
const useful = (e: ErrorObject): boolean => e.keyword !== 'if';

function describe(kind: TopicKind, e: ErrorObject): string {
  const at = e.instancePath || '(top level)';
  let what = e.message ?? e.keyword;
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') what = `unknown field ${JSON.stringify(p.additionalProperty)}`;
  else if (e.keyword === 'required') what = `missing field ${JSON.stringify(p.missingProperty)}`;
  else if (e.keyword === 'enum') what = `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  else if (e.keyword === 'const') what = `must be ${JSON.stringify(p.allowedValue)}`;
  const seen = e.keyword === 'required' || e.keyword === 'additionalProperties' ? '' : ` (got ${shown(e.data)})`;
  return `${kind} ${at}: ${what}${seen}`;
}

function shown(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
