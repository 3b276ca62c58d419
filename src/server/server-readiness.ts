/**
 * @module Whether a server finished starting: it listens and asked the CMS master for what it missed
 * (whatever the answer). Sign-ins and the readiness probe wait for both.
 */
import type { CmsService } from '../cms/cms-service.js';

export class ServerReadiness {
  private listening = false;
  private announced = false;

  constructor(private readonly cms: Pick<CmsService, 'replica'>) {}

  /** The server accepts connections (true) or is closing (false). */
  setListening(on: boolean): void {
    this.listening = on;
  }

  /** The server asked the CMS master for what it missed. */
  setAnnounced(): void {
    this.announced = true;
  }

  get isListening(): boolean {
    return this.listening;
  }

  state(): { ready: boolean; detail: string } {
    if (!this.listening || !this.announced) return { ready: false, detail: 'starting' };
    return { ready: true, detail: `CMS replica version ${this.cms.replica.meta().version}` };
  }
}
