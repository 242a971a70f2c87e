/**
 * A mosquitto set up the way docs/security.md deploys it, for the security
 * tests: a throw-away CA with server and client certificates made by openssl,
 * a mosquitto_passwd file, an ACL, and TLS listeners only (no plain port):
 *  - `port`: TLS, username and password;
 *  - `certPort`: TLS with a required client certificate whose CN is the user.
 * Everything lives in a temp dir the caller removes.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMosquitto, type Broker } from '../helpers/mosquitto.ts';
import { freePort } from '../publish/mqtt-helpers.ts';

export interface Pki {
  dir: string;
  /** PEM file paths. */
  ca: string;
  /** A second CA that signed nothing the broker uses. */
  otherCa: string;
  /** Client certificate (CN = `certUser`) and its key, encrypted with `keyPassphrase`. */
  clientCert: string;
  clientKey: string;
  keyPassphrase: string;
}

export interface SecureBroker extends Broker {
  port: number;
  certPort: number;
  pki: Pki;
  /** user -> password, as written to the password file. */
  passwords: Record<string, string>;
}

/** The gateway the agent's user may publish for (the ACL: arrhythminet/v1/<username>/#). */
export const GATEWAY = 'ward3-bed12';
/** The client certificate's CN, the user on the certificate listener. */
export const CERT_USER = 'ward3-bed14';

const secret = (what: string) => `${what}-${randomBytes(12).toString('hex')}`;

export function makePki(dir: string): Pki {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  run('req', '-x509', ...ec, '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=arrhythminet-test-ca');
  run('req', '-x509', ...ec, '-nodes', '-keyout', 'other-ca.key', '-out', 'other-ca.pem', '-days', '1', '-subj', '/CN=someone-else-ca');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run('req', ...ec, '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'server.ext');
  const keyPassphrase = secret('keypass');
  // The client key is encrypted: the agent needs mqtt.tls.keyPassphrase, which must never be logged.
  run('req', ...ec, '-passout', `pass:${keyPassphrase}`, '-keyout', 'client.key', '-out', 'client.csr', '-subj', `/CN=${CERT_USER}`);
  run('x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.pem', '-days', '1');
  return {
    dir, ca: join(dir, 'ca.pem'), otherCa: join(dir, 'other-ca.pem'),
    clientCert: join(dir, 'client.pem'), clientKey: join(dir, 'client.key'), keyPassphrase,
  };
}

/** The ACL of docs/security.md: each gateway writes its own subtree, the nurse station reads all, admin everything. */
export const ACL = [
  '# gateways: user name = gateway id; write their own subtree only',
  'pattern write arrhythminet/v1/%u/#',
  '',
  'user nurse-station',
  'topic read arrhythminet/v1/#',
  '',
  'user admin',
  'topic readwrite #',
  '',
].join('\n');

export async function startSecureBroker(dir: string): Promise<SecureBroker> {
  const pki = makePki(dir);
  const passwords: Record<string, string> = { [GATEWAY]: secret('gw'), 'nurse-station': secret('ns'), admin: secret('adm') };
  const passwd = join(dir, 'passwd');
  writeFileSync(passwd, '');
  for (const [user, pw] of Object.entries(passwords)) execFileSync('mosquitto_passwd', ['-b', passwd, user, pw], { stdio: 'ignore' });
  writeFileSync(join(dir, 'acl'), ACL);
  const [port, certPort] = [await freePort(), await freePort()];
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, [
    // Started as root, mosquitto would drop to user "mosquitto", which cannot read the temp dir.
    'user root',
    'per_listener_settings true',
    `listener ${port} 127.0.0.1`,
    `cafile ${pki.ca}`, `certfile ${join(dir, 'server.pem')}`, `keyfile ${join(dir, 'server.key')}`, 'tls_version tlsv1.2',
    'allow_anonymous false', `password_file ${passwd}`, `acl_file ${join(dir, 'acl')}`,
    `listener ${certPort} 127.0.0.1`,
    `cafile ${pki.ca}`, `certfile ${join(dir, 'server.pem')}`, `keyfile ${join(dir, 'server.key')}`, 'tls_version tlsv1.2',
    'require_certificate true', 'use_identity_as_username true', 'allow_anonymous false', `acl_file ${join(dir, 'acl')}`,
    'log_dest stderr', 'log_type error', 'log_type warning', 'log_type notice', 'log_type information', '',
  ].join('\n'));
  const broker = await startMosquitto(conf, certPort);
  return { ...broker, port, certPort, pki, passwords };
}
