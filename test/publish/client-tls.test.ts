import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aedes } from 'aedes';
import { testNeeding, type Requirement } from '../helpers/requires.ts';
import { Publisher, type PublisherOptions } from '../../agent/src/publish/client.ts';
import { Outbox } from '../../agent/src/publish/outbox/outbox.ts';
import { MemoryOutboxStore } from '../../agent/src/publish/outbox/memory-store.ts';
import { waitUntil } from './mqtt-helpers.ts';
import { origin } from './examples.ts';

const openssl: Requirement = {
  what: 'openssl (to make test certificates)',
  check: () => {
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' });
      return null;
    } catch {
      return 'openssl not found';
    }
  },
};
const test = testNeeding(openssl);

/** A throw-away CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl. */
function makePki(dir: string): void {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=arrhythminet-test-ca');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  for (const [name, cn] of [['server', 'localhost'], ['client', 'ward3-bed12']]) {
    run('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    run('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '1', ...(name === 'server' ? ['-extfile', 'server.ext'] : []));
  }
}

test('mutual TLS: the broker is verified against the given CA and the gateway authenticates with its certificate', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pki-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  makePki(dir);
  const pem = (f: string) => readFileSync(join(dir, f));
  const aedes = await Aedes.createBroker();
  const peers: string[] = [];
  const server = createServer({ key: pem('server.key'), cert: pem('server.pem'), ca: pem('ca.pem'), requestCert: true, rejectUnauthorized: true }, (socket: TLSSocket) => {
    peers.push(socket.getPeerCertificate().subject.CN as string);
    aedes.handle(socket);
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  t.teardown(async () => {
    server.close();
    await new Promise<void>((r) => aedes.close(() => r()));
  });
  const url = `mqtts://127.0.0.1:${(server.address() as { port: number }).port}`;
  const make = (over: Partial<PublisherOptions>) =>
    new Publisher({ url, origin, outbox: new Outbox(new MemoryOutboxStore(), 1 << 16), agentVersion: 'test', reconnect: { initialMs: 60_000, maxMs: 60_000 }, ...over });

  const good = make({ tls: { ca: join(dir, 'ca.pem'), cert: join(dir, 'client.pem'), key: join(dir, 'client.key') } });
  t.true(await waitUntil(() => good.connected, 5000));
  // Two handshakes: aedes refuses MQTT v5, the client falls back to 3.1.1.
  t.true(peers.length >= 1 && peers.every((cn) => cn === 'ward3-bed12'), peers.join());
  await good.close();

  // Without the CA the broker's certificate is not trusted: no connection.
  const errors: string[] = [];
  const untrusted = make({ tls: { cert: join(dir, 'client.pem'), key: join(dir, 'client.key') } });
  untrusted.on('error', (e) => errors.push(e.message));
  await waitUntil(() => errors.length > 0, 5000);
  t.false(untrusted.connected);
  t.regex(errors.join(' '), /self[- ]signed|unable to (get|verify)/i);
  await untrusted.close();

  // rejectUnauthorized: false skips that check (tests only).
  const lax = make({ tls: { cert: join(dir, 'client.pem'), key: join(dir, 'client.key'), rejectUnauthorized: false } });
  t.true(await waitUntil(() => lax.connected, 5000));
  await lax.close();
});
