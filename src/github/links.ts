import type { ConnectState, ConnectStates } from './connect-state';

export const GITHUB_INSTALL_PATH = '/github/install';
export const GITHUB_SETUP_PATH = '/github/setup';
export const GITHUB_WEBHOOK_PATH = '/github/webhooks';

/** Connect GitHub links: Baton's own page that sends the admin on to the app's install page with a sealed state. */
export class GitHubLinks {
  constructor(
    readonly states: ConnectStates,
    private readonly publicUrl: string,
  ) {}

  connect(binding: Pick<ConnectState, 'teamId' | 'userId' | 'botId'>): { url: string; nonce: string } {
    const { state, nonce } = this.states.issue(binding);
    return { url: `${this.publicUrl}${GITHUB_INSTALL_PATH}?state=${encodeURIComponent(state)}`, nonce };
  }
}
