import { WebClient } from '@slack/web-api';
import { AccessPolicy, type AdminList } from '../../src/access';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-api';

let slack: FakeSlack;
let client: WebClient;
beforeAll(async () => {
  slack = await startFakeSlack({ users: [{ id: 'U0009', name: 'dan', is_admin: true }] });
  client = new WebClient('xoxb-test', { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
});
afterAll(() => slack.close());
beforeEach(() => slack.reset());

const batonAdmins = (ids: string[]): AdminList => ({
  list: async () => ids,
  isAdmin: async (_team, userId) => ids.includes(userId),
});

describe('what a modal submit may know about an admin before its ack', () => {
  it('answers from Baton’s admin list and cached roles only, never asking Slack', async () => {
    const policy = new AccessPolicy(batonAdmins(['U0002']));
    expect(await policy.knownCanConfigure('T0001', 'U0002')).toBe(true);
    expect(await policy.knownCanConfigure('T0001', 'U0001')).toBeUndefined();
    expect(slack.callsTo('users.info')).toHaveLength(0);
  });

  it('trusts a confirmed admin while a form is open, but a refusal only briefly', async () => {
    let now = 0;
    const policy = new AccessPolicy(batonAdmins([]), { now: () => now });
    await policy.canConfigure(client, 'T0001', 'U0001'); // workspace admin
    await policy.canConfigure(client, 'T0001', 'U0002'); // member
    now = 5 * 60_000;
    expect(await policy.knownCanConfigure('T0001', 'U0001')).toBe(true);
    // Someone made admin in the meantime is asked about again, after the ack.
    expect(await policy.knownCanConfigure('T0001', 'U0002')).toBeUndefined();
    now = 16 * 60_000;
    expect(await policy.knownCanConfigure('T0001', 'U0001')).toBeUndefined();
  });

  it('keeps a bounded number of roles, forgetting the least recently used', async () => {
    const policy = new AccessPolicy(batonAdmins([]), { maxRoles: 2 });
    for (const user of ['U0001', 'U0002', 'U0009']) await policy.canConfigure(client, 'T0001', user);
    expect(await policy.knownCanConfigure('T0001', 'U0001')).toBeUndefined();
    expect(await policy.knownCanConfigure('T0001', 'U0009')).toBe(true);
  });
});
