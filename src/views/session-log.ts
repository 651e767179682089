import type { ModalView } from '@slack/types';
import type { StoredEvent } from '../domain/sessions';
import { clip, context, escapeMrkdwn, section, type Blocks } from './blocks';
import { button, modal } from './elements';
import { ACTION } from './ids';
import { NO_SESSION_PAGE } from '../web/page-links';

/** Events per page: two blocks each, well inside a modal's 100 blocks and its text budget. */
export const LOG_PAGE_SIZE = 30;

/** What an event says, for people: the message, the step and what it ran on, the answer, the error. */
function describe(event: StoredEvent): string {
  switch (event.kind) {
    case 'turn_started':
      return event.text ?? '';
    case 'message':
      return event.text;
    case 'step_started':
      return `${event.name} ${event.summary}`;
    case 'step_finished':
      return `${event.isError ? 'error: ' : ''}${event.summary}`;
    case 'approval_needed':
      return `${event.stepIds.length} step(s) wait for approval`;
    case 'approval_answered':
      return event.isAllowed ? 'approved' : 'denied';
    case 'turn_ended':
      return event.reason.replace('_', ' ');
    case 'usage':
      return `${event.inputTokens} tokens in · ${event.outputTokens} out${event.costUsd === null ? '' : ` · $${event.costUsd.toFixed(2)}`}`;
    case 'artifact':
      return `${event.name}${event.url ? ` ${event.url}` : ''}`;
    case 'error':
      return event.message;
    default:
      return '';
  }
}

/** Event kinds as the log shows them. */
const KIND_LABEL: Record<string, string> = {
  turn_started: 'Asked',
  step_started: 'Step',
  step_finished: 'Step done',
  message: 'Message',
  approval_needed: 'Needs approval',
  approval_answered: 'Approval',
  turn_ended: 'Turn ended',
  usage: 'Usage',
  artifact: 'Artifact',
  error: 'Error',
  terminated: 'Ended',
};

/** One page of a session's log, as the store reads it. */
export interface SessionLogPage {
  events: StoredEvent[];
  total: number;
  page: number;
  pages: number;
  firstAt: Date | null;
}

/**
 * The session's ordered log, one page at a time (the newest page first when opened). `pageLink` is the viewer's
 * signed link to the session page, or null when this Baton has no web pages (Socket Mode without PUBLIC_URL).
 */
export function buildSessionLog(sessionId: string, log: SessionLogPage, pageLink: string | null): ModalView {
  const { page: current, pages, total } = log;
  const slice = log.events;
  const start = log.firstAt?.getTime() ?? slice[0]?.at.getTime() ?? 0;
  const blocks: Blocks = [
    pageLink
      ? {
          type: 'actions',
          block_id: 'log_page',
          elements: [{ ...button('Open session page', ACTION.pageLink), url: pageLink }],
        }
      : context(NO_SESSION_PAGE),
    context(`Page ${current} of ${pages} · ${total} events · the session page shows every entry in full`),
  ];
  if (total === 0) blocks.push(section('Nothing has happened yet.'));
  for (const event of slice) {
    const detail = describe(event);
    const elapsed = ((event.at.getTime() - start) / 1000).toFixed(1);
    blocks.push(
      section(
        `*${event.seq}.* ${KIND_LABEL[event.kind] ?? 'Event'} +${elapsed}s${detail ? `\n${escapeMrkdwn(clip(detail, 280))}` : ''}`,
      ),
    );
  }
  const nav = [
    ...(current > 1 ? [button('Earlier', ACTION.logPage, JSON.stringify({ s: sessionId, p: current - 1 }))] : []),
    ...(current < pages ? [button('Later', ACTION.logPage, JSON.stringify({ s: sessionId, p: current + 1 }))] : []),
  ];
  if (nav.length > 0) blocks.push({ type: 'actions', block_id: 'log_nav', elements: nav });
  return modal('session_log', 'Session log', blocks, { close: 'Close' });
}
