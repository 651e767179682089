import { ManagedAgentsTranslator } from '../../src/adapters/anthropic/translate';

const use = (id: string, server: string, name: string, input: Record<string, unknown>) => ({
  id,
  type: 'agent.mcp_tool_use',
  mcp_server_name: server,
  name,
  input,
});
const result = (id: string, useId: string, text: string, isError = false) => ({
  id,
  type: 'agent.mcp_tool_result',
  mcp_tool_use_id: useId,
  content: [{ type: 'text', text }],
  is_error: isError,
});

describe('pull requests opened through GitHub’s MCP server', () => {
  it('become an artifact with the link, named owner/repo#number and the title asked for', () => {
    const t = new ManagedAgentsTranslator();
    t.translate(use('u1', 'github', 'create_pull_request', { title: 'Fix the build' }), 'x');
    const events = t.translate(
      result('r1', 'u1', JSON.stringify({ id: '9', url: 'https://github.com/acme/api/pull/7' })),
      'y',
    );
    expect(events.map((e) => e.kind)).toEqual(['step_finished', 'artifact']);
    expect(events[1]).toMatchObject({
      id: 'r1:pull_request',
      type: 'pull_request',
      name: 'acme/api#7: Fix the build',
      url: 'https://github.com/acme/api/pull/7',
    });
  });

  it('gives no artifact for a failed call, another tool, or another server', () => {
    const t = new ManagedAgentsTranslator();
    t.translate(use('u1', 'github', 'create_pull_request', {}), 'x');
    t.translate(use('u2', 'github', 'get_pull_request', {}), 'x');
    t.translate(use('u3', 'linear', 'create_pull_request', {}), 'x');
    const url = 'https://github.com/acme/api/pull/7';
    expect(t.translate(result('r1', 'u1', url, true), 'y').map((e) => e.kind)).toEqual(['step_finished']);
    expect(t.translate(result('r2', 'u2', url), 'y').map((e) => e.kind)).toEqual(['step_finished']);
    expect(t.translate(result('r3', 'u3', url), 'y').map((e) => e.kind)).toEqual(['step_finished']);
  });
});

describe('repository clone failures', () => {
  it('are reported at once, naming the repository and what to fix, even while Anthropic retries', () => {
    const [event] = new ManagedAgentsTranslator().translate(
      {
        id: 'e1',
        type: 'session.error',
        error: {
          type: 'repository_checkout_error',
          repository_url: 'https://github.com/acme/api.git',
          message: 'pathspec did not match',
          retry_status: { type: 'retrying' },
        },
      },
      'x',
    );
    expect(event).toMatchObject({ kind: 'error', errorKind: 'repository', repository: 'acme/api' });
    expect(event && 'message' in event ? event.message : '').toMatch(
      /^acme\/api could not be mounted, so this session runs without it\. .*branch/,
    );
  });

  it('leave other retrying errors quiet', () => {
    const events = new ManagedAgentsTranslator().translate(
      {
        id: 'e1',
        type: 'session.error',
        error: { type: 'model_overloaded_error', retry_status: { type: 'retrying' } },
      },
      'x',
    );
    expect(events).toEqual([]);
  });
});
