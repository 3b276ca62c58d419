/**
 * @module Disable-CsUser reaches every server through its CMS replica: the disabled user's endpoints here are
 * told why and signed out at once, instead of at their next request.
 */
import type { CmsView } from '../cms/cms-view.js';
import { DocPrefix } from '../cms/cms-documents.js';
import type { EndpointRegistry } from '../delivery/endpoint-registry.js';
import type { CommsHub } from '../delivery/comms-hub.js';
import { CloseCode } from '../protocol/limits.js';

export function signOutDisabledUsers(view: CmsView, endpoints: EndpointRegistry, hub: CommsHub): void {
  view.on('change', (keys) => {
    for (const key of keys) {
      if (!key.startsWith(DocPrefix.user)) continue;
      const sip = key.slice(DocPrefix.user.length);
      if (view.user(sip)?.enabled) continue;
      for (const ep of [...endpoints.endpointsOf(sip)]) {
        hub.push(sip, 'signed-out', {
          reason: 'disabled',
          detail: `${sip} was disabled by an administrator`,
        });
        endpoints.remove(ep, 'disabled');
        ep.handle.close(CloseCode.UserDisabled, 'user disabled');
      }
    }
  });
}
