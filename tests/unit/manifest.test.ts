import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { BOT_SCOPES } from '../../src/adapters/slack/scopes';

const root = path.resolve(__dirname, '../..');
const manifest = parse(readFileSync(path.join(root, 'manifest.yml'), 'utf8'));
const schema = JSON.parse(
  readFileSync(path.join(root, 'tests/fixtures/slack-manifest-schema/manifest.schema.1.0.0.json'), 'utf8'),
);

describe('manifest.yml', () => {
  const validate = addFormats(new Ajv({ strict: false, allErrors: true })).compile(schema);

  it("is valid against Slack's published manifest schema", () => {
    expect(validate(manifest) ? [] : validate.errors).toEqual([]);
  });

  it('the schema really rejects a broken manifest', () => {
    const broken = {
      ...manifest,
      features: { ...manifest.features, shortcuts: [{ name: 'x'.repeat(25), type: 'message' }] },
    };
    expect(validate(broken)).toBe(false);
  });

  it('asks for exactly the bot scopes the OAuth installer requests', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...BOT_SCOPES].sort());
  });

  it('declares the /baton command, the assign shortcut, the events and one request URL', () => {
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual(['/baton']);
    expect(manifest.features.shortcuts).toEqual([
      expect.objectContaining({ type: 'message', callback_id: 'assign_to_bot' }),
    ]);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['app_mention', 'app_home_opened', 'app_uninstalled', 'tokens_revoked']),
    );
    // Thread replies reach a running session without a mention, and Slack's own Stop stops it.
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining([
        'message.channels',
        'message.groups',
        'message.im',
        'message.mpim',
        'agent_session_stopped',
      ]),
    );
    expect(manifest.features.agent_view.agent_description).toBeTruthy();
    const urls = new Set([
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
      manifest.settings.interactivity.message_menu_options_url,
      ...manifest.features.slash_commands.map((c: { url: string }) => c.url),
    ]);
    expect([...urls]).toEqual(['https://baton.example.com/slack/events']);
  });
});
