/** @module Admin API handlers of the certificate cmdlets: the answering server's own certificates. */
import type { CmdletContext, HandlerTable, OutputRecord } from '../cmdlet-handler.js';
import { param } from '../cmdlet-handler.js';
import type { BoundParams } from '../../cmdlets/cmdlet-def.js';
import type { CertificateInfo } from '../../certificates/certificate-info.js';
import { isPemFile } from '../../certificates/certificate-checks.js';
import type {
  NewCertificateRequest,
  RollView,
  ServerCertificates,
} from '../../certificates/server-certificates.js';
import { allServers } from '../../topology/topology-lookups.js';
import { TandemError } from '../../errors/index.js';
import { DATE_TIME_FORMATS, parseDateTime } from '../../timing/date-time.js';

/** What Get-CsCertificate says the one certificate is used for. */
const USES = 'Default, WebServicesInternal, WebServicesExternal, ServerToServer (mutual TLS)';

function record(
  server: string,
  info: CertificateInfo | Pick<CertificateInfo, 'Thumbprint'>,
  more: OutputRecord = {},
): OutputRecord {
  return { Server: server, Type: 'Default', Use: USES, ...more, ...info };
}

/** A scheduled roll as Get-CsCertificate lists it, after the certificate in use (as Lync lists a rolled one). */
function rollRecord(server: string, view: RollView): OutputRecord {
  const { roll, certificate, failure } = view;
  return record(server, certificate ?? { Thumbprint: roll.thumbprint }, {
    Status: failure === undefined ? 'Scheduled (Set-CsCertificate -Roll)' : `Roll failed: ${failure}`,
    EffectiveDate: roll.effectiveDate.toISOString(),
    PreviousThumbprint: roll.previousThumbprint,
  });
}

/** -Roll and -EffectiveDate, which go together: the effective date, or undefined for a switch at once. */
function effectiveDateOf(params: BoundParams): Date | undefined {
  const roll = param.bool(params, 'Roll');
  const text = param.str(params, 'EffectiveDate');
  if (roll && text === undefined) {
    throw new TandemError('CERT_ROLL_INCOMPLETE', { given: '-Roll', missing: '-EffectiveDate <date>' });
  }
  if (!roll && text !== undefined) {
    throw new TandemError('CERT_ROLL_INCOMPLETE', { given: '-EffectiveDate', missing: '-Roll' });
  }
  if (text === undefined) return undefined;
  const date = parseDateTime(text);
  if (date === undefined) {
    throw new TandemError('SHELL_BAD_VALUE', {
      value: text,
      name: 'EffectiveDate',
      cmdlet: 'Set-CsCertificate',
      reason: `it needs ${DATE_TIME_FORMATS}.`,
    });
  }
  return date;
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

/**
 * -Path as the shell attaches it: base64 of the file's bytes. PEM text, as an older shell or another client
 * sends it, is taken as is (base64 has no '-').
 */
function attachedBytes(content: string): Buffer {
  return content.includes('-----BEGIN ') ? Buffer.from(content, 'utf8') : Buffer.from(content, 'base64');
}

function importPem(
  certificates: ServerCertificates,
  certPem: string,
  opts: { path: string; ctx: CmdletContext; keyGiven: boolean; passwordGiven: boolean },
): CertificateInfo {
  if (opts.passwordGiven) {
    throw new TandemError('INVALID_ARGUMENT', {
      detail: `-Password opens a PKCS#12 (PFX) file, and ${opts.path} is PEM: import it without -Password, with its unencrypted key (-PrivateKeyPath)`,
    });
  }
  const key = attachment(opts.ctx, 'PrivateKeyPath');
  if (opts.keyGiven && key === undefined) {
    throw new TandemError('ADMIN_BAD_REQUEST', {
      detail: 'the shell must attach the content of -PrivateKeyPath',
    });
  }
  return certificates.import(certPem, key, opts.path);
}

function importPfx(
  certificates: ServerCertificates,
  bytes: Buffer,
  opts: { path: string; password: string | undefined; keyGiven: boolean },
): CertificateInfo {
  if (opts.keyGiven) {
    throw new TandemError('INVALID_ARGUMENT', {
      detail: `${opts.path} is not PEM: a PKCS#12 (PFX) file carries its own key, so give -Password and no -PrivateKeyPath`,
    });
  }
  // A PFX exported without a password is opened with the empty one, as Windows does.
  return certificates.importPfx(bytes, opts.password ?? '', opts.path);
}

export function certificateHandlers(certificates: ServerCertificates): HandlerTable {
  return {
    async 'Get-CsCertificate'(_params, ctx) {
      const records = [record(ctx.serverFqdn, certificates.describeCurrent(), { Status: 'In use' })];
      const rolled = certificates.scheduledRoll();
      if (rolled !== undefined) records.push(rollRecord(ctx.serverFqdn, rolled));
      return { records, view: 'list' };
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
      const content = attachment(ctx, 'Path');
      if (content === undefined) {
        throw new TandemError('ADMIN_BAD_REQUEST', { detail: 'the shell must attach the content of -Path' });
      }
      const password = param.str(params, 'Password');
      const keyGiven = param.str(params, 'PrivateKeyPath') !== undefined;
      const bytes = attachedBytes(content);
      const info = isPemFile(bytes)
        ? importPem(certificates, bytes.toString('utf8'), {
            path,
            ctx,
            keyGiven,
            passwordGiven: password !== undefined,
          })
        : importPfx(certificates, bytes, { path, password, keyGiven });
      return {
        records: [record(ctx.serverFqdn, info, { Status: 'Ready (Set-CsCertificate)' })],
        view: 'list',
      };
    },

    async 'Set-CsCertificate'(params, ctx) {
      const effectiveDate = effectiveDateOf(params);
      const thumbprint = param.requireStr(params, 'Thumbprint');
      if (ctx.common.whatIf) {
        const when =
          effectiveDate === undefined || effectiveDate <= new Date()
            ? 'now'
            : `on ${effectiveDate.toISOString()}`;
        return {
          records: [{ WhatIf: `Would make ${thumbprint} the certificate of ${ctx.serverFqdn} ${when}.` }],
        };
      }
      if (effectiveDate === undefined) {
        const info = certificates.use(thumbprint);
        ctx.verbose('New connections get this certificate; connections already open keep theirs.');
        return { records: [record(ctx.serverFqdn, info, { Status: 'In use' })], view: 'list' };
      }
      const outcome = certificates.scheduleRoll(thumbprint, effectiveDate);
      if (outcome.kind === 'in-use') {
        ctx.verbose(
          `The effective date ${effectiveDate.toISOString()} has come: the certificate is in use now. New connections get it; connections already open keep theirs.`,
        );
        return { records: [record(ctx.serverFqdn, outcome.info, { Status: 'In use' })], view: 'list' };
      }
      ctx.verbose(
        `${ctx.serverFqdn} keeps its certificate until ${effectiveDate.toISOString()}, then switches to this one as Set-CsCertificate does (also after a restart). Get-CsCertificate shows the roll; another Set-CsCertificate replaces it.`,
      );
      return {
        records: [
          record(ctx.serverFqdn, outcome.info, {
            Status: 'Scheduled (Set-CsCertificate -Roll)',
            EffectiveDate: outcome.roll.effectiveDate.toISOString(),
            PreviousThumbprint: outcome.roll.previousThumbprint,
          }),
        ],
        view: 'list',
      };
    },
  };
}
