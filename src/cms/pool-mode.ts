/** @module Which client mode a pool's state calls for at a server (the resiliency mode of Lync's "User experience during pool failure"). */
import { PoolState, type PoolStateDoc } from './cms-documents.js';
import { ClientMode } from '../protocol/model.js';

/** The mode a user's endpoint has at a server of `ownPool`, given the home pool's state. */
export function modeAt(state: PoolStateDoc, ownPool: string): ClientMode {
  if (state.state === PoolState.FailingOver || state.state === PoolState.FailingBack)
    return ClientMode.Resiliency;
  return state.servedBy === ownPool ? ClientMode.Regular : ClientMode.Resiliency;
}
