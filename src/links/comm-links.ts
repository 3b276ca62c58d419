/**
 * @module The fabric over server-to-server links: user events and server calls to other servers travel as
 * signed requests; to this server they short-circuit into the local hub.
 */
import { z } from 'zod';
import type { Fabric, FabricReceiver } from '../routing/fabric.js';
import {
  ServerCallSchema,
  UserEventSchema,
  type ServerCall,
  type UserEvent,
} from '../routing/user-events.js';
import type { PeerClient } from './peer-client.js';
import { route, type S2sRoutes } from './s2s-router.js';

export const CommPaths = {
  userEvent: '/s2s/v1/comm/user-event',
  call: '/s2s/v1/comm/call',
} as const;

export function linkedFabric(opts: {
  self: string;
  peer: PeerClient;
  receiver: FabricReceiver;
  serversOf: (sip: string) => readonly string[];
}): Fabric {
  const { self, peer, receiver } = opts;
  return {
    self,
    serversOf: opts.serversOf,
    async sendToUser(sip: string, event: UserEvent): Promise<number> {
      const counts = await Promise.all(
        opts.serversOf(sip).map(async (server) => {
          if (server === self) return receiver.onUserEvent(sip, event);
          try {
            const res = await peer.post<{ reached: number }>(server, CommPaths.userEvent, { to: sip, event });
            return res.reached;
          } catch {
            // An unreachable server reaches nobody; the caller sees 0 and reports the user offline.
            return 0;
          }
        }),
      );
      return counts.reduce((a, b) => a + b, 0);
    },
    async call(server: string, message: ServerCall): Promise<unknown> {
      if (server === self) return receiver.onServerCall(message, self);
      return peer.post(server, CommPaths.call, { message }, { timeoutMs: 10_000 });
    },
  };
}

export function commRoutes(receiver: FabricReceiver): S2sRoutes {
  return {
    [CommPaths.userEvent]: route(
      z.object({ to: z.string().min(1), event: UserEventSchema }),
      async ({ to, event }, _from) => ({
        reached: await receiver.onUserEvent(to, event),
      }),
    ),
    [CommPaths.call]: route(z.object({ message: ServerCallSchema }), async ({ message }, from) =>
      receiver.onServerCall(message, from),
    ),
  };
}
