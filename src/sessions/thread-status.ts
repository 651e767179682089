import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log';

/** Where a session is, as Slack's thread status shows it. */
export type ThreadState = 'working' | 'ended';

// Slack's agent surface has lifecycle states of its own (agents.sessions.setStatus).
const AGENT_STATE: Record<ThreadState, 'processing' | 'closed'> = { working: 'processing', ended: 'closed' };

export interface ThreadStatusTarget {
  channel: string;
  threadTs: string;
  /** For the agent surface, when it first shows the session: its title and who started it. */
  title?: string | undefined;
  initiatorId?: string | undefined;
}

/**
 * Slack's own "is working…" under the thread: the agent surface's session status where the workspace shows Baton
 * there, else the assistant thread status. The card is always the fallback, so a refusal (older plans, missing
 * scope, a workspace without the agent surface) is only logged.
 */
export async function setThreadStatus(
  client: WebClient,
  log: Logger,
  target: ThreadStatusTarget,
  state: ThreadState,
  text: string,
): Promise<void> {
  try {
    await client.agents.sessions.setStatus({
      channel_id: target.channel,
      thread_ts: target.threadTs,
      status: AGENT_STATE[state],
      ...(target.title ? { title: target.title.slice(0, 200) } : {}),
      ...(target.initiatorId ? { initiator_user_id: target.initiatorId } : {}),
    });
    return;
  } catch (error) {
    log.debug({ event: 'slack.agent_session_status.unavailable', err: error });
  }
  try {
    const status = state === 'working' ? text : '';
    await client.assistant.threads.setStatus({ channel_id: target.channel, thread_ts: target.threadTs, status });
  } catch (error) {
    log.debug({ event: 'slack.thread_status.unavailable', err: error });
  }
}
