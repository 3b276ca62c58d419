/**
 * @module Who is at the other end of a server-to-server request: the names of the certificate the peer
 * presented in the mutual TLS handshake, when the deployment CA issued it (tls-front.ts asks every peer for
 * one). A signed request is taken only from a server of the published topology whose certificate names it.
 */
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

/** Read once per connection: a keep-alive link carries many requests, and its certificate does not change. */
const namesBySocket = new WeakMap<TLSSocket, string[] | undefined>();

/** The DNS names and IP addresses of a trusted peer certificate; undefined when there is none. */
export function trustedPeerNames(socket: Socket): string[] | undefined {
  if (!(socket instanceof TLSSocket) || !socket.authorized) return undefined;
  if (namesBySocket.has(socket)) return namesBySocket.get(socket);
  const cert = socket.getPeerCertificate();
  const names = !cert || Object.keys(cert).length === 0 ? undefined : namesOf(cert.subjectaltname ?? '');
  namesBySocket.set(socket, names);
  return names;
}

/** `DNS:a.example.com, IP Address:127.0.0.1` → ['a.example.com', '127.0.0.1'] (DNS names lower case). */
export function namesOf(subjectAltName: string): string[] {
  return subjectAltName
    .split(',')
    .map((part) => part.trim())
    .flatMap((part) => {
      if (part.startsWith('DNS:')) return [part.slice(4).toLowerCase()];
      if (part.startsWith('IP Address:')) return [part.slice(11)];
      return [];
    });
}
