/** @module Definitions of the certificate cmdlets (Get-, Request-, Import-, Set-CsCertificate). */
import type { CmdletDef, ParamDef } from '../cmdlet-def.js';

/** Lync's certificate uses; Tandem uses one certificate for all of them. */
const CERTIFICATE_TYPES = ['Default', 'WebServicesInternal', 'WebServicesExternal'] as const;

const RUNS_AT_SERVER =
  "It runs at the server that answers the shell (the first reachable server, in the topology's order), as Lync runs it on the local computer; its answer names that server (Server).";

function typeParam(required: boolean, values: readonly string[] = ['Default']): ParamDef {
  return {
    name: 'Type',
    type: 'enum',
    values,
    ...(required ? { required: true } : {}),
    description:
      'The certificate use. Tandem uses one certificate for every use (Default): client and web services connections, and mutual TLS between servers.',
  };
}

export const certificateCmdlets: readonly CmdletDef[] = [
  {
    name: 'Get-CsCertificate',
    synopsis: 'Shows the certificate the server uses: issuer, names, thumbprint, validity and days left.',
    description: `Tandem uses one certificate for every use (Default, WebServicesInternal, WebServicesExternal, and mutual TLS between servers), so each -Type shows the same one (Status: In use). ExpiryWarning is set when fewer than 30 days are left. A roll scheduled by Set-CsCertificate -Roll shows as a second certificate, with its EffectiveDate and the PreviousThumbprint it replaces (Status: Scheduled, or why it failed when its date came). ${RUNS_AT_SERVER}`,
    category: 'read',
    runsOn: 'server',
    params: [typeParam(false, CERTIFICATE_TYPES)],
    examples: [
      {
        command: 'Get-CsCertificate',
        description:
          'Shows the certificate in use and its thumbprint, and a certificate scheduled to replace it.',
      },
      {
        command: 'Get-CsCertificate -Type WebServicesExternal',
        description: 'Shows the certificate clients see (the same Default certificate).',
      },
    ],
  },
  {
    name: 'Request-CsCertificate',
    synopsis: 'Requests a new certificate for the server: a PKCS#10 request file, or one issued now.',
    description: `With -Output, writes a certificate request (PKCS#10, ECDSA P-256) for an external CA to the file; the new private key stays in the server's data folder, and Import-CsCertificate pairs it with the certificate the CA returns. Without -Output, the deployment CA issues the certificate now and the server keeps it ready for Set-CsCertificate. -DomainName names servers and pools of the topology only; an issued certificate also names the server, its pool and its listen address. ${RUNS_AT_SERVER}`,
    category: 'server',
    runsOn: 'server',
    params: [
      {
        name: 'New',
        type: 'switch',
        required: true,
        description: 'Requests a new certificate (required, as in Lync).',
      },
      typeParam(true),
      {
        name: 'FriendlyName',
        type: 'string',
        description: 'A label for the certificate, carried by the request.',
      },
      {
        name: 'DomainName',
        type: 'string[]',
        description: 'FQDNs of servers and pools of the topology the certificate names (comma-separated).',
      },
      {
        name: 'Output',
        type: 'path',
        file: 'write',
        description:
          'Writes the request to this file, for an external CA, instead of issuing the certificate.',
      },
    ],
    examples: [
      {
        command:
          'Request-CsCertificate -New -Type Default -FriendlyName "atl fe" -DomainName atl-fe-01.litwareinc.com,atl-cs-001.litwareinc.com -Output atl-fe-01.csr',
        description: 'Writes a request for an external CA; import its answer with Import-CsCertificate.',
      },
      {
        command: 'Request-CsCertificate -New -Type Default -DomainName atl-fe-01.litwareinc.com',
        description:
          'Has the deployment CA issue a new certificate; shows its thumbprint for Set-CsCertificate.',
      },
    ],
  },
  {
    name: 'Import-CsCertificate',
    synopsis:
      'Imports a certificate (PKCS#12/PFX with its key, or PEM) for the server after checking it, ready for Set-CsCertificate.',
    description: `The shell reads the files and sends their content; the key and the password are never shown or logged. A PFX file (as Windows exports a certificate with its private key, or openssl pkcs12 -export writes it) is opened with -Password: AES-256 exports and the 3DES/RC2 of older Windows exports are read, and the certificate matching its key is taken (a chain's CA certificates are left). A PEM certificate takes its key from -PrivateKeyPath or, without it, the key the server kept for its last Request-CsCertificate -Output. Either way the certificate must be issued by the deployment CA (pki/ca.crt), valid now, and name the server. ${RUNS_AT_SERVER}`,
    category: 'server',
    runsOn: 'server',
    params: [
      {
        name: 'Path',
        type: 'path',
        required: true,
        position: 0,
        file: 'read',
        attach: 'base64',
        description: 'The certificate file: PKCS#12 (.pfx, .p12) with its private key, or PEM.',
      },
      {
        name: 'Password',
        type: 'string',
        description:
          'The password of a PFX file (the one it was exported with); without it the empty password is tried. Not for PEM files.',
      },
      {
        name: 'PrivateKeyPath',
        type: 'path',
        file: 'read',
        description:
          'The private key (unencrypted PEM) of a PEM certificate, when the request was not made by Request-CsCertificate.',
      },
    ],
    examples: [
      {
        command: 'Import-CsCertificate -Path atl-fe-01.pfx -Password "Export-Pass-1"',
        description:
          'Imports a certificate exported with its private key from Windows or another CA as a PFX file.',
      },
      {
        command: 'Import-CsCertificate -Path atl-fe-01.crt',
        description:
          'Imports the certificate an external CA issued for the request of Request-CsCertificate -Output.',
      },
      {
        command: 'Import-CsCertificate -Path atl-fe-01.crt -PrivateKeyPath atl-fe-01.key',
        description: 'Imports a PEM certificate with its own key.',
      },
    ],
  },
  {
    name: 'Set-CsCertificate',
    synopsis:
      'Makes a requested or imported certificate the one the server uses, now or at a later date (-Roll), without a restart.',
    description: `The certificate is checked again and written to the server's certificate and key files. New connections get it at once; users and servers already connected stay connected. With -Roll -EffectiveDate it is checked now as it will be at that date (its key, the deployment CA, the server's name, valid then) and takes effect at that date, also if the server restarts in between; until then Get-CsCertificate shows it as scheduled. An EffectiveDate that has passed puts the certificate in use now. A new Set-CsCertificate, with or without -Roll, replaces a scheduled roll; naming the certificate in use cancels it. ${RUNS_AT_SERVER}`,
    category: 'server',
    runsOn: 'server',
    supportsShouldProcess: true,
    params: [
      typeParam(true),
      {
        name: 'Thumbprint',
        type: 'string',
        required: true,
        description:
          'Thumbprint of the certificate, as Request-CsCertificate or Import-CsCertificate showed it.',
      },
      {
        name: 'Roll',
        type: 'switch',
        description: 'Schedules the certificate to take effect at -EffectiveDate (both are needed).',
      },
      {
        name: 'EffectiveDate',
        type: 'datetime',
        description:
          'When the rolled certificate takes effect (with -Roll): ISO 8601 (2025-07-22T13:00:00Z) or a US date ("7/22/2025 1:00:00 PM"); without a zone, the shell\'s local time. A date that has passed means now.',
      },
    ],
    examples: [
      {
        command: 'Set-CsCertificate -Type Default -Thumbprint 9E1E2B4C7F0C2D6E35A1B0C4D2E8F7A6B5C4D3E2',
        description: 'Puts the certificate with this thumbprint in use.',
      },
      {
        command:
          'Set-CsCertificate -Type Default -Thumbprint 9E1E2B4C7F0C2D6E35A1B0C4D2E8F7A6B5C4D3E2 -Roll -EffectiveDate "7/22/2025 1:00:00 PM"',
        description:
          "Schedules the certificate to take effect on July 22, 2025 at 1:00 PM (the shell's local time).",
      },
    ],
  },
];
