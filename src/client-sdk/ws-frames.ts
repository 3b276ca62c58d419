/**
 * @module The RFC 6455 wire pieces the client WebSocket uses: opcodes, close codes and which a close frame may
 * carry, the handshake's accept GUID, and the masked frame a client sends.
 */
import { fillRandom } from '../security/random-pool.js';

export const ACCEPT_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export const Opcode = { Continuation: 0, Text: 1, Binary: 2, Close: 8, Ping: 9, Pong: 10 } as const;

/** Close codes (RFC 6455 §7.4). */
export const WsCloseCode = {
  Normal: 1000,
  NoStatus: 1005,
  Abnormal: 1006,
  ProtocolError: 1002,
  InvalidPayload: 1007,
  TooBig: 1009,
} as const;

/** Codes a close frame may carry (RFC 6455 §7.4.1–2): the defined ones, and 3000–4999 for applications. */
export function isValidCloseCode(code: number): boolean {
  return (
    (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) ||
    (code >= 3000 && code <= 4999)
  );
}

/** One masked frame, FIN set (RFC 6455 §5.2: a client masks every frame it sends). */
export function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length < 65_536 ? 2 : 8;
  const headerBytes = 2 + lengthBytes + 4;
  const out = Buffer.allocUnsafe(headerBytes + length);
  out[0] = 0x80 | opcode;
  if (lengthBytes === 0) out[1] = 0x80 | length;
  else if (lengthBytes === 2) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(length, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    out.writeUInt32BE(length >>> 0, 6);
  }
  const maskAt = headerBytes - 4;
  fillRandom(out, maskAt, 4);
  for (let i = 0; i < length; i++) out[headerBytes + i] = (payload[i] ?? 0) ^ (out[maskAt + (i & 3)] ?? 0);
  return out;
}
