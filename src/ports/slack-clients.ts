import type { WebClient } from '@slack/web-api';

export interface TeamRef {
  teamId: string;
  enterpriseId?: string | undefined;
}

/** Hands out a Web API client authorised for one workspace (or org-wide install). */
export interface SlackClients {
  forTeam(team: TeamRef): Promise<WebClient>;
}
