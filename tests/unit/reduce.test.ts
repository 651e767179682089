import type { StoredEvent } from '../../src/domain/sessions';
import { reduceEvents, slimEvent } from '../../src/sessions/reduce';

let seq = 0;
const event = (type: string, payload: Record<string, unknown>, id = `e${++seq}`): StoredEvent => ({
  seq,
  providerEventId: id,
  type,
  payload,
  at: new Date(),
});

const turn = () => [
  event('user.message', { content: [{ type: 'text', text: 'Please check' }] }),
  event(
    'agent.mcp_tool_use',
    { mcp_server_name: 'baton', name: 'get_task_context', input: { q: 'x'.repeat(500) } },
    'use1',
  ),
  event('agent.mcp_tool_result', { mcp_tool_use_id: 'use1', content: [{ type: 'text', text: 'y'.repeat(50_000) }] }),
  event('span.model_request_end', { model_usage: { input_tokens: 1200, output_tokens: 80 } }),
  event('agent.message', { content: [{ type: 'text', text: 'All good.' }] }),
  event('session.status_idle', { stop_reason: { type: 'end_turn' } }),
];

describe('reduceEvents', () => {
  it('folds a turn into steps, usage and the answer', () => {
    const progress = reduceEvents(turn());
    expect(progress.steps).toEqual([
      expect.objectContaining({ name: 'baton.get_task_context', state: 'done', summary: expect.stringMatching(/…$/) }),
    ]);
    expect(progress.usage).toEqual({ inputTokens: 1200, outputTokens: 80 });
    expect(progress).toMatchObject({ answer: 'All good.', userMessages: 1, turnEnds: 1, error: null });
  });

  it('lists tool uses waiting for approval until they are answered', () => {
    const use = event(
      'agent.mcp_tool_use',
      { mcp_server_name: 'linear', name: 'create_issue', evaluated_permission: 'ask' },
      'ask1',
    );
    const waiting = [
      event('user.message', {}),
      use,
      event('session.status_idle', { stop_reason: { type: 'requires_action', event_ids: ['ask1'] } }),
    ];
    expect(reduceEvents(waiting).pending).toEqual([{ toolUseId: 'ask1', name: 'linear.create_issue', summary: '' }]);
    expect(reduceEvents([...waiting, event('session.status_running', {})]).pending).toEqual([]);
  });

  it('reads the same from slim events, which drop large results and inputs', () => {
    const events = turn();
    const slim = events.map(slimEvent);
    expect(reduceEvents(slim)).toEqual(reduceEvents(events));
    expect(JSON.stringify(slim).length).toBeLessThan(JSON.stringify(events).length / 20);
  });
});
