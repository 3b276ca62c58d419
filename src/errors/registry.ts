/**
 * @module The one registry of Tandem's error codes. Every error a client, an administrator or a peer server
 * sees carries one of these codes; `docs/errors.md` is checked against this table by a test.
 */

import { spec, type ErrorSpec } from './error-spec.js';
import { CertificateErrorCodes } from './certificate-errors.js';

export type { ErrorArea, ErrorSpec } from './error-spec.js';

export const ErrorCodes = {
  // general
  INTERNAL: spec('general', 500, 'Internal error: {detail}', true),
  NOT_YET_AVAILABLE: spec('general', 501, '{feature} is not yet available in this version of Tandem. {hint}'),
  INVALID_ARGUMENT: spec('general', 400, '{detail}'),
  NOT_FOUND: spec('general', 404, '{what} was not found: {name}'),
  CONFLICT: spec('general', 409, '{detail}'),
  TIMEOUT: spec('general', 504, '{what} did not finish within {seconds} s.', true),
  REQUEST_TOO_LARGE: spec(
    'general',
    413,
    '{what} is over the limit of {limit}; nothing was done. The limits are listed in docs/operations.md (Limits).',
  ),
  BUSY: spec(
    'general',
    503,
    '{what}: the server is busy with {limit} such requests already; try again shortly.',
    true,
  ),

  // topology
  TOPOLOGY_INVALID: spec('topology', 400, 'The topology is invalid:\n{details}'),
  TOPOLOGY_FILE_UNREADABLE: spec('topology', 400, 'Cannot read the topology file {path}: {reason}'),
  TOPOLOGY_POOL_HAS_USERS: spec(
    'topology',
    409,
    'The new topology removes pool {pool}, which still homes {count} user(s). Move them first with Move-CsUser -Target <pool>.',
  ),
  TOPOLOGY_STORE_IN_USE: spec(
    'topology',
    409,
    'The new topology moves the {what} of pool {pool} from {from} to {to}, but the pool {holds}: after a restart it would open an empty {what}. {first}, then change the {what}.',
  ),
  UNKNOWN_POOL: spec('topology', 404, 'There is no pool {pool} in the topology. Known pools: {known}.'),
  UNKNOWN_SERVER: spec(
    'topology',
    404,
    'There is no front-end server {server} in the topology. Known servers: {known}.',
  ),
  UNKNOWN_EDGE_POOL: spec(
    'topology',
    404,
    'There is no Edge pool {edge} in the topology. Known Edge pools: {known}.',
  ),

  // management shell
  SHELL_SYNTAX: spec('shell', 400, 'Syntax error at column {column}: {detail}'),
  SHELL_UNKNOWN_CMDLET: spec('shell', 400, "The term '{name}' is not a known cmdlet.{suggestion}"),
  SHELL_UNKNOWN_PARAMETER: spec('shell', 400, "{cmdlet} has no parameter '-{name}'.{suggestion}"),
  SHELL_AMBIGUOUS_PARAMETER: spec(
    'shell',
    400,
    "Parameter '-{name}' of {cmdlet} is ambiguous: it could be {candidates}. Type more of the name.",
  ),
  SHELL_MISSING_PARAMETER: spec('shell', 400, '{cmdlet} needs the parameter -{name} ({type}).'),
  SHELL_BAD_VALUE: spec('shell', 400, "Cannot bind '{value}' to -{name} of {cmdlet}: {reason}"),
  SHELL_DUPLICATE_PARAMETER: spec('shell', 400, '-{name} was given more than once to {cmdlet}.'),
  SHELL_TOO_MANY_ARGUMENTS: spec('shell', 400, "{cmdlet} takes no positional argument '{value}'."),
  SHELL_NO_DEPLOYMENT: spec('shell', 400, 'No deployment found: {detail}'),
  TLS_SERVER_NOT_TRUSTED: spec(
    'shell',
    502,
    'Server {server} at {address} presented a certificate that the CA in {ca} does not vouch for ({reason}). Nothing was sent to it. If the deployment uses another CA, name its certificate with --ca-file or TANDEM_CA_FILE; if this is not your server, check the topology (docs/security.md).',
  ),
  SHELL_UNREACHABLE: spec(
    'shell',
    503,
    'No server of the deployment answered ({tried}). Start it with `npm start`, or name another deployment with --topology.',
    true,
  ),
  SHELL_CANCELLED: spec('shell', 400, 'Cancelled: {cmdlet} was not run.'),

  // admin API and RBAC
  ADMIN_UNAUTHENTICATED: spec(
    'admin',
    401,
    'The admin API needs a valid administrator credential ({detail}). The deployment wrote one to {path}.',
  ),
  ADMIN_FORBIDDEN: spec(
    'admin',
    403,
    '{admin} has the role {role}, which may not run {cmdlet}. It needs one of: {roles}.',
  ),
  ADMIN_BAD_REQUEST: spec('admin', 400, 'Bad admin API request: {detail}'),

  // directory
  USER_NOT_FOUND: spec('directory', 404, 'There is no user {identity}.'),
  USER_EXISTS: spec('directory', 409, 'A user with SIP address {sip} already exists.'),
  USER_IMPORT_INVALID: spec('directory', 400, 'The user import file is invalid at line {line}: {detail}'),

  // central management store
  CMS_UNAVAILABLE: spec(
    'cms',
    503,
    'The Central Management Store master ({master}) cannot be reached, so {action} is refused. If its pool is lost, fail the CMS over first: Invoke-CsManagementServerFailover -WhatIf, then as step 5 of "Failing over a pool in Lync Server 2013" describes.',
    true,
  ),
  CMS_MASTER_SILENT: spec(
    'cms',
    503,
    'The CMS master ({master}) does not answer, so a planned failover cannot drain it to the standby. If its site is lost, fail over with what the standby holds: Invoke-CsManagementServerFailover -BackupSqlServerFqdn {standby} -Force.',
  ),
  CMS_STALE_EPOCH: spec(
    'cms',
    409,
    'Refused: the sender holds CMS epoch {got}, but epoch {current} is current. The sender was replaced and must become a replica.',
  ),
  CMS_READ_ONLY: spec(
    'cms',
    503,
    'The Central Management Store is read-only during {reason}; try again shortly.',
    true,
  ),
  CMS_NOT_MASTER: spec(
    'cms',
    421,
    'This store is not the Central Management Store master; the master is {master}.',
    true,
  ),

  // pool failover and failback
  POOL_NO_BACKUP: spec(
    'failover',
    409,
    'Pool {pool} has no backup pool, so it cannot be failed over. Pair it with a pool of another site (backupPool in the topology) and publish the topology.',
  ),
  POOL_EDGE_NEXT_HOP: spec(
    'failover',
    409,
    'This Front-end pool "{pool}" is specified in topology as the next hop for the Edge server {edge}. Failing over this pool may cause External access/Federation/Split-domain/XMPP features to stop working. Change the Edge internal next hop to a different Front-end pool before you proceed: Set-CsEdgeServer -Identity EdgeServer:{edge} -Registrar Registrar:{other}',
  ),
  POOL_ORDERING: spec(
    'failover',
    409,
    'Pool {pool} is carrying the users of {other}, which is {state} to it. Fail {other} back first (Invoke-CsPoolFailBack -PoolFqdn {other}), then fail {pool} over: the other order would leave {other}\'s users with no pool (see "Managing Lync Server 2013 disaster recovery, high availability, and Backup Service").',
  ),
  POOL_STATE: spec('failover', 409, 'Pool {pool} is {state}: {action} needs it to be {expected}.'),
  POOL_UNREACHABLE: spec('failover', 503, 'Pool {pool} does not answer ({detail}). {hint}', true),
  FAILOVER_DRAIN_FAILED: spec(
    'failover',
    503,
    'The Backup Service could not bring {backup} up to date with {pool} within {seconds} s ({detail}). Nothing was switched; {pool} is writable again.',
    true,
  ),
  FAILOVER_VERIFY_FAILED: spec(
    'failover',
    409,
    'Verification failed: {count} user(s) of {pool} differ at {backup} ({users}). Nothing was switched; {pool} is writable again.',
  ),
  STALE_EPOCH: spec(
    'failover',
    409,
    'This server knows epoch {known} of pool {pool}, older than the epoch {seen} the client saw: its view is stale. Sign in at another registrar.',
    true,
  ),
  WRITES_IN_FLIGHT: spec(
    'failover',
    503,
    'Writes for users of {pool} were still in flight at {at} after {seconds} s, so the last change of {pool} could not be taken. The operation stopped there; run the command again.',
    true,
  ),
  CMS_STATE_NOT_SEEN: spec(
    'failover',
    503,
    'Server {at} still held epoch {known} of pool {pool} after {seconds} s, not the epoch {epoch} that makes its users read-only, so writes there could not be stopped. The operation stopped there; check CMS replication (Get-CsManagementStoreReplicationStatus) and run the command again.',
    true,
  ),
  POOL_READ_ONLY: spec(
    'failover',
    503,
    'The data of {owner} is read-only while pool {pool} is {state} (or served elsewhere); try again when it completes.',
    true,
  ),
  POOL_OPERATION_SUPERSEDED: spec(
    'failover',
    409,
    'The {action} of pool {pool} was resumed or ended by another command: the pool is now {state} (epoch {epoch}). This command stopped without changing anything; see Get-CsRegistrarConfiguration -Identity service:Registrar:{pool}.',
  ),
  DIVERGENT_NOT_FOUND: spec('failover', 404, 'There are no divergent changes of {identity} at pool {pool}.'),

  // storage
  STORAGE_UNAVAILABLE: spec('storage', 503, 'The store of pool {pool} is unavailable: {detail}', true),
  STORAGE_MIGRATION_FAILED: spec('storage', 500, 'Migrating the store {store} failed: {detail}'),
  STORAGE_FULL: spec(
    'storage',
    507,
    'The server has no space left to store this ({detail}); nothing was stored. Try again later: an administrator frees space as docs/operations.md "Storage full" says.',
    true,
  ),

  // client protocol
  PROTOCOL_BAD_FRAME: spec('protocol', 400, 'Malformed frame: {detail}'),
  PROTOCOL_UNKNOWN_TYPE: spec('protocol', 400, "Unknown message type '{type}'.{suggestion}"),
  PROTOCOL_BAD_PAYLOAD: spec('protocol', 400, 'Bad payload for {type}: {detail}'),
  RATE_LIMITED: spec(
    'protocol',
    429,
    'Too many frames: at most {rate} per second (bursts of {burst}). Slow down.',
    true,
  ),
  NOT_SIGNED_IN: spec('protocol', 401, '{type} needs a signed-in endpoint: send signin first.'),
  ALREADY_SIGNED_IN: spec('protocol', 409, 'This connection is already signed in as {sip}.'),
  SIGNIN_FAILED: spec('protocol', 401, 'Sign-in failed: wrong user name or password.'),
  SIGNIN_RATE_LIMITED: spec(
    'protocol',
    429,
    'Too many failed password sign-ins {scope}; try again in {seconds} s (a sign-in token is not limited).',
    true,
  ),
  SIGNIN_BUSY: spec(
    'protocol',
    503,
    'The server is busy checking other password sign-ins; try again in {seconds} s (a token signs in without waiting).',
    true,
  ),
  SIGNIN_REDIRECT: spec(
    'protocol',
    307,
    '{sip} is served by pool {pool}; sign in at one of its servers.',
    true,
  ),
  SIGNIN_UNAVAILABLE: spec('protocol', 503, '{sip} cannot sign in here yet: {detail}', true),
  TOKEN_INVALID: spec(
    'protocol',
    401,
    'The sign-in token is not valid ({detail}); sign in with the password.',
  ),
  TOKEN_EXPIRED: spec('protocol', 401, 'The sign-in token expired at {at}; sign in with the password.'),
  USER_DISABLED: spec('protocol', 403, 'The user {sip} is disabled.'),
  TOO_MANY_ENDPOINTS: spec('protocol', 409, '{sip} already has {max} signed-in endpoints, the maximum.'),
  RESILIENCY_MODE: spec(
    'protocol',
    503,
    '{type} is not available in resiliency mode: your home pool is unreachable and has not been failed over yet. Peer-to-peer IM still works.',
    true,
  ),
  USER_OFFLINE: spec('protocol', 404, '{sip} is not signed in.'),
  SESSION_NOT_FOUND: spec('protocol', 404, 'There is no session {sessionId} for this endpoint.'),
  CONFERENCE_NOT_FOUND: spec('protocol', 404, 'There is no conference {confId}.'),
  NOT_ORGANIZER: spec('protocol', 403, 'Only the organizer of {confId} may {action}.'),
  NOT_PARTICIPANT: spec('protocol', 403, 'Join {confId} first.'),
  LIMIT_EXCEEDED: spec('protocol', 413, '{what} exceeds the limit of {limit}.'),
  CONTENT_QUOTA_EXCEEDED: spec(
    'protocol',
    413,
    'Uploading {size} bytes would exceed the content quota of {scope}: {usage} of {quota} bytes are used. Delete content (content.delete), or ask an administrator to raise conferencing.{setting} in the topology.',
  ),
  LEGACY_CLIENT_REFUSED: spec(
    'protocol',
    503,
    'This client (legacy) cannot sign in while pool {pool} is {state}; try again when failback completes.',
    true,
  ),

  // server-to-server
  S2S_UNAUTHENTICATED: spec(
    's2s',
    401,
    'Server-to-server request refused: {detail}. Every server of a deployment must share its deployment key.',
  ),
  S2S_REPLAYED: spec(
    's2s',
    401,
    'Server-to-server request refused: {detail}. A signed request is accepted once; a copy is a replay.',
  ),
  S2S_UNREACHABLE: spec('s2s', 503, 'Server {server} ({address}) is unreachable: {detail}', true),
  DUTY_FENCED: spec(
    'duties',
    409,
    'This front end held the {duty} duty under epoch {epoch}, but another front end holds it now (epoch {current}): the write was refused and nothing changed. The duty goes on at its new holder (Get-CsPoolFabricState).',
  ),
  DUTY_HELD_ELSEWHERE: spec(
    'duties',
    503,
    'Server {server} does not hold the {duty} duty of pool {pool} now; another front end of the pool does. Ask another server of the pool (Get-CsPoolFabricState shows the holder).',
    true,
  ),
  S2S_BAD_ANSWER: spec(
    's2s',
    502,
    'Server {server} answered {route} with something this server cannot read ({detail}). Every server of a deployment must run the same version of Tandem.',
  ),

  // certificates (TLS): certificate-errors.ts
  ...CertificateErrorCodes,
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ErrorCodes;
