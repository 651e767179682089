import { LogLevel, WebClient } from '@slack/web-api';
import { Redis } from 'ioredis';
import { SlackThreadWriter } from '../../src/adapters/slack/writer/slack-thread-writer';
import type { ThreadPostLog } from '../../src/adapters/slack/writer/thread-poster';
import { createLogger } from '../../src/log';
import type { CardContent, Persona, SessionChat } from '../../src/ports/session-chat';
import { FakeSessionChat } from '../fakes/session-chat';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-api';
import { SLACK_DEFAULTS } from '../fakes/slack/ids';
import { deleteRedisPrefix, testRedisUrl, uniqueRedisPrefix } from '../support/redis';

const TEAM = { teamId: SLACK_DEFAULTS.teamId };
const CHANNEL = SLACK_DEFAULTS.channelId;
const PERSONA: Persona = { username: 'Helper' };
const content = (text: string): CardContent => ({
  text,
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
});

/** One implementation under test, with what a person would see in the thread. */
interface Subject {
  chat: SessionChat;
  /** Texts in the thread, oldest first. */
  texts(threadTs: string): string[];
  reactions(ts: string): string[];
  /** Texts of the channel's messages outside any thread. */
  topLevel(): string[];
  /** A run that died after claiming `key` and before recording a ts. */
  claimOnly(sessionId: string, key: string): Promise<void>;
}

let slack: FakeSlack;
let redis: Redis;
const prefix = uniqueRedisPrefix();
beforeAll(async () => {
  slack = await startFakeSlack();
  redis = new Redis(testRedisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
});
afterAll(async () => {
  await slack.close();
  await deleteRedisPrefix(prefix);
  await redis.quit();
});

/** ThreadPostLog with SessionRepository's semantics: a claim is a row, a recorded ts makes it "posted". */
class MemoryPostLog implements ThreadPostLog {
  readonly rows = new Map<string, string | null>();
  async claimPost(sessionId: string, postKey: string): Promise<boolean> {
    if (this.rows.has(`${sessionId} ${postKey}`)) return false;
    this.rows.set(`${sessionId} ${postKey}`, null);
    return true;
  }
  async recordPost(sessionId: string, postKey: string, ts: string): Promise<void> {
    this.rows.set(`${sessionId} ${postKey}`, ts);
  }
  async recordPosts(sessionId: string, posts: ReadonlyArray<{ postKey: string; ts: string }>): Promise<void> {
    for (const { postKey, ts } of posts) this.rows.set(`${sessionId} ${postKey}`, ts);
  }
  async postTs(sessionId: string, postKey: string): Promise<string | undefined> {
    return this.rows.get(`${sessionId} ${postKey}`) ?? undefined;
  }
  async postedKeys(sessionId: string): Promise<Set<string>> {
    const keys = [...this.rows].filter(([key, ts]) => ts !== null && key.startsWith(`${sessionId} `));
    return new Set(keys.map(([key]) => key.slice(sessionId.length + 1)));
  }
}

function slackSubject(): Subject {
  const client = new WebClient('xoxb-contract', {
    slackApiUrl: slack.url,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
  });
  const posts = new MemoryPostLog();
  const chat = new SlackThreadWriter({
    slack: { forTeam: async () => client },
    redis,
    prefix,
    posts,
    log: createLogger('silent'),
    cardsPerMinute: 6_000,
  });
  return {
    chat,
    texts: (threadTs) =>
      slack
        .messages(CHANNEL, threadTs)
        .slice(1)
        .map((m) => m.text ?? ''),
    reactions: (ts) => [...(slack.state.reactions.get(`${CHANNEL} ${ts}`) ?? [])],
    topLevel: () =>
      slack
        .messages(CHANNEL)
        .filter((m) => !m.thread_ts)
        .map((m) => m.text ?? ''),
    claimOnly: async (sessionId, key) => void (await posts.claimPost(sessionId, key)),
  };
}

function fakeSubject(): Subject {
  const chat = new FakeSessionChat();
  return {
    chat,
    texts: (threadTs) => chat.thread(CHANNEL, threadTs).map((m) => m.text),
    reactions: (ts) => [...(chat.reactions.get(`${CHANNEL} ${ts}`) ?? [])],
    topLevel: () => chat.messages.filter((m) => m.channel === CHANNEL && !m.threadTs).map((m) => m.text),
    claimOnly: async (sessionId, key) => chat.claim(sessionId, key),
  };
}

describe.each([
  ['the in-memory fake', fakeSubject],
  ['the Slack adapter', slackSubject],
])('SessionChat contract: %s', (_name, make) => {
  let subject: Subject;
  let threadTs: string;
  let n = 0;
  beforeEach(() => {
    subject = make();
    threadTs = slack.seedMessage({ text: 'Root', user: 'U0002' }).ts;
  });
  afterEach(() => subject.chat.close());
  const thread = () => ({ team: TEAM, sessionId: `ses_${++n}`, channel: CHANNEL, threadTs });

  it('posts a card once per session and updates it in place', async () => {
    const where = thread();
    const ts = await subject.chat.postCard(where, PERSONA, content('Starting'));
    expect(await subject.chat.postCard(where, PERSONA, content('x'))).toBe(ts);
    await subject.chat.updateCard(TEAM, CHANNEL, ts, content('Done'), true);
    await subject.chat.flush();
    expect(subject.texts(threadTs)).toEqual(['Done']);
  });

  it('posts keyed text and messages once each, and updates a keyed post', async () => {
    const where = thread();
    await subject.chat.post(TEAM, where.sessionId, 'note', CHANNEL, threadTs, PERSONA, 'A note');
    await subject.chat.post(TEAM, where.sessionId, 'note', CHANNEL, threadTs, PERSONA, 'A note');
    await subject.chat.postMessages(where, 'answer-1', PERSONA, [content('Part 1'), content('Part 2')]);
    await subject.chat.postMessages(where, 'answer-1', PERSONA, [content('Part 1'), content('Part 2')]);
    await subject.chat.updatePost(where, 'answer-1', content('Part 1, edited'));
    expect(subject.texts(threadTs)).toEqual(['A note', 'Part 1, edited', 'Part 2']);
  });

  it('posts again a key that a dead run claimed without recording a ts', async () => {
    const where = thread();
    await subject.claimOnly(where.sessionId, 'answer-1#0');
    await subject.chat.postMessages(where, 'answer-1', PERSONA, [content('Still posted')]);
    expect(subject.texts(threadTs)).toEqual(['Still posted']);
  });

  it('posts outside a session thread, at the top level or in a named thread, each time it is asked', async () => {
    const ts = await subject.chat.postOutside(TEAM, CHANNEL, undefined, PERSONA, [content('Released 1.2')]);
    expect(ts).toEqual(expect.any(String));
    expect(subject.topLevel()).toContain('Released 1.2');
    await subject.chat.postOutside(TEAM, CHANNEL, threadTs, PERSONA, [content('Seen'), content('Details')]);
    await subject.chat.postOutside(TEAM, CHANNEL, threadTs, PERSONA, [content('Seen')]);
    expect(subject.texts(threadTs)).toEqual(['Seen', 'Details', 'Seen']);
  });

  it('adds and takes off reactions, twice without complaint, and sets the thread status', async () => {
    await subject.chat.react(TEAM, CHANNEL, threadTs, 'eyes', true);
    await subject.chat.react(TEAM, CHANNEL, threadTs, 'eyes', true);
    await subject.chat.react(TEAM, CHANNEL, threadTs, 'white_check_mark', true);
    await subject.chat.react(TEAM, CHANNEL, threadTs, 'eyes', false);
    await subject.chat.react(TEAM, CHANNEL, threadTs, 'eyes', false);
    expect(subject.reactions(threadTs)).toEqual(['white_check_mark']);
    await expect(subject.chat.setThreadStatus(TEAM, CHANNEL, threadTs, 'Working…')).resolves.toBeUndefined();
  });

  it('settles a finished session’s reactions: what it takes off goes, what it puts on stays', async () => {
    await subject.chat.react(TEAM, CHANNEL, threadTs, 'eyes', true);
    await subject.chat.settleReactions(TEAM, CHANNEL, threadTs, { off: ['eyes', 'mag'], on: 'white_check_mark' });
    expect(subject.reactions(threadTs)).toEqual(['white_check_mark']);
  });
});
