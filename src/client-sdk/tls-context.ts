/**
 * @module The TLS contexts of the SDK's connections. Node builds a new context for every connection given a `ca`
 * option, and building one parses the CA certificates: about a millisecond of CPU per connection, which a
 * reconnection storm after a failover paid once per user. One context per set of trusted CAs is built once and
 * shared by every client of the process that trusts the same CAs (it holds no per-connection state).
 */
import { createSecureContext, type SecureContext } from 'node:tls';

/** A process rarely trusts more than a few different CA sets; the oldest context is dropped past this. */
const MAX_CONTEXTS = 16;
const contexts = new Map<string, SecureContext>();

/** The context for connections that trust `ca` (PEM certificates), or the system's authorities when undefined. */
export function secureContextFor(ca: readonly string[] | undefined): SecureContext {
  const key = ca === undefined ? '' : ca.join('\n');
  let context = contexts.get(key);
  if (!context) {
    context = createSecureContext(ca === undefined ? {} : { ca: [...ca] });
    if (contexts.size >= MAX_CONTEXTS) contexts.delete(contexts.keys().next().value ?? '');
    contexts.set(key, context);
  }
  return context;
}
