import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { DestinationStream } from 'pino';
import { GitHubRepositoryStore } from '../../models/github';
import { Secrets } from '../../src/crypto/secrets';
import { ACTION, VIEW } from '../../src/views/ids';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github';
import type { SlackCall } from '../fakes/slack-api';
import { startHarness, type Harness } from '../support/harness';
import { blockActions, viewPayload } from '../support/slack-requests';
import { viewIdOf } from './bots-helpers';

export const APP_ID = '4242';
export const APP_SLUG = 'baton-test';
export const WEBHOOK_SECRET = 'test-github-webhook-secret';

export interface GitHubHarness {
  h: Harness;
  github: FakeGitHub;
  store: GitHubRepositoryStore;
  stop(): Promise<void>;
}

/**
 * Baton with its GitHub App configured against a fake GitHub that knows the app's (throwaway) public key. With
 * `now`, Baton and the fake GitHub share the test's clock, and sessions check their tokens every 50 ms.
 */
export async function startGitHubHarness(
  env: Record<string, string> = {},
  now?: () => number,
  logDestination?: DestinationStream,
): Promise<GitHubHarness> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const github = await startFakeGitHub({
    appId: APP_ID,
    slug: APP_SLUG,
    publicKey: createPublicKey(privateKey),
    webhookSecret: WEBHOOK_SECRET,
    ...(now ? { now } : {}),
  });
  const h = await startHarness(
    {
      GITHUB_APP_ID: APP_ID,
      GITHUB_APP_PRIVATE_KEY: pem,
      GITHUB_APP_SLUG: APP_SLUG,
      GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
      GITHUB_API_URL: github.url,
      ...env,
    },
    {},
    logDestination,
    now ? { now: () => new Date(now()), githubTokenCheckMs: 50 } : {},
  );
  const store = new GitHubRepositoryStore(h.db.db, new Secrets(Buffer.from(h.config.encryptionKey ?? '', 'base64')));
  return {
    h,
    github,
    store,
    async stop() {
      await h.stop();
      await github.close();
    },
  };
}

export const batonUrl = (h: Harness, pathAndQuery: string) => `http://127.0.0.1:${h.baton.port}${pathAndQuery}`;

interface Block {
  type: string;
  elements?: Array<{ text?: { text: string }; url?: string; value?: string; action_id?: string }>;
}

/** A button in a view, found by its label as a person would. */
export function buttonIn(view: unknown, label: string) {
  const blocks = (view as { blocks: Block[] }).blocks;
  for (const block of blocks) {
    const found = block.elements?.find((e) => e.text?.text === label);
    if (found) return found;
  }
  return undefined;
}

/** Opens the bot's Agent connection modal (pushed over the bot modal) and returns it with its view id. */
export async function openConnectionModal(h: Harness, botId: string, user?: string) {
  h.slack.reset();
  await h.send.interaction(
    blockActions({
      action_id: ACTION.openConnection,
      value: botId,
      view: viewPayload({ callback_id: VIEW.bot }),
      ...(user ? { user } : {}),
    }),
  );
  const call: SlackCall = await h.slack.waitFor('views.push');
  const viewId = viewIdOf(call);
  return {
    view: call.args.view,
    viewId,
    payload: viewPayload({ id: viewId, callback_id: VIEW.connection, private_metadata: JSON.stringify({ botId }) }),
  };
}

/**
 * The whole Connect GitHub round trip as an admin's browser makes it: the link from the modal, Baton's redirect
 * to the app's install page, the installation on GitHub, and GitHub's redirect back to the setup URL.
 */
export async function connectThroughBrowser(g: GitHubHarness, botId: string, account: string, repositories: string[]) {
  const { h, github } = g;
  const modal = await openConnectionModal(h, botId);
  const connect = buttonIn(modal.view, 'Connect GitHub') ?? buttonIn(modal.view, 'Reconnect GitHub');
  if (!connect?.url) throw new Error('no Connect GitHub link in the modal');
  await h.send.interaction(blockActions({ action_id: connect.action_id!, value: connect.value!, view: modal.payload }));
  const link = new URL(connect.url);
  const redirect = await fetch(batonUrl(h, `${link.pathname}${link.search}`), { redirect: 'manual' });
  const install = new URL(redirect.headers.get('location') ?? '');
  const state = install.searchParams.get('state') ?? '';
  const installation = github.install(account, repositories);
  const setup = await fetch(
    batonUrl(
      h,
      `/github/setup?installation_id=${installation.id}&setup_action=install&state=${encodeURIComponent(state)}`,
    ),
  );
  return { modal, redirect, install, state, installation, setup, page: await setup.text() };
}
