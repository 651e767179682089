import type { SettingsProposal } from './claude';

/** Settings Baton's assistant proposed for a bot, kept until the admin applies them (or they expire). */
export interface ProposalStore {
  save(botId: string, proposal: SettingsProposal): Promise<string>;
  take(id: string): Promise<{ botId: string; proposal: SettingsProposal } | undefined>;
}
