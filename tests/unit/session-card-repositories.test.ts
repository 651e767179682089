import { emptyProgress } from '../../src/sessions/reduce';
import { buildSessionCard } from '../../src/views/session-card';

const card = (repositories: string[] | undefined, cloneFailures: string[] = []) =>
  JSON.stringify(
    buildSessionCard({
      session: {
        id: 'S1',
        status: 'running',
        statusReason: null,
        requesterId: 'U1',
        agentStatus: null,
        agentStatusReason: null,
      },
      bot: { name: 'coder', displayName: 'Coder', toolMode: 'basic' },
      uses: 'Agent: A · Environment: E',
      progress: { ...emptyProgress(), cloneFailures },
      ...(repositories ? { repositories } : {}),
    }).blocks,
  );

describe('the session card’s repositories', () => {
  it('lists the mounted repositories by name, with their branch', () => {
    expect(card(['acme/api (develop)', 'acme/web'])).toContain('Repositories: `acme/api (develop)`, `acme/web`');
  });

  it('marks a repository that did not clone as not mounted', () => {
    const blocks = card(['acme/api (develop)', 'acme/web'], ['acme/api']);
    expect(blocks).toContain('~`acme/api (develop)`~ (not mounted)');
    expect(blocks).not.toContain('~`acme/web`~');
  });

  it('has no repositories line for a session without any', () => {
    expect(card(undefined)).not.toContain('Repositories:');
  });
});
