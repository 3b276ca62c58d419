/**
 * @module A bare Node TLS server for the handshake benchmark's floor: the same certificate, trust, ticket keys and
 * options as a front-end server (`httpsOptions`), and nothing of Tandem behind it. Its CPU per handshake is what
 * Node's TLS costs any server on this machine; the front end's figure minus this one is what Tandem adds.
 * Runs as a child process of the bench: reports its port, then answers `cpu` with its CPU time.
 */
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { caCertPath, serverCertPath, serverKeyPath } from '../certificates/deployment-pki.js';
import { loadDeploymentKey } from '../security/deployment-secrets.js';
import { httpsOptions } from '../server/tls-front.js';
import { ticketKeysAt } from '../server/tls-session-tickets.js';

export type BareServerMessage =
  { port: number } | { cpuSeconds: number; handshakes: { full: number; resumed: number } };

const [dataDir, fqdn] = process.argv.slice(2);
if (!dataDir || !fqdn || !process.send) throw new Error('usage: fork(bare-tls-server.js, [dataDir, fqdn])');
const send = process.send.bind(process);
const handshakes = { full: 0, resumed: 0 };
const server = tls.createServer(
  httpsOptions({
    cert: readFileSync(serverCertPath(dataDir, fqdn), 'utf8'),
    key: readFileSync(serverKeyPath(dataDir, fqdn), 'utf8'),
    ca: readFileSync(caCertPath(dataDir), 'utf8'),
    ticketKeys: ticketKeysAt(loadDeploymentKey(dataDir), Date.now()),
  }),
  (socket) => {
    handshakes[socket.isSessionReused() ? 'resumed' : 'full']++;
    socket.on('error', () => undefined);
    socket.resume();
  },
);
server.on('tlsClientError', () => undefined);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') send({ port: address.port } satisfies BareServerMessage);
});
process.on('message', () => {
  const { user, system } = process.cpuUsage();
  send({ cpuSeconds: (user + system) / 1e6, handshakes: { ...handshakes } } satisfies BareServerMessage);
});
process.on('disconnect', () => process.exit(0));
