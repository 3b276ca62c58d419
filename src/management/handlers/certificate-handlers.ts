/** @module Admin API handlers of the certificate cmdlets: the answering server's own certificates. */
import type { CmdletContext, HandlerTable, OutputRecord } from '../cmdlet-handler.js';
import { param } from '../cmdlet-handler.js';
import type { BoundParams } from '../../cmdlets/cmdlet-def.js';
import type { CertificateInfo } from '../../certificates/certificate-info.js';
import type { NewCertificateRequest, ServerCertificates } from '../../certificates/server-certificates.js';
import { allServers } from '../../topology/topology-lookups.js';
import { TandemError } from '../../errors/index.js';

/** What Get-CsCertificate says the one certificate is used for. */
const USES = 'Default, WebServicesInternal, WebServicesExternal, ServerToServer (mutual TLS)';

function record(server: string, info: CertificateInfo, more: OutputRecord = {}): OutputRecord {
  return { Server: server, Type: 'Default', Use: USES, ...more, ...info };
}

function requestOf(params: BoundParams, ctx: CmdletContext): NewCertificateRequest {
  const t = ctx.topology();
  const names = params.DomainName;
  const friendlyName = param.str(params, 'FriendlyName');
  return {
    domainNames: Array.isArray(names) ? names : typeof names === 'string' ? [names] : [ctx.serverFqdn],
    ...(friendlyName !== undefined ? { friendlyName } : {}),
    allowedNames: [...t.pools.map((p) => p.fqdn), ...allServers(t).map((s) => s.fqdn)],
  };
}

function attachment(ctx: CmdletContext, name: string): string | undefined {
  return ctx.attachments[name];
}

export function certificateHandlers(certificates: ServerCertificates): HandlerTable {
  return {
    async 'Get-CsCertificate'(_params, ctx) {
      return { records: [record(ctx.serverFqdn, certificates.describeCurrent())], view: 'list' };
    },

    async 'Request-CsCertificate'(params, ctx) {
      const request = requestOf(params, ctx);
      const output = param.str(params, 'Output');
      if (output !== undefined) {
        const csr = await certificates.request(request);
        ctx.verbose(`The request's private key is kept by ${ctx.serverFqdn} for Import-CsCertificate.`);
        return {
          records: [{ Server: ctx.serverFqdn, Output: output, DomainName: request.domainNames.join(', ') }],
          view: 'list',
          file: { path: output, content: csr },
        };
      }
      const info = await certificates.issue(request);
      return {
        records: [record(ctx.serverFqdn, info, { Status: 'Ready (Set-CsCertificate)' })],
        view: 'list',
      };
    },

    async 'Import-CsCertificate'(params, ctx) {
      const path = param.requireStr(params, 'Path');
      const cert = attachment(ctx, 'Path');
      if (cert === undefined) {
        throw new TandemError('ADMIN_BAD_REQUEST', { detail: 'the shell must attach the content of -Path' });
      }
      const keyGiven = param.str(params, 'PrivateKeyPath') !== undefined;
      const key = attachment(ctx, 'PrivateKeyPath');
      if (keyGiven && key === undefined) {
        throw new TandemError('ADMIN_BAD_REQUEST', {
          detail: 'the shell must attach the content of -PrivateKeyPath',
        });
      }
      const info = certificates.import(cert, key, path);
      return {
        records: [record(ctx.serverFqdn, info, { Status: 'Ready (Set-CsCertificate)' })],
        view: 'list',
      };
    },

    async 'Set-CsCertificate'(params, ctx) {
      if (param.bool(params, 'Roll') || param.str(params, 'EffectiveDate') !== undefined) {
        throw new TandemError('NOT_YET_AVAILABLE', {
          feature: 'Set-CsCertificate -Roll -EffectiveDate',
          hint: 'Run Set-CsCertificate -Type Default -Thumbprint <t> without -Roll when the certificate should take effect: connected users stay connected.',
        });
      }
      const thumbprint = param.requireStr(params, 'Thumbprint');
      if (ctx.common.whatIf) {
        return {
          records: [{ WhatIf: `Would make ${thumbprint} the certificate of ${ctx.serverFqdn}.` }],
        };
      }
      const info = certificates.use(thumbprint);
      ctx.verbose('New connections get this certificate; connections already open keep theirs.');
      return { records: [record(ctx.serverFqdn, info)], view: 'list' };
    },
  };
}
