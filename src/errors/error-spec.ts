/** @module The shape of an entry of the error registry (registry.ts), and the helper that builds one. */

export interface ErrorSpec {
  /** HTTP status used by the admin API and the server-to-server links. */
  readonly http: number;
  /** Message template; `{name}` is replaced by the parameter of that name. */
  readonly message: string;
  /** Whether a machine (the client SDK, the Backup Service) should retry the same request later. */
  readonly retryable: boolean;
  /** Where the code is used, for the documentation. */
  readonly area: ErrorArea;
}

export type ErrorArea =
  | 'general'
  | 'topology'
  | 'shell'
  | 'admin'
  | 'directory'
  | 'cms'
  | 'failover'
  | 'storage'
  | 'protocol'
  | 's2s'
  | 'certificates'
  | 'duties';

export function spec(area: ErrorArea, http: number, message: string, retryable = false): ErrorSpec {
  return { area, http, message, retryable };
}
