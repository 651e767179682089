import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { InstalledClients } from '../../src/adapters/slack/slack-clients';

/** Installations by team, counting how often Baton asks for one. */
function installations() {
  const fetched: string[] = [];
  const store: InstallationStore = {
    storeInstallation: async () => {},
    fetchInstallation: async (query: InstallationQuery<boolean>) => {
      fetched.push(query.teamId ?? '');
      return { team: { id: query.teamId }, bot: { token: `xoxb-${query.teamId}` } } as Installation;
    },
  };
  return { store, fetched };
}

describe('InstalledClients', () => {
  it('keeps one client per workspace, and at most `max` workspaces (least recently used go first)', async () => {
    const { store, fetched } = installations();
    const clients = new InstalledClients(store, {}, { max: 2 });
    const a = await clients.forTeam({ teamId: 'TA' });
    expect(await clients.forTeam({ teamId: 'TA' })).toBe(a);
    await clients.forTeam({ teamId: 'TB' });
    await clients.forTeam({ teamId: 'TA' });
    await clients.forTeam({ teamId: 'TC' });
    // TB was used least recently, so TC took its place; TA is still kept.
    expect(await clients.forTeam({ teamId: 'TA' })).toBe(a);
    await clients.forTeam({ teamId: 'TB' });
    expect(fetched).toEqual(['TA', 'TB', 'TC', 'TB']);
  });

  it('fetches the installation again once its client has been kept a minute (a new token shows up)', async () => {
    const { store, fetched } = installations();
    let now = 1_000;
    const clients = new InstalledClients(store, {}, { now: () => now });
    await clients.forTeam({ teamId: 'TA' });
    now += 59_000;
    await clients.forTeam({ teamId: 'TA' });
    now += 2_000;
    await clients.forTeam({ teamId: 'TA' });
    expect(fetched).toEqual(['TA', 'TA']);
  });

  it('reads a workspace once for calls that arrive together, and again after a failed read', async () => {
    const { store, fetched } = installations();
    let failures = 2;
    const flaky: InstallationStore = {
      ...store,
      fetchInstallation: async (query) => {
        if (failures-- > 0) throw new Error('database down');
        return store.fetchInstallation(query);
      },
    };
    const clients = new InstalledClients(flaky, {});
    // The first read fails twice over (workspace install, then enterprise install): every waiting call hears it.
    const first = await Promise.allSettled([clients.forTeam({ teamId: 'TA' }), clients.forTeam({ teamId: 'TA' })]);
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => clients.forTeam({ teamId: 'TA' })));
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(fetched).toEqual(['TA']);
  });
});
