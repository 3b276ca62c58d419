/**
 * Secrets never travel in clear text (issue 15): every byte between the clients and their servers and between
 * the two servers is recorded while Alice signs in with her password, then with her token, and sends Bob an
 * IM. The capture holds TLS records only, and none of the password, the tokens, the messages, the users'
 * addresses or the deployment's keys, in any form the secret scan knows. A clear-text request through the same
 * kind of recorder shows the capture and the scan would see a secret that did travel in clear.
 */
import { once } from 'node:events';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../../src/devkit/raw-client.fixture.js';
import { deploymentSecrets, findSecretsInBytes } from '../../src/devkit/secret-scan.js';
import { startSplitCluster, type SplitCluster } from '../../src/devkit/split-cluster.js';
import { TcpProxy, type Recording } from '../../src/devkit/tcp-proxy.js';
import { splitAddress } from '../../src/s2s/peer-client.js';
import { PASSWORD, sipOf } from './security-kit.js';

const INVITE_TEXT = 'Quarterly figures: 4711 widgets shipped';
// Non-ASCII: found only if the scan compares UTF-8 bytes.
const MESSAGE_TEXT = 'Déjeuner à midi ? Réponds vite, Bob';

const TLS = { changeCipherSpec: 20, alert: 21, handshake: 22, applicationData: 23 } as const;
/** The largest record TLS allows: 2^14 bytes of plaintext plus what a cipher may add (2048 in 1.2, 256 in 1.3). */
const MAX_RECORD = 16_384 + 2_048;

let s: SplitCluster;
/** Between each user's client and home server: signing in there needs no redirect to a server off the recorder. */
let aliceLine: TcpProxy;
let bobLine: TcpProxy;

/** A recording proxy in front of `address`, from its first connection on. */
function recorderTo(address: string): Promise<TcpProxy> {
  const [host, port] = splitAddress(address);
  return TcpProxy.start({ host, port: Number(port) }, 0, { record: true });
}

beforeAll(async () => {
  s = await startSplitCluster({ users: 4, recordLinks: true });
  aliceLine = await recorderTo(s.cluster.fixture.atl.address);
  bobLine = await recorderTo(s.cluster.fixture.dal.address);
});
afterAll(async () => {
  await aliceLine?.close();
  await bobLine?.close();
  await s?.stop();
});

interface TlsRecord {
  readonly type: number;
  readonly length: number;
}

/** Reads `bytes` record header by record header; throws at the first byte that starts no TLS record. */
function tlsRecords(bytes: Buffer): TlsRecord[] {
  const records: TlsRecord[] = [];
  // A connection still open may end inside a record: its header alone is enough.
  for (let at = 0; at + 5 <= bytes.length;) {
    const type = bytes.readUInt8(at);
    const version = bytes.readUInt16BE(at + 1);
    const length = bytes.readUInt16BE(at + 3);
    const known = (Object.values(TLS) as number[]).includes(type);
    if (!known || (version !== 0x0301 && version !== 0x0303) || length > MAX_RECORD)
      throw new Error(`byte ${at} starts no TLS record (type ${type}, version 0x${version.toString(16)})`);
    records.push({ type, length });
    at += 5 + length;
  }
  return records;
}

/** Bytes of application data records: what carried the protocol once the handshake ended. */
const applicationBytes = (bytes: Buffer) =>
  tlsRecords(bytes)
    .filter((r) => r.type === TLS.applicationData)
    .reduce((n, r) => n + r.length, 0);

describe('a recorder and the secret scan', () => {
  it('see a password sent in clear text, so that a clean capture means something', async () => {
    const plain = await recorderTo(s.cluster.fixture.atl.address);
    try {
      const body = JSON.stringify({ user: sipOf('alice'), password: PASSWORD });
      // Not ended by the client: the proxy does not forward a half-close. The server answers and closes.
      const socket = net.connect(plain.port, '127.0.0.1');
      socket.on('error', () => socket.destroy()).resume();
      socket.write(`POST /v1/client HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
      await once(socket, 'close');
      const [sent] = plain.recordings();
      expect(findSecretsInBytes(sent?.toTarget ?? Buffer.alloc(0), [PASSWORD])).not.toEqual([]);
      expect(sent?.fromTarget.toString('latin1')).toContain('400 TLS Required');
      expect(() => tlsRecords(sent?.toTarget ?? Buffer.alloc(0))).toThrow(/starts no TLS record/);
    } finally {
      await plain.close();
    }
  });
});

describe('a capture of sign-in and IM traffic', () => {
  it('holds TLS records only, and no password, token, message or user address', async () => {
    const { cluster } = s;
    const first = await RawClient.signIn(aliceLine.address, cluster.ca, {
      user: sipOf('alice'),
      password: PASSWORD,
    });
    expect(first.grant.servedBy).toBe(cluster.fixture.atl.server);
    const passwordToken = String(first.grant.token);
    await first.client.close();

    // The token travels too: from the server in the first answer, to it in this sign-in.
    const alice = await RawClient.open(aliceLine.address, cluster.ca);
    const again = await alice.ok('signin', { user: sipOf('alice'), token: passwordToken });
    const bob = await RawClient.signIn(bobLine.address, cluster.ca, {
      user: sipOf('bob'),
      password: PASSWORD,
    });
    expect(bob.grant.servedBy).toBe(cluster.fixture.dal.server);

    const linkBefore = total(s.toDal.recordings());
    const inv = await alice.ok('im.invite', { to: sipOf('bob'), text: INVITE_TEXT });
    await bob.client.push('im.invited', (p) => p.sessionId === inv.sessionId);
    await bob.client.ok('im.accept', { sessionId: inv.sessionId });
    await alice.push('im.accepted');
    await alice.ok('im.send', { sessionId: inv.sessionId, text: MESSAGE_TEXT });
    // Bob's only connection runs through his recorder: the message passed it.
    expect(await bob.client.push('im.message')).toMatchObject({ text: MESSAGE_TEXT });
    // And Atlanta handed it to Dallas over the link into Dallas.
    expect(total(s.toDal.recordings()) - linkBefore).toBeGreaterThan(Buffer.byteLength(MESSAGE_TEXT));
    await alice.close();
    await bob.client.close();

    const captures = {
      alice: aliceLine.recordings(),
      bob: bobLine.recordings(),
      toAtl: s.toAtl.recordings(),
      toDal: s.toDal.recordings(),
    };
    // Alice's two connections, Bob's one, and at least one link each way.
    expect(captures.alice.length).toBeGreaterThanOrEqual(2);
    expect(captures.bob.length).toBeGreaterThanOrEqual(1);
    expect(captures.toAtl.length).toBeGreaterThanOrEqual(1);
    expect(captures.toDal.length).toBeGreaterThanOrEqual(1);

    // Encryption only adds bytes: what Alice sent and Bob received took at least that much application data.
    const [aliceSent, bobGot] = [captures.alice, captures.bob].map((c, i) =>
      c.reduce((n, r) => n + applicationBytes(i === 0 ? r.toTarget : r.fromTarget), 0),
    );
    expect(aliceSent).toBeGreaterThanOrEqual(
      Buffer.byteLength(PASSWORD + passwordToken + INVITE_TEXT + MESSAGE_TEXT),
    );
    expect(bobGot).toBeGreaterThanOrEqual(Buffer.byteLength(INVITE_TEXT + MESSAGE_TEXT));

    // Each direction of each connection, named for the report.
    const streams = Object.entries(captures).flatMap(([name, recordings]) =>
      recordings.flatMap((r, i) => [
        { where: `${name} #${i} to the server`, bytes: r.toTarget },
        { where: `${name} #${i} from the server`, bytes: r.fromTarget },
      ]),
    );
    // Every byte is inside a TLS record; a link the servers were just opening may not have spoken yet.
    for (const { where, bytes } of streams) {
      const opening = tlsRecords(bytes)[0];
      if (bytes.length > 0) expect(opening?.type, where).toBe(TLS.handshake);
    }

    const secrets = deploymentSecrets(cluster, [
      PASSWORD,
      passwordToken,
      String(again.token),
      String(bob.grant.token),
      INVITE_TEXT,
      MESSAGE_TEXT,
      sipOf('alice'),
      sipOf('bob'),
    ]);
    const findings = streams.flatMap(({ where, bytes }) =>
      findSecretsInBytes(bytes, secrets).map((f) => `${where}: ${f}`),
    );
    expect(findings).toEqual([]);
  });
});

function total(recordings: readonly Recording[]): number {
  return recordings.reduce((n, r) => n + r.toTarget.length + r.fromTarget.length, 0);
}
