import type { PageTokens } from './page-tokens';

/** Signed links to session pages, one per person who asks in Slack. */
export class SessionPageLinks {
  constructor(
    private readonly tokens: PageTokens,
    private readonly publicUrl: string,
  ) {}

  linkFor(session: { id: string; teamId: string }, userId: string): string {
    const token = this.tokens.link(session.id, session.teamId, userId);
    return `${this.publicUrl}/s/${encodeURIComponent(session.id)}?k=${token}`;
  }
}

/** What people see where the link would be when Baton runs over Socket Mode with no PUBLIC_URL. */
export const NO_SESSION_PAGE =
  'This Baton runs over Socket Mode without a PUBLIC_URL, so sessions have no web page. Use View log, or ask whoever runs Baton to set PUBLIC_URL.';
