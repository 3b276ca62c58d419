/**
 * @module Generates docs/protocol.md from the protocol catalog (operations, pushes, limits, close codes) and
 * the error registry, so the document cannot drift from what the server enforces.
 */
import { ErrorCodes } from '../errors/registry.js';
import { allOperations } from './operations.js';
import { allPushes } from './pushes.js';
import { CLIENT_PATH, CloseCode, Limits, PROTOCOL_VERSION } from './limits.js';
import { MAX_ID_CHARS, MAX_INTEGER_ID } from './envelope.js';

const json = (v: unknown) => ['```json', JSON.stringify(v, null, 2), '```'].join('\n');

const INTRO = `# Tandem client protocol, version ${PROTOCOL_VERSION}

<!-- Generated from src/protocol/ by \`npm run docs\`. Do not edit by hand; a test keeps it current. -->

Clients speak JSON over a WebSocket to any front-end server of a deployment, at \`ws://<server address>${CLIENT_PATH}\`
(for the demo: \`ws://127.0.0.1:5061${CLIENT_PATH}\` and \`ws://127.0.0.1:5062${CLIENT_PATH}\`). Every frame is one JSON
object in a text frame. The TypeScript SDK in \`src/client-sdk/\` implements everything below; this page is enough to
write a client in another language.

## Envelope

A request names an id of the client's choosing, a type and a payload. The id is a non-empty string of at most
${MAX_ID_CHARS} characters (counted in Unicode code points), or an integer from 0 to ${MAX_INTEGER_ID} (2^53 − 1, the
largest integer every JSON reader keeps exact). An empty string, a larger or negative or fractional number, or any
other value is not an id: the frame gets \`PROTOCOL_BAD_FRAME\` with \`re: null\`. Use a fresh id for each request
while earlier ones are unanswered, or the answers cannot be told apart:

${json({ id: 'r1', type: 'presence.publish', payload: { availability: 'Busy', note: 'In a meeting' } })}

The server answers every request exactly once, with \`re\` set to the request's id — \`ok: true\` and a payload, or
\`ok: false\` and an error:

${json({ re: 'r1', ok: true, payload: { sip: 'sip:alice@litwareinc.com', availability: 'Busy', note: 'In a meeting', at: 1795000000000 } })}

${json({ re: 'r2', ok: false, error: { code: 'RESILIENCY_MODE', message: 'presence.publish is not available in resiliency mode: …', retryable: true, params: { type: 'presence.publish' } } })}

Responses may arrive in another order than the requests. \`re\` is \`null\` when the frame was so malformed that its
id could not be read.

The server also **pushes** events, which carry \`push\` instead of \`re\`:

${json({ push: 'presence.changed', payload: { sip: 'sip:bob@litwareinc.com', availability: 'Away', note: '', at: 1795000000000 } })}

## Errors

\`error.code\` is a stable code from the registry (docs/errors.md); \`error.message\` is for people; \`error.retryable\`
tells a machine whether the same request may succeed later; \`error.params\` carries the values in the message, and
\`error.details\` carries data a client acts on (for \`SIGNIN_REDIRECT\`: the servers to go to). Codes of this protocol:

| code | retryable | meaning |
|---|---|---|
${Object.entries(ErrorCodes)
  .filter(([, s]) => s.area === 'protocol')
  .map(([code, s]) => `| \`${code}\` | ${s.retryable ? 'yes' : 'no'} | ${s.message.replace(/\|/g, '\\|')} |`)
  .join('\n')}

Any other code of the registry can appear too (\`INVALID_ARGUMENT\`, \`NOT_FOUND\`, \`CONFLICT\`, \`LIMIT_EXCEEDED\`,
\`INTERNAL\`).

## Validation, limits and close codes

Every inbound frame is validated before use: a frame that is not JSON, not an object with \`id\` and \`type\`, of an
unknown type, or whose payload has wrong or extra fields gets an error response and **the connection stays open**.

| limit | value |
|---|---|
| largest frame | ${Limits.maxFrameBytes} bytes (larger: the connection closes with 1009) |
| frame rate | ${Limits.ratePerSecond} frames per second on average, bursts of ${Limits.rateBurst}; beyond it each frame gets \`RATE_LIMITED\`; after ${Limits.floodCloseAfter} refused frames in a row the connection closes with ${CloseCode.Flood} |
| sign-in deadline | a connection that has not signed in after ${Limits.signInTimeoutMs / 1000} s closes with ${CloseCode.SignInTimeout} |
| keepalive | send \`ping\` every ${Limits.keepaliveIntervalMs / 1000} s; an endpoint silent for the pool's keepalive timeout (default ${Limits.keepaliveTimeoutMs / 1000} s, \`registrar.keepaliveTimeout\` in the topology) expires and closes with ${CloseCode.KeepaliveTimeout} |
| endpoints per user | the pool's \`registrar.maxEndpointsPerUser\` (default ${Limits.maxEndpointsPerUser}, as Lync) |
| message text | ${Limits.maxMessageChars} characters |
| presence note | ${Limits.maxNoteChars} characters |
| contacts / groups | ${Limits.maxContacts} / ${Limits.maxGroups} |
| conference content item | ${Limits.maxContentBytes} bytes (decoded) |
| address book page | ${Limits.maxPageSize} results |
| failed password sign-ins | ${Limits.maxFailuresPerUser} per user and ${Limits.maxFailuresPerAddress} per address within ${Limits.failureWindowMs / 1000} s, then \`SIGNIN_RATE_LIMITED\` |

| close code | meaning |
|---|---|
${Object.entries(CloseCode)
  .map(([name, code]) => `| ${code} | ${name} |`)
  .join('\n')}

## Sign-in, tokens and registrars

1. Connect to any server and send \`signin\` with the user's SIP address and either the password or a sign-in token.
   A wrong user and a wrong password get the same answer, \`SIGNIN_FAILED\`, after the same scrypt work.
2. If another pool serves the user, the answer is \`SIGNIN_REDIRECT\` with \`error.details.servers\`: the serving pool's
   servers in the user's preferred order (\`{fqdn, url}\`). Connect to the first that answers and sign in again.
3. Success returns the user's **registrars**: the primary (home pool) and backup pool, each with its servers in
   preferred order, the **mode** (\`regular\`, or \`resiliency\` when the home pool is unreachable and not yet failed
   over), and a **sign-in token**.
4. The token lets the client sign in again at any server of the deployment without the password and without asking
   the home pool: it is \`v1.<claims>.<signature>\`, HMAC-SHA256 with a key derived from the deployment key. It
   expires after the deployment's \`security.tokenLifetime\` (default 8 hours): sign in with the password again.
   \`Disable-CsUser\` revokes every token of the user: the user's token generation rises, and every server refuses
   older tokens as soon as its CMS replica holds the change (normally within milliseconds).
5. A user may have several endpoints (connections) signed in at once, up to the limit; each gets its own
   \`endpointId\`. Pushes for a user reach all its endpoints.

## Persistent changes and resiliency mode

Each operation below says whether it makes a **persistent change** (replicated to the backup pool by the Backup
Service). In resiliency mode the server refuses, with \`RESILIENCY_MODE\`, every persistent change and the contact
list and address book; peer-to-peer IM keeps working. The column "refused in resiliency mode" is the rule the server
applies, read from the same table as this page.

## Operations

| type | persistent change | refused in resiliency mode | before sign-in | summary |
|---|---|---|---|---|
`;

export function protocolMarkdown(): string {
  const ops = allOperations();
  const rows = ops
    .map(
      (o) =>
        `| [\`${o.type}\`](#${anchor(o.type)}) | ${o.persistent ? 'yes' : 'no'} | ${o.blockedInResiliency ? 'yes' : 'no'} | ${o.beforeSignIn ? 'yes' : 'no'} | ${o.summary} |`,
    )
    .join('\n');
  const sections = ops.map((o) =>
    [
      `### \`${o.type}\``,
      '',
      o.summary,
      '',
      'Request:',
      '',
      json({ id: 7, type: o.type, payload: o.example }),
      '',
      'Response payload:',
      '',
      json(o.exampleResponse),
    ].join('\n'),
  );
  const pushes = allPushes().map((p) =>
    [`### \`${p.push}\``, '', p.summary, '', json({ push: p.push, payload: p.example })].join('\n'),
  );
  const keepalive = [
    '## Keepalive',
    '',
    'Send `ping` (allowed before sign-in too) at the keepalive interval; any frame also counts as a sign of life.',
    'The server closes expired endpoints with close code ' +
      String(CloseCode.KeepaliveTimeout) +
      '. The server does not need WebSocket ping frames; clients may use them.',
  ].join('\n');
  return `${INTRO}${rows}\n\n${sections.join('\n\n')}\n\n## Pushes\n\n${pushes.join('\n\n')}\n\n${keepalive}\n`;
}

function anchor(type: string): string {
  return type.replace(/\./g, '').toLowerCase();
}
