/**
 * @module Generates docs/protocol.md from the protocol catalog (operations, pushes, limits, close codes) and
 * the error registry, so the document cannot drift from what the server enforces.
 */
import { ErrorCodes } from '../errors/registry.js';
import { allOperations, declaredErrors } from './operations/index.js';
import { allPushes } from './pushes.js';
import { schemaText } from './schema-text.js';
import { CLIENT_PATH, CloseCode, Limits, PROTOCOL_VERSION } from './limits.js';
import { MAX_ID_CHARS, MAX_INTEGER_ID } from './envelope.js';

const json = (v: unknown) => ['```json', JSON.stringify(v, null, 2), '```'].join('\n');

const INTRO = `# Tandem client protocol, version ${PROTOCOL_VERSION}

<!-- Generated from src/protocol/ by \`npm run docs\`. Do not edit by hand; a test keeps it current. -->

Clients speak JSON over a WebSocket over TLS to any front-end server of a deployment, at
\`wss://<server address>${CLIENT_PATH}\` (for the demo: \`wss://127.0.0.1:5061${CLIENT_PATH}\` and
\`wss://127.0.0.1:5062${CLIENT_PATH}\`; trust the deployment CA in \`<data folder>/pki/ca.crt\`). Plain \`ws://\` is refused. Every frame is one JSON
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

Each operation below lists the codes it answers. Any frame may also get \`PROTOCOL_BAD_FRAME\`,
\`PROTOCOL_UNKNOWN_TYPE\`, \`PROTOCOL_BAD_PAYLOAD\`, \`RATE_LIMITED\` or \`INTERNAL\`; an operation that needs a
signed-in endpoint may get \`NOT_SIGNED_IN\`; one refused in resiliency mode may get \`RESILIENCY_MODE\`; and a
persistent change may get \`POOL_READ_ONLY\` (retryable: a failover or failback is under way). The server logs a
warning if it ever answers a code not listed here, and the tests fail on it.

## Validation, limits and close codes

Every inbound frame is validated before use: a frame that is not JSON, not an object with \`id\` and \`type\`, of an
unknown type, or whose payload has wrong or extra fields gets an error response and **the connection stays open**.

| limit | value |
|---|---|
| largest frame | ${Limits.maxFrameBytes} bytes (larger: the connection closes with 1009) |
| largest frame before sign-in | ${Limits.maxFrameBytesBeforeSignIn} bytes (larger: the connection closes with 1009) |
| frame nesting and values | at most ${Limits.maxFrameDepth} levels of arrays and objects and ${Limits.maxFrameValues} values; measured before the frame is parsed; beyond: \`LIMIT_EXCEEDED\`, answered with the frame's top-level \`id\` when it can be read |
| frame rate | every frame counts (\`ping\` and malformed frames too, before sign-in too): ${Limits.ratePerSecond} per second on average, bursts of ${Limits.rateBurst}. A frame beyond it is not run and gets \`RATE_LIMITED\` with \`re\` set to its id (whenever its id is readable); the ${Limits.floodCloseAfter}th refused frame in a row is not answered: the connection closes with ${CloseCode.Flood}. Any frame within the rate resets the count |
| sign-in deadline | a connection that has not signed in after ${Limits.signInTimeoutMs / 1000} s closes with ${CloseCode.SignInTimeout} |
| keepalive | send \`ping\` every ${Limits.keepaliveIntervalMs / 1000} s; an endpoint that sends no frame for the pool's keepalive timeout (default ${Limits.keepaliveTimeoutMs / 1000} s, \`registrar.keepaliveTimeout\` in the topology) expires and closes with ${CloseCode.KeepaliveTimeout}. WebSocket ping frames do **not** count (see Keepalive) |
| endpoints per user | the pool's \`registrar.maxEndpointsPerUser\` (default ${Limits.maxEndpointsPerUser}, as Lync); one more \`signin\` gets \`TOO_MANY_ENDPOINTS\` and the connection stays open (sign out another endpoint, or close) |
| message text | ${Limits.maxMessageChars} characters |
| presence note | ${Limits.maxNoteChars} characters |
| connections | each server takes a capped number of client connections from one source address (the pool's \`registrar.maxConnectionsPerAddress\`, default 2,500) and in all (\`registrar.maxConnections\`, by default derived from the server's open-file limit); past a cap the connection is upgraded and closed at once with ${CloseCode.ConnectionLimit} and a reason naming the cap (\`address\` or \`server\`): connect later or to another server of the pool |
| contacts / groups | ${Limits.maxContacts} / ${Limits.maxGroups} |
| presence subscriptions | ${Limits.maxPresenceSubscriptions} users per user at a server (all its endpoints there share them), then \`LIMIT_EXCEEDED\`; a user the address book does not list is refused with \`USER_NOT_FOUND\` in \`refused\` |
| conference content item | ${Limits.maxContentBytes} bytes (decoded) |
| conference content in all | per conference and per organizing user, set in the topology's \`conferencing\` section (defaults 500 MB and 2,000 MB); past either: \`CONTENT_QUOTA_EXCEEDED\` with the quota and the usage |
| address book page | \`pageSize\` 1 to ${Limits.maxPageSize} results, default 20; \`page\` counts from 0 (default 0) |
| failed password sign-ins | counted at every server of the deployment within ${Limits.failureWindowMs / 1000} s: ${Limits.maxFailuresPerUserSource} per user from one address, ${Limits.maxFailuresPerAddress} per address, ${Limits.maxFailuresPerUser} per user from addresses it has not signed in from lately; beyond them \`SIGNIN_RATE_LIMITED\` with \`error.details.retryAfterMs\` (a slowdown, not a lock; a token is never limited; see docs/sign-in.md) |
| password checks in flight | ${Limits.hashConcurrency} at once per server, ${Limits.hashQueue} waiting (${Limits.hashQueuePerSource} per address, addresses served in turn); beyond it \`SIGNIN_BUSY\` with \`error.details.retryAfterMs\` |

| close code | meaning |
|---|---|
${Object.entries(CloseCode)
  .map(([name, code]) => `| ${code} | ${name} |`)
  .join('\n')}

## Sign-in, tokens and registrars

1. Connect to any server and send \`signin\` with \`user\` (the SIP address) and **exactly one** of \`password\` and
   \`token\` (the sign-in token of an earlier answer); both or neither get \`PROTOCOL_BAD_PAYLOAD\`. Optional:
   \`epoch\`, the highest \`poolEpoch\` this client was given (a server with an older view answers \`STALE_EPOCH\`:
   try another registrar), and \`client\`, an object with only \`name\` (free text, at most 64 characters, for
   logs) and \`legacy\` (boolean, default false). A **legacy client** is one that sends \`legacy: true\`: it cannot
   sign in while its pool is failing back (\`LEGACY_CLIENT_REFUSED\`), as Lync's older clients cannot. A disabled
   user gets \`USER_DISABLED\` (and a signed-in one is closed with ${CloseCode.UserDisabled}).
   A wrong user and a wrong password get the same answer, \`SIGNIN_FAILED\`, after the same scrypt work.
2. If another pool serves the user, the answer is \`SIGNIN_REDIRECT\` with \`error.details.servers\`: the serving pool's
   servers in the user's preferred order (\`{fqdn, url}\`). Connect to the first that answers and sign in again.
3. Success returns the user's **registrars**: the primary (home pool) and backup pool, each with its servers in
   preferred order, the **mode** (\`regular\`, or \`resiliency\` when the home pool is unreachable and not yet failed
   over), and a **sign-in token**.
4. The token lets the client sign in again without the password: it is \`v1.<claims>.<signature>\`, HMAC-SHA256 with
   a key derived from the deployment key, so **every server verifies it** itself, without asking the home pool or
   a shared database. Verified is not served: like a password sign-in, a token sign-in at a server whose pool does
   not serve the user now is answered \`SIGNIN_REDIRECT\` to the serving pool (the backup pool serves it in
   resiliency mode once the home pool is unreachable). A refused token (forged, expired, revoked) is refused at
   every server. A token sign-in is never rate-limited nor queued behind password checks.
   Each sign-in returns a fresh token; it expires after the deployment's \`security.tokenLifetime\` (default 8
   hours), and renewals never reach past \`security.sessionLifetime\` (default 7 days) after the password sign-in
   that began the session: then \`TOKEN_EXPIRED\`, sign in with the password again. \`Set-CsUserPassword\` and
   \`Disable-CsUser\` revoke every token of the user issued before: the user's token generation rises, and every
   server refuses older tokens as soon as its CMS replica holds the change (normally within milliseconds).
5. A user may have several endpoints (connections) signed in at once, up to the limit; each gets its own
   \`endpointId\`. Pushes for a user reach all its endpoints.

## Persistent changes and resiliency mode

Each operation below says whether it makes a **persistent change** (replicated to the backup pool by the Backup
Service). In resiliency mode the server refuses, with \`RESILIENCY_MODE\`, every persistent change and the contact
list and address book; peer-to-peer IM keeps working. The column "refused in resiliency mode" is the rule the server
applies, read from the same table as this page.

## Values and list items

- **Availability** (\`presence.publish\`): \`Online\`, \`Busy\`, \`DoNotDisturb\`, \`BeRightBack\`, \`Away\`,
  \`Offline\` (appear offline). What others see (\`presence.subscribe\` states, \`presence.changed\`) may also be
  \`Unknown\`: the user is in resiliency mode, or its pool was lost. A user with no endpoint shows \`Offline\`;
  a signed-in user who never published shows \`Online\`.
- **Presence state** (items of \`presence.subscribe\` \`states\`, and \`presence.changed\`): \`{sip, availability,
  note, at}\`; \`at\` is when the state was published (ms since 1970), 0 if never.
- **Contact** (items of \`contacts.list\` \`contacts\`; \`contacts.add\` and \`contacts.move\` answers):
  \`{sip, group, displayName}\`; \`groups\` is a list of group names. Removing a contact that is not in the list
  answers \`NOT_FOUND\`.
- **Meeting** (items of \`meeting.list\` \`meetings\`, sorted by start; \`meeting.schedule\` and \`meeting.update\`
  answers): \`{meetingId, organizer, subject, start, end, invitees}\`. Meetings are looked up among the caller's
  own: \`meeting.update\` or \`meeting.cancel\` of a meeting someone else organizes answers
  \`CONFERENCE_NOT_FOUND\`.
- **Content item** (items of \`content.list\` \`items\`; the \`content.upload\` answer): \`{contentId, confId, name,
  kind, size, sha256, uploadedBy, at}\`; \`data\` (upload, and the \`content.get\` answer) is standard padded base64.
- **Roster entry** (\`conf.roster\`, \`conf.create\` and \`conf.join\` answers): \`{sip, displayName, role}\`, role
  \`organizer\` or \`attendee\`.
- **Directory result** (items of \`directory.search\` \`results\`): \`{sip, displayName}\`; the answer also has
  \`total\`, \`page\` and \`pageSize\`.
- **Settings**: a flat map of string keys to string values.

## Operations

Each operation below shows a request, an example answer and the fields of its answer (\`?\` marks a field that
may be absent), written from the schema the SDK checks every answer with. Each push shows its fields the same way.

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
      '',
      `Response fields: \`${schemaText(o.response)}\``,
      '',
      `Errors: ${[...declaredErrors(o)].map((c) => `\`${c}\``).join(', ')}.`,
    ].join('\n'),
  );
  const pushes = allPushes().map((p) =>
    [
      `### \`${p.push}\``,
      '',
      p.summary,
      '',
      json({ push: p.push, payload: p.example }),
      '',
      `Payload fields: \`${schemaText(p.payload)}\``,
    ].join('\n'),
  );
  const keepalive = [
    '## Keepalive',
    '',
    'Send `ping` (allowed before sign-in too) at the keepalive interval; any frame also counts as a sign of life.',
    'The server closes expired endpoints with close code ' +
      String(CloseCode.KeepaliveTimeout) +
      '. WebSocket ping frames (RFC 6455 control frames) do not keep an endpoint alive: the server answers them with a',
    'pong, as the RFC requires, but only protocol frames count, so that the expiry measures a client that still',
    'speaks the protocol, not just a socket that a proxy or a stalled process keeps open.',
  ].join('\n');
  return `${INTRO}${rows}\n\n${sections.join('\n\n')}\n\n## Pushes\n\n${pushes.join('\n\n')}\n\n${keepalive}\n`;
}

function anchor(type: string): string {
  return type.replace(/\./g, '').toLowerCase();
}
