import type { Bot } from '../../src/domain/bots';
import type { Session } from '../../src/domain/sessions';
import { decide, type DecisionContext, type TriggerInput } from '../../src/sessions/decide';

const bot = (id: string, name: string) => ({ id, name }) as Bot;
const helper = bot('bot_h', 'helper');
const reviewer = bot('bot_r', 'reviewer');
const session = (id: string, botId: string, status: Session['status'] = 'running') =>
  ({ id, botId, status }) as Session;

const ctx = (over: Partial<DecisionContext> = {}): DecisionContext => ({
  bots: [helper, reviewer],
  defaultBotId: null,
  active: [],
  ...over,
});
const mention = (words: string, over: Partial<TriggerInput> = {}): TriggerInput => ({
  source: 'mention',
  words,
  ...over,
});

describe('which bot a mention or DM picks', () => {
  it('takes the bot it names, with the rest as the task', () => {
    expect(decide(mention('reviewer look at PR 12'), ctx())).toEqual({
      kind: 'start',
      bot: reviewer,
      task: 'look at PR 12',
    });
  });

  it("falls back to the channel's default bot, then to the workspace's only bot", () => {
    expect(decide(mention('fix it'), ctx({ defaultBotId: helper.id }))).toMatchObject({ kind: 'start', bot: helper });
    expect(decide(mention('fix it'), ctx({ bots: [reviewer] }))).toMatchObject({ kind: 'start', bot: reviewer });
  });

  it('offers a picker that keeps the task when several bots could take it', () => {
    expect(decide(mention('please fix the flaky test'), ctx())).toEqual({
      kind: 'pick',
      bots: [helper, reviewer],
      task: 'please fix the flaky test',
    });
  });

  it('says so when there are no bots, and answers ping itself', () => {
    expect(decide(mention('help'), ctx({ bots: [] }))).toEqual({ kind: 'no_bots' });
    expect(decide(mention('ping'), ctx())).toEqual({ kind: 'ping' });
    expect(decide(mention('ping the oncall about the outage please'), ctx())).toMatchObject({ kind: 'pick' });
  });

  it('sends words for a bot already running in the thread to that session', () => {
    const running = session('ses_1', helper.id);
    expect(decide(mention('helper also this'), ctx({ active: [running] }))).toEqual({
      kind: 'follow_up',
      session: running,
      text: 'also this',
    });
  });

  it("prefers the thread's active session over the channel's default when no bot is named", () => {
    const running = session('ses_1', reviewer.id);
    const decision = decide(mention('and this'), ctx({ active: [running], defaultBotId: helper.id }));
    expect(decision).toEqual({ kind: 'follow_up', session: running, text: 'and this' });
  });

  it('starts a second bot in a busy thread when the mention names it', () => {
    const decision = decide(mention('reviewer check too'), ctx({ active: [session('ses_1', helper.id)] }));
    expect(decision).toMatchObject({ kind: 'start', bot: reviewer, task: 'check too' });
  });

  it('works the same in a DM', () => {
    expect(decide({ source: 'dm', words: 'helper hi' }, ctx())).toMatchObject({ kind: 'start', bot: helper });
  });
});

describe('which session a reply without a mention joins', () => {
  it('the newest active session in the thread', () => {
    const newest = session('ses_2', reviewer.id);
    const decision = decide(
      { source: 'reply', words: 'one more thing' },
      ctx({ active: [newest, session('ses_1', helper.id)] }),
    );
    expect(decision).toEqual({ kind: 'follow_up', session: newest, text: 'one more thing' });
  });

  it('the one whose bot it names first, when several run', () => {
    const older = session('ses_1', helper.id);
    const decision = decide(
      { source: 'reply', words: 'helper stop that' },
      ctx({ active: [session('ses_2', reviewer.id), older] }),
    );
    expect(decision).toMatchObject({ kind: 'follow_up', session: older });
  });

  it('none when nothing runs in the thread', () => {
    expect(decide({ source: 'reply', words: 'thanks all' }, ctx())).toEqual({ kind: 'ignore' });
  });
});

describe('a bot chosen explicitly (shortcut, picker, Retry)', () => {
  it('starts that bot with the task, or follows up its running session', () => {
    const pick = { source: 'pick' as const, words: 'the task', botId: helper.id };
    expect(decide(pick, ctx())).toEqual({ kind: 'start', bot: helper, task: 'the task' });
    const running = session('ses_1', helper.id);
    expect(decide(pick, ctx({ active: [running] }))).toMatchObject({ kind: 'follow_up', session: running });
  });

  it('always starts anew on Retry', () => {
    const retry = { source: 'retry' as const, words: 'again', botId: helper.id };
    expect(decide(retry, ctx({ active: [session('ses_1', helper.id)] }))).toMatchObject({ kind: 'start' });
  });

  it('tells the person when the bot was deleted meanwhile', () => {
    expect(decide({ source: 'assignment', words: '', botId: 'bot_gone' }, ctx())).toEqual({ kind: 'bot_gone' });
  });
});
