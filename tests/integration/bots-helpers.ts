import { BotRepository } from '../../models/bots';
import { ClaudeConnectionRepository } from '../../models/claude-connections';
import { ProviderKeyRepository } from '../../models/provider-keys';
import { Secrets } from '../../src/crypto/secrets';
import type { BotStatus } from '../../src/domain/bots';
import { INPUT, VALUE, VIEW } from '../../src/views/ids';
import type { SlackCall } from '../fakes/slack-api';
import type { Harness } from '../support/harness';
import { selectedOption, textInput, viewSubmission } from '../support/slack-requests';

/** The view id Slack (the fake) gave a modal it opened, pushed or updated. */
export const viewIdOf = (call: SlackCall): string => (call.response as { view: { id: string } }).view.id;

export function submitNewBot(
  h: Harness,
  fields: { name?: string; displayName?: string; icon?: string; type?: string; description?: string },
) {
  const { name = 'bot', displayName = 'Bot', icon = '', type = 'claude', description = '' } = fields;
  return h.send.interaction(
    viewSubmission({
      callback_id: VIEW.bot,
      values: {
        [INPUT.name]: { [VALUE]: textInput(name) },
        [INPUT.displayName]: { [VALUE]: textInput(displayName) },
        [INPUT.icon]: { [VALUE]: textInput(icon || null) },
        [INPUT.type]: { [VALUE]: selectedOption(type, type, 'radio_buttons') },
        [INPUT.description]: { [VALUE]: textInput(description || null) },
      },
    }),
  );
}

/** Reads (and for setup, writes) the rows Baton keeps, through the same repositories. */
export function botsQuery(h: Harness) {
  const { db } = h.db;
  const bots = new BotRepository(db);
  const connections = new ClaudeConnectionRepository(db);
  const keys = new ProviderKeyRepository(db, new Secrets(Buffer.from(h.config.encryptionKey ?? '', 'base64')));
  return {
    list: (teamId: string) => bots.list(teamId),
    findByName: (teamId: string, name: string) => bots.findByName(teamId, name),
    get: (botId: string) => bots.get('T0001', botId),
    connection: (botId: string) => connections.get(botId),
    keys: (teamId: string) => keys.list(teamId, 'anthropic'),
    linkKey: (botId: string, keyId: string) => connections.save(botId, { keyId }),
    createClaudeBot: (name: string) =>
      bots.create({
        teamId: 'T0001',
        name,
        displayName: name,
        icon: null,
        type: 'claude',
        description: '',
        createdBy: 'U0001',
      }),
    addKeys: (entries: Array<[string, string]>) =>
      Promise.all(
        entries.map(async ([label, secret]) => {
          const key = await keys.create({ teamId: 'T0001', provider: 'anthropic', label, secret, createdBy: 'U0001' });
          return key.id;
        }),
      ),
    async waitForStatus(botId: string, status: BotStatus, timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      let last: string | undefined;
      while (Date.now() < deadline) {
        const bot = await bots.get('T0001', botId);
        last = `${bot?.status} ${bot?.statusDetail ?? ''}`;
        if (bot?.status === status) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`bot ${botId} never reached ${status}; last: ${last}`);
    },
  };
}
