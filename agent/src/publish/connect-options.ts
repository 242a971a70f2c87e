/**
 * Turns the publisher's connection settings into MQTT.js options: URL, TLS
 * files read once (errors name the file), credentials, and the v5/3.1.1 choice.
 * The password and key passphrase are taken as resolved strings (the config
 * loader resolves literal / {env} / {file}); they never appear in `describe`.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IClientOptions } from 'mqtt';
import { UsageError } from '../errors.ts';

export interface TlsSettings {
  /** CA certificate file (PEM) to trust instead of the system store. */
  ca?: string;
  /** Client certificate file (PEM), for certificate authentication. */
  cert?: string;
  /** Client key file (PEM). */
  key?: string;
  keyPassphrase?: string;
  /** Verify the broker's certificate. Default true; false only for tests. */
  rejectUnauthorized?: boolean;
}

export interface ConnectionSettings {
  /** mqtt://, mqtts://, ws:// or wss:// URL. */
  url: string;
  clientId?: string;
  username?: string;
  password?: string;
  tls?: TlsSettings;
  /** Keep-alive, s. Default 30. */
  keepaliveS?: number;
  /** Give up a connection attempt without CONNACK after this long, ms. Default 10000. */
  connectTimeoutMs?: number;
}

/** A bad URL or unreadable TLS file: the config must be fixed (a UsageError: exit code 2). */
export class ConnectionSettingsError extends UsageError {
  override name = 'ConnectionSettingsError';
}

function readPem(what: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConnectionSettingsError(`mqtt.tls.${what}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/**
 * Checks that the key opens with the passphrase given (or none): otherwise the
 * TLS handshake fails later with a bare OpenSSL message ("bad decrypt").
 */
function checkKey(path: string, pem: Buffer, passphrase: string | undefined): void {
  try {
    createPrivateKey({ key: pem, passphrase });
  } catch (err) {
    const why = passphrase === undefined
      ? 'not a PEM private key, or encrypted and mqtt.tls.keyPassphrase is not set'
      : 'not a PEM private key, or mqtt.tls.keyPassphrase does not decrypt it';
    throw new ConnectionSettingsError(`mqtt.tls.key: cannot use ${path}: ${why} (${(err as Error).message})`);
  }
}

export function mqttOptions(s: ConnectionSettings, protocolVersion: 4 | 5, will: IClientOptions['will']): IClientOptions {
  let url: URL;
  try {
    url = new URL(s.url);
  } catch {
    throw new ConnectionSettingsError(`mqtt.url ${JSON.stringify(s.url)} is not a URL; expected mqtt://host:port, mqtts://, ws:// or wss://`);
  }
  if (!['mqtt:', 'mqtts:', 'ws:', 'wss:', 'tcp:', 'ssl:'].includes(url.protocol)) {
    throw new ConnectionSettingsError(`mqtt.url ${JSON.stringify(s.url)}: protocol ${url.protocol} is not one of mqtt:, mqtts:, ws:, wss:`);
  }
  const o: IClientOptions = {
    protocolVersion,
    clean: true,
    keepalive: s.keepaliveS ?? 30,
    connectTimeout: s.connectTimeoutMs ?? 10_000,
    // We reconnect ourselves, with backoff (client.ts).
    reconnectPeriod: 0,
    queueQoSZero: false,
    resubscribe: false,
    will,
  };
  if (s.clientId !== undefined) o.clientId = s.clientId;
  if (s.username !== undefined) o.username = s.username;
  if (s.password !== undefined) o.password = s.password;
  const tls = s.tls;
  if (tls) {
    if (tls.ca) o.ca = readPem('ca', tls.ca);
    if (tls.cert) o.cert = readPem('cert', tls.cert);
    if (tls.key) {
      o.key = readPem('key', tls.key);
      checkKey(tls.key, o.key, tls.keyPassphrase);
    }
    // MQTT.js hands unknown options on to tls.connect, which takes the key passphrase.
    if (tls.keyPassphrase !== undefined) Object.assign(o, { passphrase: tls.keyPassphrase });
    o.rejectUnauthorized = tls.rejectUnauthorized ?? true;
  }
  return o;
}

/** The settings as safe to log: secrets replaced, TLS given as the file names. */
export function describeSettings(s: ConnectionSettings): Record<string, unknown> {
  return {
    url: s.url,
    clientId: s.clientId,
    username: s.username,
    password: s.password === undefined ? undefined : '[redacted]',
    tls: s.tls && { ...s.tls, keyPassphrase: s.tls.keyPassphrase === undefined ? undefined : '[redacted]' },
  };
}

/** pino redact paths that cover wherever a secret could be passed in a log object. */
export const REDACT_PATHS = ['password', '*.password', 'keyPassphrase', '*.keyPassphrase', '*.*.keyPassphrase', 'passphrase', '*.passphrase'];
