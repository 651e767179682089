import { type GitHubConnection, resolveSessionRepositories } from '../domain/github';
import type { BotRepositorySource } from '../ports/settings';

/**
 * A bot's default repositories from its GitHub connection: the ones chosen that the installation still reaches
 * (none while it is suspended or uninstalled). Channels pick a subset of these.
 */
export const githubRepositories = (github: {
  get(botId: string): Promise<GitHubConnection | undefined>;
}): BotRepositorySource => ({
  forBot: async (_teamId, botId) => resolveSessionRepositories(await github.get(botId))?.repositories ?? [],
});
