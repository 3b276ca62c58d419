/** @module What an operation handler knows of the endpoint that sent the request. */
import type { Endpoint } from '../delivery/endpoint-registry.js';

export interface SessionContext {
  readonly endpoint: Endpoint;
  readonly server: string;
}
