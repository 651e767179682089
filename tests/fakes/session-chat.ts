import type {
  CardContent,
  CardPlace,
  CardState,
  Persona,
  SessionChat,
  SessionThread,
  SettledReactions,
} from '../../src/ports/session-chat';
import type { TeamRef } from '../../src/ports/slack-clients';

/** One message as the fake keeps it. */
export interface ChatMessage {
  channel: string;
  threadTs: string;
  ts: string;
  username: string;
  text: string;
  blocks: unknown[];
}

/**
 * `SessionChat` in memory, for unit tests: the same promises as the Slack adapter (the contract suite runs both),
 * with what was written kept in plain maps. `claim` marks a key taken without a post, as a run that died would.
 */
export class FakeSessionChat implements SessionChat {
  readonly messages: ChatMessage[] = [];
  readonly reactions = new Map<string, Set<string>>();
  readonly statuses: string[] = [];
  /** Notes only one person sees: who and what. */
  readonly ephemerals: Array<{ channel: string; user: string; threadTs: string; text: string }> = [];
  private readonly keyed = new Map<string, string | null>();
  private clock = 1_700_000_000;

  private nextTs(): string {
    return `${++this.clock}.000100`;
  }

  private add(channel: string, threadTs: string, persona: Persona, content: CardContent): string {
    const ts = this.nextTs();
    const { username } = persona;
    this.messages.push({ channel, threadTs, ts, username, text: content.text, blocks: content.blocks });
    return ts;
  }

  private async once(sessionId: string, key: string, post: () => string): Promise<string> {
    const id = `${sessionId} ${key}`;
    const recorded = this.keyed.get(id);
    if (recorded) return recorded;
    const ts = post();
    this.keyed.set(id, ts);
    return ts;
  }

  /** Marks a key as claimed by a run that died before it posted (no ts recorded). */
  claim(sessionId: string, key: string): void {
    this.keyed.set(`${sessionId} ${key}`, null);
  }

  thread(channel: string, threadTs: string): ChatMessage[] {
    return this.messages.filter((m) => m.channel === channel && m.threadTs === threadTs);
  }

  async postCard({ sessionId, channel, threadTs }: CardPlace, persona: Persona, card: CardContent): Promise<string> {
    return this.once(sessionId, 'card', () => this.add(channel, threadTs, persona, card));
  }

  postCardNow(place: CardPlace, persona: Persona, card: CardContent): Promise<string | undefined> {
    return this.postCard(place, persona, card);
  }

  followCard(): void {
    // No progress signals here.
  }

  async updateCard(_team: TeamRef, channel: string, ts: string, card: CardState): Promise<void> {
    const message = this.messages.find((m) => m.channel === channel && m.ts === ts);
    const { text, blocks } = 'draw' in card ? card.draw() : card;
    if (message) Object.assign(message, { text, blocks });
  }

  expectFinal(): void {
    // Only the order of real budget waits changes; there are none here.
  }

  async finalCardSent(): Promise<void> {
    // Updates are applied at once here.
  }

  async post(
    _team: TeamRef,
    sessionId: string,
    postKey: string,
    channel: string,
    threadTs: string,
    persona: Persona,
    text: string,
  ): Promise<void> {
    await this.once(sessionId, postKey, () => this.add(channel, threadTs, persona, { text, blocks: [] }));
  }

  async postMessages(thread: SessionThread, postKey: string, persona: Persona, messages: CardContent[]) {
    for (const [i, message] of messages.entries()) {
      await this.once(thread.sessionId, `${postKey}#${i}`, () =>
        this.add(thread.channel, thread.threadTs, persona, message),
      );
    }
  }

  async postOutside(
    _team: TeamRef,
    channel: string,
    threadTs: string | undefined,
    persona: Persona,
    messages: CardContent[],
  ): Promise<string | undefined> {
    return messages.map((message) => this.add(channel, threadTs ?? '', persona, message))[0];
  }

  async updatePost(thread: SessionThread, postKey: string, content: CardContent): Promise<void> {
    const ts = this.keyed.get(`${thread.sessionId} ${postKey}#0`);
    if (ts) await this.updateCard(thread.team, thread.channel, ts, content);
  }

  async react(_team: TeamRef, channel: string, ts: string, name: string, isOn: boolean): Promise<void> {
    const names = this.reactions.get(`${channel} ${ts}`) ?? new Set<string>();
    if (isOn) names.add(name);
    else names.delete(name);
    this.reactions.set(`${channel} ${ts}`, names);
  }

  async settleReactions(team: TeamRef, channel: string, ts: string, reactions: SettledReactions): Promise<void> {
    for (const name of reactions.off) await this.react(team, channel, ts, name, false);
    await this.react(team, channel, ts, reactions.on, true);
  }

  async acknowledge(team: TeamRef, channel: string, ts: string): Promise<boolean> {
    await this.react(team, channel, ts, 'eyes', true);
    return true;
  }

  async postEphemeral(_team: TeamRef, channel: string, user: string, threadTs: string, text: string): Promise<void> {
    this.ephemerals.push({ channel, user, threadTs, text });
  }

  async setThreadStatus(_team: TeamRef, _channel: string, _threadTs: string, status: string): Promise<void> {
    this.statuses.push(status);
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
