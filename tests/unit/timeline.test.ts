import type { BatonEvent } from '../../src/domain/events';
import type { StoredEvent } from '../../src/domain/sessions';
import { buildTimeline } from '../../src/web/timeline';

type Draft = { [K in BatonEvent['kind']]: Omit<Extract<BatonEvent, { kind: K }>, 'id' | 'raw'> }[BatonEvent['kind']];

const t0 = Date.parse('2026-12-03T10:00:00Z');
let seq = 0;
const ev = (event: Draft, raw: Record<string, unknown> = {}, afterMs = seq * 1000): StoredEvent =>
  ({ id: `e${++seq}`, raw, seq, at: new Date(t0 + afterMs), ...event }) as StoredEvent;

beforeEach(() => {
  seq = 0;
});

describe('buildTimeline', () => {
  it('shows the task, messages, a step with its full input and result and its duration, then the answer once', () => {
    const longOutput = 'x'.repeat(5000);
    const { entries } = buildTimeline([
      ev({ kind: 'turn_started', text: 'Fix the build' }),
      ev({ kind: 'message', text: 'Looking at CI' }),
      ev(
        {
          kind: 'step_started',
          stepId: 's1',
          name: 'Run command',
          summary: 'npm test',
          server: null,
          needsApproval: false,
        },
        { input: { command: 'npm test', cwd: '/repo' } },
        2000,
      ),
      ev({ kind: 'step_finished', stepId: 's1', isError: false, summary: 'ok' }, { content: longOutput }, 5500),
      ev({ kind: 'message', text: 'All green.' }),
      ev({ kind: 'turn_ended', reason: 'end_turn', answer: 'All green.' }),
    ]);
    expect(entries.map((e) => e.kind)).toEqual(['turn', 'message', 'step', 'answer']);
    const step = entries[2]!;
    expect(step).toMatchObject({
      id: 'step-s1',
      state: 'done',
      input: { command: 'npm test', cwd: '/repo' },
      result: longOutput,
      durationMs: 3500,
    });
    expect(entries[3]).toMatchObject({ kind: 'answer', text: 'All green.' });
  });

  it('marks follow-ups, approvals and their answers, errors and the end', () => {
    const { entries } = buildTimeline(
      [
        ev({ kind: 'turn_started', text: 'Task' }),
        ev({ kind: 'turn_ended', reason: 'end_turn', answer: null }),
        ev({ kind: 'turn_started', text: 'And the docs?' }),
        ev({
          kind: 'step_started',
          stepId: 'a',
          name: 'linear.create_issue',
          summary: '',
          server: 'linear',
          needsApproval: true,
        }),
        ev({ kind: 'approval_needed', stepIds: ['a'] }),
        ev({
          kind: 'step_started',
          stepId: 'b',
          name: 'Delete branch',
          summary: '',
          server: null,
          needsApproval: false,
        }),
        ev({ kind: 'approval_needed', stepIds: ['b'] }),
        ev({ kind: 'approval_answered', stepId: 'a', isAllowed: true }),
        ev({ kind: 'approval_answered', stepId: 'b', isAllowed: false }),
        ev({
          kind: 'error',
          errorKind: 'mcp_auth',
          message: 'linear needs a sign-in',
          server: 'linear',
          repository: null,
        }),
        ev({ kind: 'artifact', type: 'pull_request', name: 'Fix docs #12', url: 'https://github.com/o/r/pull/12' }),
        ev({ kind: 'terminated' }),
      ],
      new Map([['a', { name: 'Bob', isTimeout: false }]]),
    );
    expect(entries.filter((e) => e.kind === 'turn').map((e) => e.kind === 'turn' && e.isFollowUp)).toEqual([
      false,
      true,
    ]);
    const steps = entries.filter((e) => e.kind === 'step');
    expect(steps.map((s) => s.kind === 'step' && [s.state, s.approval])).toEqual([
      ['running', { isAllowed: true, by: 'Bob', isTimeout: false }],
      ['failed', { isAllowed: false, by: null, isTimeout: false }],
    ]);
    expect(entries.map((e) => e.kind).slice(-3)).toEqual(['error', 'artifact', 'terminated']);
  });

  it('keeps a step running until it finishes, and entry ids stable as events arrive', () => {
    const first = [
      ev({ kind: 'step_started', stepId: 's', name: 'Read file', summary: 'a.ts', server: null, needsApproval: false }),
    ];
    const before = buildTimeline(first).entries[0]!;
    const after = buildTimeline([
      ...first,
      ev({ kind: 'step_finished', stepId: 's', isError: true, summary: 'ENOENT' }),
    ]).entries[0]!;
    expect(before).toMatchObject({ id: 'step-s', state: 'running', durationMs: null });
    expect(after).toMatchObject({ id: 'step-s', state: 'failed', resultSummary: 'ENOENT' });
  });

  it('adds up usage and cost, and knows when the session started and last moved', () => {
    const timeline = buildTimeline([
      ev({ kind: 'usage', inputTokens: 100, outputTokens: 20, costUsd: null }),
      ev({ kind: 'usage', inputTokens: 50, outputTokens: 5, costUsd: 0.25 }),
    ]);
    expect(timeline.usage).toEqual({ inputTokens: 150, outputTokens: 25, costUsd: 0.25 });
    expect(timeline.entries).toEqual([]);
    expect(timeline.startedAt?.getTime()).toBe(t0 + 0);
    expect(timeline.lastAt?.getTime()).toBe(t0 + 1000);
  });
});
