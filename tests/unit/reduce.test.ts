import type { BatonEvent } from '../../src/domain/events';
import { emptyProgress, foldEvents, step, STEPS_KEPT } from '../../src/sessions/reduce';

type Draft = { [K in BatonEvent['kind']]: Omit<Extract<BatonEvent, { kind: K }>, 'id' | 'raw'> }[BatonEvent['kind']];

let n = 0;
const ev = (event: Draft): BatonEvent => ({ id: `e${++n}`, raw: {}, ...event }) as BatonEvent;

const started = (stepId: string, name = 'Run command', needsApproval = false) =>
  ev({ kind: 'step_started', stepId, name, summary: 'npm test', server: null, needsApproval });

describe('step, one event kind at a time', () => {
  it('turn_started counts the turn and clears what the last turn left', () => {
    const p = step({ ...emptyProgress(), turnMessage: 'old' }, ev({ kind: 'turn_started', text: 'Please check' }));
    expect(p).toMatchObject({ turnStarts: 1, turnMessage: null, pending: [] });
  });

  it('message keeps the latest text for the card and as the answer-to-be', () => {
    const p = step(emptyProgress(), ev({ kind: 'message', text: 'Looking' }));
    expect(p).toMatchObject({ lastMessage: 'Looking', turnMessage: 'Looking' });
    expect(step(p, ev({ kind: 'message', text: '' }))).toBe(p);
  });

  it('step_started adds a named, summarised step, waiting when it needs approval', () => {
    const p = foldEvents([started('s1'), started('s2', 'linear.create_issue', true)]);
    expect(p.steps).toEqual([
      { id: 's1', name: 'Run command', summary: 'npm test', state: 'running' },
      { id: 's2', name: 'linear.create_issue', summary: 'npm test', state: 'waiting' },
    ]);
  });

  it('step_started keeps the latest steps and counts the earlier ones', () => {
    const p = foldEvents(Array.from({ length: 200 }, (_, i) => started(`s${i}`)));
    expect(p.steps).toHaveLength(STEPS_KEPT);
    expect(p.earlierSteps).toBe(200 - STEPS_KEPT);
    expect(p.steps.at(-1)?.id).toBe('s199');
  });

  it('step_finished marks the step done, or failed with what went wrong', () => {
    const p = foldEvents([
      started('s1'),
      started('s2'),
      ev({ kind: 'step_finished', stepId: 's1', isError: false, summary: 'ok' }),
      ev({ kind: 'step_finished', stepId: 's2', isError: true, summary: 'exit 1' }),
    ]);
    expect(p.steps.map((s) => [s.state, s.summary])).toEqual([
      ['done', 'npm test'],
      ['failed', 'exit 1'],
    ]);
  });

  it('approval_needed lists the steps waiting for a person; approval_answered takes them off', () => {
    const waiting = foldEvents([
      started('ask1', 'linear.create_issue', true),
      ev({ kind: 'approval_needed', stepIds: ['ask1'] }),
    ]);
    expect(waiting.pending).toEqual([{ stepId: 'ask1', name: 'linear.create_issue', summary: 'npm test' }]);
    const allowed = step(waiting, ev({ kind: 'approval_answered', stepId: 'ask1', isAllowed: true }));
    expect(allowed.pending).toEqual([]);
    expect(allowed.steps[0]?.state).toBe('running');
    const denied = step(waiting, ev({ kind: 'approval_answered', stepId: 'ask1', isAllowed: false }));
    expect(denied.steps[0]?.state).toBe('failed');
  });

  it('turn_ended takes the answer (the provider’s, else the last message) and settles open steps', () => {
    const p = foldEvents([
      ev({ kind: 'turn_started', text: 'go' }),
      started('s1'),
      ev({ kind: 'message', text: 'All good.' }),
      ev({ kind: 'turn_ended', reason: 'end_turn', answer: null }),
    ]);
    expect(p).toMatchObject({ answer: 'All good.', turnEnds: 1, error: null, turnMessage: null });
    expect(p.steps[0]?.state).toBe('failed');
    const named = step(p, ev({ kind: 'turn_ended', reason: 'end_turn', answer: 'Named answer' }));
    expect(named).toMatchObject({ answer: 'Named answer', turnEnds: 2 });
  });

  it('turn_ended for another reason than the end of the turn or a stop is an error', () => {
    expect(step(emptyProgress(), ev({ kind: 'turn_ended', reason: 'max_tokens', answer: null })).error).toBe(
      'The agent stopped: max tokens.',
    );
    expect(step(emptyProgress(), ev({ kind: 'turn_ended', reason: 'interrupted', answer: null })).error).toBeNull();
  });

  it('usage adds tokens up, and cost once a provider reports it', () => {
    const p = foldEvents([
      ev({ kind: 'usage', inputTokens: 1200, outputTokens: 80, costUsd: null }),
      ev({ kind: 'usage', inputTokens: 300, outputTokens: 20, costUsd: null }),
    ]);
    expect(p.usage).toEqual({ inputTokens: 1500, outputTokens: 100, costUsd: null });
    expect(step(p, ev({ kind: 'usage', inputTokens: 0, outputTokens: 0, costUsd: 0.25 })).usage.costUsd).toBe(0.25);
  });

  it('artifact lists pull requests and branches', () => {
    const p = step(
      emptyProgress(),
      ev({ kind: 'artifact', type: 'pull_request', name: 'Fix login', url: 'https://x/1' }),
    );
    expect(p.artifacts).toEqual([{ type: 'pull_request', name: 'Fix login', url: 'https://x/1' }]);
  });

  it('error keeps the readable message', () => {
    const p = step(
      emptyProgress(),
      ev({ kind: 'error', errorKind: 'mcp_auth', message: 'Could not sign in', server: 'baton', repository: null }),
    );
    expect(p.error).toBe('Could not sign in');
  });

  it('terminated ends the session and settles open steps', () => {
    const p = foldEvents([started('s1'), ev({ kind: 'terminated' })]);
    expect(p).toMatchObject({ isTerminated: true });
    expect(p.steps[0]?.state).toBe('failed');
  });

  it('leaves the progress it was given as it was', () => {
    const before = foldEvents([started('s1')]);
    const copy = JSON.parse(JSON.stringify(before)) as unknown;
    step(before, ev({ kind: 'step_finished', stepId: 's1', isError: false, summary: '' }));
    expect(before).toEqual(copy);
  });
});
