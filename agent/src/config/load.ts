/**
 * Loads the agent's configuration: a YAML or JSON file (YAML 1.2 reads both),
 * validated against configSchema, defaults filled in, secrets resolved from
 * environment variables or files. Every problem is reported at once, each as
 * `key = value: what is allowed`, in a ConfigError (exit code 2). Secret values
 * never appear in messages.
 */
import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject } from 'ajv';
import { parseDocument } from 'yaml';
import { UsageError } from '../errors.ts';
import { scenarioProblems, type ScenarioStep } from '../sources/synthetic/scenario.ts';
import { isLoopbackHost, MIN_TOKEN_CHARS } from '../monitor/access.ts';
import { configSchema, DEFAULT_BAUD } from './schema.ts';
import type { AgentConfig } from './types.ts';

export class ConfigError extends UsageError {
  override name = 'ConfigError';
  constructor(readonly where: string, readonly problems: string[]) {
    super(`config ${where}:\n  ${problems.join('\n  ')}`);
  }
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, discriminator: true, strict: false, verbose: true });
const validate = ajv.compile(configSchema);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** The keys `secret` may hold; their values are masked in every message. */
const SECRET_KEYS = new Set(['password', 'keyPassphrase', 'token']);

/** Reads and checks a config file; with no path, the embedded defaults. */
export async function loadConfig(path?: string, env: NodeJS.ProcessEnv = process.env): Promise<AgentConfig> {
  // The embedded demo shows its monitor page; a config file says whether it wants one.
  if (path === undefined) return parseConfig({ monitor: { enabled: true } }, 'defaults', env);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, [`cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`]);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(path, doc.errors.map((e) => `syntax error at line ${e.linePos?.[0].line ?? '?'}, column ${e.linePos?.[0].col ?? '?'}: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`));
  }
  const value = doc.toJS() ?? {};
  return parseConfig(value, path, env);
}

/** Checks an already-parsed value (a file's content, or an object built in code). */
export async function parseConfig(value: unknown, where: string, env: NodeJS.ProcessEnv = process.env): Promise<AgentConfig> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(where, [`the top level must be a mapping of keys (gateway, source, mqtt, ...), got ${describe(value)}`]);
  }
  const copy = structuredClone(value) as Record<string, Json>;
  if (!validate(copy)) throw new ConfigError(where, formatErrors(validate.errors ?? [], copy));
  completeSource(copy.source as Record<string, Json>);
  const problems: string[] = [];
  const mqtt = copy.mqtt as Record<string, Json>;
  if (mqtt.password !== undefined) mqtt.password = await resolveSecret('mqtt.password', mqtt.password, env, problems);
  const tls = mqtt.tls as Record<string, Json> | undefined;
  if (tls?.keyPassphrase !== undefined) tls.keyPassphrase = await resolveSecret('mqtt.tls.keyPassphrase', tls.keyPassphrase, env, problems);
  problems.push(...await monitorProblems(copy.monitor as Record<string, Json>, env));
  const rhythm = copy.rhythm as Record<string, number>;
  if (rhythm.tachyEndBpm > rhythm.tachyStartBpm) problems.push(`rhythm.tachyEndBpm = ${rhythm.tachyEndBpm}: must not exceed rhythm.tachyStartBpm (${rhythm.tachyStartBpm})`);
  if (rhythm.bradyEndBpm < rhythm.bradyStartBpm) problems.push(`rhythm.bradyEndBpm = ${rhythm.bradyEndBpm}: must not be below rhythm.bradyStartBpm (${rhythm.bradyStartBpm})`);
  const source = copy.source as Record<string, Json>;
  if (source.type === 'synthetic') problems.push(...scenarioProblems(source.scenario as unknown as ScenarioStep[], 'source.scenario'));
  if (source.type === 'serial' && source.secondEcgChannel !== null) {
    if (source.format !== 'ours') problems.push(`source.secondEcgChannel = ${source.secondEcgChannel}: the ${String(source.format)} format carries one ECG channel; a second lead needs format "ours" (or set secondEcgChannel: null)`);
    else if (source.secondEcgChannel === source.ecgChannel) problems.push(`source.secondEcgChannel = ${source.secondEcgChannel}: the same channel as source.ecgChannel; allowed: the other channel (${source.ecgChannel === 1 ? 2 : 1}) or null`);
  }
  if (problems.length > 0) throw new ConfigError(where, problems);
  return copy as unknown as AgentConfig;
}

/** A config with secrets masked, safe to log or print. */
export function redactConfig(config: AgentConfig): unknown {
  return JSON.parse(JSON.stringify(config, (key, v) => (SECRET_KEYS.has(key) && v !== undefined ? '[redacted]' : v)));
}

/** Resolves monitor.token and checks the rule the schema cannot say: off loopback, a token is required. */
async function monitorProblems(monitor: Record<string, Json>, env: NodeJS.ProcessEnv): Promise<string[]> {
  const problems: string[] = [];
  monitor.enabled ??= false;
  if (monitor.token !== undefined) {
    monitor.token = await resolveSecret('monitor.token', monitor.token, env, problems);
    if (problems.length === 0 && (monitor.token as string).length < MIN_TOKEN_CHARS) {
      problems.push(`monitor.token: ${(monitor.token as string).length} characters; at least ${MIN_TOKEN_CHARS} are required`);
    }
  }
  if (monitor.enabled && !isLoopbackHost(monitor.host as string) && monitor.token === undefined) {
    problems.push(`monitor.host = ${JSON.stringify(monitor.host)}: not a loopback address, so monitor.token is required ({env: NAME} or {file: PATH})`);
  }
  return problems;
}

async function resolveSecret(key: string, spec: Json, env: NodeJS.ProcessEnv, problems: string[]): Promise<string> {
  if (typeof spec === 'string') return spec;
  const s = spec as { env?: string; file?: string };
  if (s.env !== undefined) {
    const v = env[s.env];
    if (v === undefined || v === '') problems.push(`${key}: environment variable ${s.env} is not set`);
    return v ?? '';
  }
  try {
    return (await readFile(s.file!, 'utf8')).replace(/\r?\n$/, '');
  } catch (err) {
    problems.push(`${key}: file ${s.file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return '';
  }
}

/**
 * The validated source as the agent uses it: the chosen branch's defaults
 * (ajv may leave those of a oneOf branch unfilled), with the one that depends
 * on another key, `baud` by `format`; an index written as a YAML number
 * (secondSignal: 1) means "1".
 */
function completeSource(source: Record<string, Json>): void {
  if (source.type === 'serial' && source.baud === undefined) source.baud = DEFAULT_BAUD[source.format === 'openview' ? 'openview' : 'ours'];
  if (source.type === 'wfdb' && typeof source.secondSignal === 'number') source.secondSignal = String(source.secondSignal);
  const branch = configSchema.properties.source.oneOf.find((b) => b.properties.type.const === source.type);
  if (!branch) return;
  for (const [k, prop] of Object.entries(branch.properties)) {
    if (source[k] === undefined && 'default' in prop) source[k] = prop.default as Json;
  }
}

function keyOf(instancePath: string): string {
  const key = instancePath.replace(/^\//, '').split('/').join('.');
  return key === '' ? '(top level)' : key;
}

function valueAt(root: Json, instancePath: string): Json | undefined {
  let v: Json | undefined = root;
  for (const part of instancePath.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, Json>)[part];
  }
  return v;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (v !== null && typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') {
    // A binary or other non-YAML file reads as one long scalar: name it, do not print it.
    if (/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(v)) return `${v.length} characters of binary data (not a YAML or JSON file?)`;
    if (v.length > 60) return `${JSON.stringify(v.slice(0, 40))}... (${v.length} characters)`;
  }
  return JSON.stringify(v);
}

function formatErrors(errors: ErrorObject[], root: Json): string[] {
  const out = new Set<string>();
  // oneOf failures inside a secret report each alternative; say it once.
  const secretPaths = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  for (const e of errors) {
    const key = keyOf(e.instancePath);
    const shown = SECRET_KEYS.has(key.split('.').at(-1) ?? '') ? '[redacted]' : describe(valueAt(root, e.instancePath));
    if (secretPaths.has(e.instancePath) && e.keyword !== 'oneOf') continue;
    switch (e.keyword) {
      case 'additionalProperties': {
        const parentSchema = e.parentSchema as { properties?: Record<string, unknown> };
        const allowed = Object.keys(parentSchema.properties ?? {}).join(', ');
        const full = e.instancePath === '' ? e.params.additionalProperty : `${key}.${e.params.additionalProperty}`;
        out.add(`${full}: unknown key; allowed here: ${allowed}`);
        break;
      }
      case 'required':
        out.add(`${e.instancePath === '' ? '' : `${key}.`}${e.params.missingProperty}: required, missing`);
        break;
      case 'enum':
        out.add(`${key} = ${shown}: must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`);
        break;
      case 'discriminator': {
        const types = configSchema.properties.source.oneOf.map((b) => JSON.stringify(b.properties.type.const)).join(', ');
        const tag = valueAt(root, `${e.instancePath}/type`);
        out.add(`${key}.type = ${describe(tag)}: must be one of ${types}`);
        break;
      }
      case 'oneOf':
        if (SECRET_KEYS.has(key.split('.').at(-1) ?? '')) out.add(`${key}: must be a string, {env: NAME} or {file: PATH}`);
        break;
      case 'const':
        break;
      default:
        out.add(`${key} = ${shown}: ${e.message}`);
    }
  }
  return [...out];
}
