import type { Bot, BotType } from '../domain/bots';
import type { BatonEvent } from '../domain/events';
import type { Session } from '../domain/sessions';
import type { StartedSession } from './agent-provider';

// The provider port as PORT.md describes it (the `core` branch lands the final form in agent-provider.ts).

export interface StartRequest {
  session: Session;
  bot: Bot;
  /** The first user turn, built by Baton: trusted guidance outside, the untrusted thread inside its wrapper. */
  task: string;
  /** Trusted instructions from admins (bot + channel guidance), for providers that take them separately. */
  guidance: string;
  /** Baton's MCP server for this session: URL and the session's bearer token (never in a prompt). */
  mcp: { url: string; token: string };
  directApi?: { url: string; token: string } | undefined;
}

export interface ProviderConnection {
  start(request: StartRequest): Promise<StartedSession>;
  send(providerSessionId: string, text: string): Promise<void>;
  interrupt(providerSessionId: string): Promise<void>;
  confirmTool(providerSessionId: string, stepId: string, isAllowed: boolean, denyMessage?: string): Promise<void>;
  events(
    providerSessionId: string,
    from: { lastEventId: string | null; seen: ReadonlySet<string> },
    signal: AbortSignal,
  ): AsyncIterable<BatonEvent>;
  cleanup(providerSessionId: string | null, state: Record<string, string>): Promise<void>;
}

export interface ProviderAdapter {
  readonly type: BotType;
  open(teamId: string, bot: Bot): Promise<ProviderConnection | { problem: string }>;
}
