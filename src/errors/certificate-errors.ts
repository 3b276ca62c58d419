/** @module The certificate (TLS) codes of the error registry (registry.ts merges them in). */
import { spec, type ErrorSpec } from './error-spec.js';

/** What an administrator does about a server certificate that cannot be used (every CERT_ code that blames one). */
const REPLACE_CERTIFICATE =
  'Replace it: Request-CsCertificate, then Import-CsCertificate and Set-CsCertificate; or, in a demo deployment, delete the file so that it is issued again from the deployment CA (docs/security.md).';

export const CertificateErrorCodes = {
  CERT_UNREADABLE: spec('certificates', 400, `Cannot use {file}: {detail}. ${REPLACE_CERTIFICATE}`),
  CERT_CA_UNREADABLE: spec(
    'certificates',
    400,
    "Cannot use {file} as a CA certificate: {detail}. Name the deployment's CA file (pki/ca.crt in its data folder) or the PEM certificate of the CA that issued the servers' certificates.",
  ),
  CERT_CA_KEY_UNUSABLE: spec(
    'certificates',
    409,
    'Server {server} has no certificate ({certFile}) and none can be issued: the deployment CA key {file} cannot be used ({detail}). Copy secrets/ca.key from the data folder that created the CA, or import a certificate for {server} (Import-CsCertificate).',
  ),
  CERT_KEY_MISMATCH: spec(
    'certificates',
    400,
    `The private key given for the certificate {file} is not its key (it belongs to another certificate or request). ${REPLACE_CERTIFICATE}`,
  ),
  CERT_EXPIRED: spec(
    'certificates',
    400,
    `The certificate {file} expired on {notAfter}. ${REPLACE_CERTIFICATE}`,
  ),
  CERT_NOT_YET_VALID: spec(
    'certificates',
    400,
    `The certificate {file} is not valid before {notBefore}: check this server's clock. ${REPLACE_CERTIFICATE}`,
  ),
  CERT_NOT_TRUSTED: spec(
    'certificates',
    400,
    `The certificate {file} was issued by "{issuer}", not by the deployment CA "{ca}" (a CA of the same name with another key is another CA), so clients would not trust it. ${REPLACE_CERTIFICATE}`,
  ),
  CERT_NAME_MISMATCH: spec(
    'certificates',
    400,
    `The certificate {file} does not name the server {fqdn} (its names: {names}), so clients would refuse it. ${REPLACE_CERTIFICATE}`,
  ),
  CERT_NAME_OUTSIDE_TOPOLOGY: spec(
    'certificates',
    400,
    'No certificate is requested for {name}: it is not the FQDN of a server or pool of the topology. Name servers and pools that Get-CsTopology shows, or publish a topology that has {name} first.',
  ),
  CERT_UNKNOWN_THUMBPRINT: spec(
    'certificates',
    404,
    'Server {server} has no certificate with thumbprint {thumbprint} ready to use. Get-CsCertificate shows the certificate in use; Request-CsCertificate (without -Output) and Import-CsCertificate show the thumbprint of the certificate they add, at the server that answered them: run Set-CsCertificate at that server.',
  ),
  CERT_NO_REQUEST_KEY: spec(
    'certificates',
    400,
    'No private key for the certificate {file}: give -PrivateKeyPath, or import it at the server that answered the Request-CsCertificate -Output that created its request ({server} holds no outstanding request).',
  ),
  CERT_PFX_PASSWORD: spec(
    'certificates',
    400,
    'The password given does not open {file}: its integrity check failed, so the password is not the one it was exported with (or the file was altered). Run Import-CsCertificate -Path {file} -Password <the export password> again, or export the certificate again.',
  ),
  CERT_PFX_UNREADABLE: spec(
    'certificates',
    400,
    'Cannot import {file}: {detail}. Give a PKCS#12 (PFX) file holding the certificate and its private key, as Windows and openssl pkcs12 -export write it, with -Password; or PEM files (-Path <certificate> -PrivateKeyPath <key>) (docs/security.md).',
  ),
  CERT_ROLL_INCOMPLETE: spec(
    'certificates',
    400,
    '{given} was given without {missing}. Set-CsCertificate -Type Default -Thumbprint <t> -Roll -EffectiveDate <date> schedules the certificate to take effect at that date; without both, it takes effect at once (docs/security.md).',
  ),
  CERT_ROLL_OUTSIDE_VALIDITY: spec(
    'certificates',
    400,
    'The certificate {thumbprint} is valid from {notBefore} to {notAfter}, so it cannot take effect on {effectiveDate}: give an -EffectiveDate within its validity, or request a certificate valid then (Request-CsCertificate).',
  ),
  CERT_ROLL_UNREADABLE: spec(
    'certificates',
    500,
    'Cannot read the scheduled certificate roll {file}: {detail}. Delete the file and schedule the roll again (Set-CsCertificate -Roll -EffectiveDate; docs/security.md).',
  ),
} as const satisfies Record<string, ErrorSpec>;
