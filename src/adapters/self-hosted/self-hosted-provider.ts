import { randomUUID } from 'node:crypto';
import type { Bot } from '../../domain/bots';
import type { BatonEvent } from '../../domain/events';
import type { SelfHostedConnection } from '../../domain/self-hosted';
import type { StartedSession } from '../../ports/agent-provider';
import type { AgentProvider, ProviderConnection, StartRequest } from '../../ports/agent-provider';
import type { RuntimeInbox, WebhookOutbox } from '../../ports/runtime';

export interface SelfHostedProviderOptions {
  connections: { get(botId: string): Promise<SelfHostedConnection | undefined> };
  inbox: RuntimeInbox;
  outbox: WebhookOutbox;
  /** Baton's public API base (`PUBLIC_URL/api/v1`), where the runtime calls back. */
  apiUrl: string;
  /** How often a running session's inbox is read. */
  pollMs?: number;
}

const isEnd = (e: BatonEvent) => e.kind === 'turn_ended' || e.kind === 'terminated';

/**
 * Self-hosted bots: Baton's side of a session is signed webhooks to the team's runtime, and the runtime's side is
 * the callback API, which writes Baton events into the session's inbox; `events` tails that inbox.
 */
export class SelfHostedProvider implements AgentProvider {
  readonly type = 'self_hosted' as const;
  constructor(private readonly options: SelfHostedProviderOptions) {}

  async open(teamId: string, bot: Bot): Promise<ProviderConnection | { problem: string }> {
    const connection = await this.options.connections.get(bot.id);
    if (!connection) {
      return { problem: `${bot.name} has no runtime URL yet. Ask an admin to open its Agent connection.` };
    }
    if (connection.disabledAt) {
      return {
        problem: `${bot.name}'s runtime answered 410 Gone, so Baton stopped sending to it. Ask an admin to check the runtime and save its Agent connection again.`,
      };
    }
    return new RuntimeSession(this.options, teamId, bot);
  }
}

class RuntimeSession implements ProviderConnection {
  constructor(
    private readonly options: SelfHostedProviderOptions,
    private readonly teamId: string,
    private readonly bot: Bot,
  ) {}

  private deliver(sessionId: string, event: string, webhookId: string, data: Record<string, unknown>) {
    return this.options.outbox.send({ teamId: this.teamId, botId: this.bot.id, sessionId, event, webhookId, data });
  }

  async start({ session, task, guidance }: StartRequest): Promise<StartedSession> {
    await this.options.inbox.append(session.id, 'baton-start', [
      { id: 'baton-start', raw: { source: 'baton' }, kind: 'turn_started', text: null },
    ]);
    // The same webhook id on a second start: the job is not queued twice, and the runtime sees one delivery.
    await this.deliver(session.id, 'session.started', `msg_${session.id}_started`, {
      sessionId: session.id,
      bot: { id: this.bot.id, name: this.bot.name },
      requestedBy: { slackUserId: session.requesterId },
      slack: { teamId: session.teamId, channelId: session.channelId, threadTs: session.threadTs },
      trigger: session.trigger,
      task: { summary: session.task, context: task, guidance },
      callbackBaseUrl: this.options.apiUrl,
    });
    return { providerSessionId: session.id, state: {} };
  }

  async send(sessionId: string, text: string): Promise<void> {
    const key = `follow-up-${randomUUID()}`;
    await this.options.inbox.append(sessionId, key, [
      { id: key, raw: { source: 'baton' }, kind: 'turn_started', text },
    ]);
    await this.deliver(sessionId, 'session.follow_up', `msg_${key}`, { sessionId, text });
  }

  async interrupt(sessionId: string): Promise<void> {
    await this.deliver(sessionId, 'session.stop_requested', `msg_${sessionId}_stop`, { sessionId });
    // Stop is Baton's decision: the session ends now, whether or not the runtime answers.
    await this.options.inbox.append(sessionId, 'baton-stop', [
      { id: 'baton-stop', raw: { source: 'baton' }, kind: 'turn_ended', reason: 'interrupted', answer: null },
    ]);
  }

  async confirmTool(sessionId: string, stepId: string, isAllowed: boolean, denyMessage?: string): Promise<void> {
    const key = `approval-${stepId}`;
    const isNew = await this.options.inbox.append(sessionId, key, [
      { id: key, raw: { source: 'baton' }, kind: 'approval_answered', stepId, isAllowed },
    ]);
    if (!isNew) return;
    await this.deliver(sessionId, 'session.approval_answered', `msg_${sessionId}_${key}`, {
      sessionId,
      stepId,
      isAllowed,
      ...(denyMessage ? { message: denyMessage } : {}),
    });
  }

  async *events(
    sessionId: string,
    from: { lastEventId: string | null; seen: ReadonlySet<string> },
    signal: AbortSignal,
  ): AsyncIterable<BatonEvent> {
    const emitted = new Set(from.seen);
    const pollMs = this.options.pollMs ?? 250;
    while (!signal.aborted) {
      for (const event of await this.options.inbox.list(sessionId)) {
        if (emitted.has(event.id)) continue;
        emitted.add(event.id);
        yield event;
        if (isEnd(event)) return;
      }
      await new Promise<void>((resolve) => {
        const stop = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          signal.removeEventListener('abort', stop);
          resolve();
        }, pollMs);
        signal.addEventListener('abort', stop, { once: true });
      });
    }
  }

  /** The runtime keeps nothing of Baton's: a finished session's tokens die with it. */
  async cleanup(): Promise<void> {}
}
