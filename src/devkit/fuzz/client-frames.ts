/**
 * @module The seeded random frame generator of the client protocol. Valid examples come from the operation
 * catalog (so a new operation is fuzzed as soon as it is declared), then are damaged: envelope and payload
 * mutations, byte-level damage, random values, binary and oversized frames.
 */
import { isUtf8 } from 'node:buffer';
import { allOperations } from '../../protocol/operations/index.js';
import { CloseCode, Limits } from '../../protocol/limits.js';
import { RequestIdSchema } from '../../protocol/envelope.js';
import type { SeededRandom } from '../seeded-random.js';
import { deepNestText, edgeString, randomBytes, randomJson, setKey, type Json } from './fuzz-values.js';
import { mutateJson, mutateText } from './mutate.js';

export interface ClientFuzzFrame {
  readonly data: string | Buffer;
  readonly binary: boolean;
  /** The id the answer must carry in `re`; undefined when the frame has no readable id (then `re` is null). */
  readonly id: string | number | undefined;
  readonly kind: string;
  /** The documented close code the frame must draw instead of an answer (too large, not UTF-8 text). */
  readonly expectClose?: number;
}

/** Ids the server handed out (conferences, sessions, meetings, content), reused so mutations reach handlers. */
export class LearnedIds {
  private readonly byField = new Map<string, string[]>();

  learn(payload: unknown, depth = 0): void {
    if (typeof payload !== 'object' || payload === null || depth > 3) return;
    for (const [k, v] of Object.entries(payload)) {
      if (typeof v === 'string' && /Id$/.test(k) && v.length < 200) {
        const list = this.byField.get(k) ?? [];
        if (list.length >= 20) list.shift();
        list.push(v);
        this.byField.set(k, list);
      } else if (typeof v === 'object') this.learn(v, depth + 1);
    }
  }

  /** Replaces id fields of an example by ids the server issued, when it knows some. */
  fill(r: SeededRandom, example: Json): Json {
    if (typeof example !== 'object' || example === null || Array.isArray(example)) return example;
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(example)) {
      const known = this.byField.get(k) ?? (k === 'meetingId' ? this.byField.get('confId') : undefined);
      setKey(out, k, known && known.length > 0 && r.chance(0.8) ? r.pick(known) : v);
    }
    return out;
  }
}

const OPS = allOperations();

function exampleOf(r: SeededRandom, learned: LearnedIds): { type: string; payload: Json } {
  const op = r.pick(OPS);
  return { type: op.type, payload: learned.fill(r, JSON.parse(JSON.stringify(op.example)) as Json) };
}

function readableId(frame: Json): string | number | undefined {
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return undefined;
  const parsed = RequestIdSchema.safeParse(frame.id);
  return parsed.success ? parsed.data : undefined;
}

function jsonFrame(kind: string, frame: Json): ClientFuzzFrame {
  const data = JSON.stringify(frame);
  const tooLarge = Buffer.byteLength(data) > Limits.maxFrameBytes;
  return {
    data,
    binary: false,
    id: readableId(frame),
    kind,
    ...(tooLarge ? { expectClose: CloseCode.TooLarge } : {}),
  };
}

function textFrame(kind: string, data: Buffer): ClientFuzzFrame {
  return {
    data,
    binary: false,
    id: undefined,
    kind,
    ...(isUtf8(data) ? {} : { expectClose: CloseCode.InvalidText }),
  };
}

/** One random frame. `seq` makes the id unique, so each answer can be matched to its frame. */
export function clientFrame(r: SeededRandom, seq: number, learned: LearnedIds): ClientFuzzFrame {
  const id = `f${seq}`;
  return r.weighted<() => ClientFuzzFrame>([
    [
      () => {
        const ex = exampleOf(r, learned);
        return jsonFrame('payload-mutated', { id, type: ex.type, payload: mutateJson(r, ex.payload) });
      },
      40,
    ],
    [
      () => {
        const ex = exampleOf(r, learned);
        return jsonFrame('envelope-mutated', mutateJson(r, { id, type: ex.type, payload: ex.payload }));
      },
      12,
    ],
    [() => jsonFrame('example', { id, ...exampleOf(r, learned) }), 10],
    [
      () => {
        const ex = exampleOf(r, learned);
        return jsonFrame('random-payload', { id, type: ex.type, payload: randomJson(r, 3) });
      },
      8,
    ],
    [() => jsonFrame('random-type', { id, type: edgeString(r, 100), payload: randomJson(r, 2) }), 4],
    [() => jsonFrame('random-value', randomJson(r, 3)), 5],
    [
      () => {
        const ex = exampleOf(r, learned);
        // A damaged frame may still parse; its id is then readable.
        const data = mutateText(r, JSON.stringify({ id, ...ex }));
        const frame = textFrame('text-damaged', data);
        return frame.expectClose === undefined ? { ...frame, id: parsedId(data) } : frame;
      },
      12,
    ],
    [() => textFrame('random-bytes', randomBytes(r, 300)), 3],
    [() => ({ data: randomBytes(r, 300), binary: true, id: undefined, kind: 'binary' }), 2],
    [
      () => ({
        data: `{"id":"${id}","type":"ping","payload":${deepNestText(r, r.int(1_000, 100_000))}}`,
        binary: false,
        id,
        kind: 'deep-nesting',
      }),
      2,
    ],
    [
      () =>
        jsonFrame('oversized', {
          id,
          type: 'im.send',
          payload: { sessionId: 'x', text: 'z'.repeat(Limits.maxFrameBytes + 1) },
        }),
      0.3,
    ],
  ])();
}

function parsedId(data: Buffer): string | number | undefined {
  try {
    return readableId(JSON.parse(data.toString('utf8')) as Json);
  } catch {
    return undefined;
  }
}
