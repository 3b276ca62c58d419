/**
 * @module The contract between the admin API and the handlers of server-side cmdlets. A handler is a thin
 * adapter: it turns bound parameters into calls on the domain services and their results into records.
 */
import type { BoundParams } from '../cmdlets/cmdlet-def.js';
import type { AdminRole } from '../cmdlets/cmdlet-def.js';
import type { CmsService } from '../cms/cms-service.js';
import type { Topology } from '../topology/topology-types.js';

export type OutputRecord = Record<string, unknown>;

export interface CmdletResult {
  readonly records: readonly OutputRecord[];
  /** Preferred view; the shell picks one when absent. */
  readonly view?: 'list' | 'table';
  /** Raw text printed instead of records (Get-CsTopology -AsYaml). */
  readonly text?: string;
  /** A file the shell must write (Export-CsTopology): the shell writes `content` to the -FileName path. */
  readonly file?: { readonly path: string; readonly content: string };
}

export interface CommonSwitches {
  readonly verbose: boolean;
  readonly whatIf: boolean;
  readonly confirm: boolean;
  readonly force: boolean;
}

export interface Progress {
  readonly activity: string;
  readonly done: number;
  readonly total: number;
  readonly etaMs?: number;
}

export interface CmdletContext {
  readonly serverFqdn: string;
  readonly poolFqdn: string;
  readonly cms: CmsService;
  topology(): Topology;
  readonly admin: { readonly name: string; readonly role: AdminRole };
  readonly common: CommonSwitches;
  /** File contents the shell attached, keyed by parameter name (Publish-CsTopology -FileName). */
  readonly attachments: Readonly<Record<string, string>>;
  verbose(message: string): void;
  warn(message: string): void;
  progress(p: Progress): void;
}

export type CmdletHandler = (params: BoundParams, ctx: CmdletContext) => Promise<CmdletResult>;

export type HandlerTable = Readonly<Record<string, CmdletHandler>>;

/** Reads a bound parameter with its expected runtime type (the runner validated types already). */
export const param = {
  str(params: BoundParams, name: string): string | undefined {
    const v = params[name];
    return typeof v === 'string' ? v : undefined;
  },
  bool(params: BoundParams, name: string): boolean {
    return params[name] === true;
  },
  num(params: BoundParams, name: string): number | undefined {
    const v = params[name];
    return typeof v === 'number' ? v : undefined;
  },
  requireStr(params: BoundParams, name: string): string {
    const v = params[name];
    if (typeof v !== 'string') throw new Error(`parameter ${name} missing after binding`);
    return v;
  },
};
