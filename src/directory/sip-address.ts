/** @module SIP addresses: normalized to `sip:user@domain`, lower case. */
import { TandemError } from '../errors/index.js';

const SIP = /^sip:[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/;

/** Accepts `sip:alice@litwareinc.com` or `alice@litwareinc.com`; returns the normalized form or undefined. */
export function normalizeSip(input: string): string | undefined {
  const text = input.trim().toLowerCase();
  const withScheme = text.startsWith('sip:') ? text : `sip:${text}`;
  return SIP.test(withScheme) ? withScheme : undefined;
}

export function requireSip(input: string, field = 'SipAddress'): string {
  const sip = normalizeSip(input);
  if (!sip) {
    throw new TandemError('INVALID_ARGUMENT', {
      detail: `-${field} '${input}' is not a SIP address; write it as sip:user@domain, e.g. sip:alice@litwareinc.com.`,
    });
  }
  return sip;
}
