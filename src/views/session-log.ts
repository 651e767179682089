import type { ModalView } from '@slack/types';
import type { StoredEvent } from '../domain/sessions';
import { clip, context, escapeMrkdwn, section, type Blocks } from './blocks';
import { button, modal } from './elements';
import { ACTION } from './ids';

/** Events per page: two blocks each, well inside a modal's 100 blocks and its text budget. */
export const LOG_PAGE_SIZE = 30;

const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value ?? ''));

function describe(event: StoredEvent): string {
  const p = event.payload;
  switch (event.type) {
    case 'user.message':
    case 'agent.message': {
      const content = Array.isArray(p.content) ? (p.content as Array<{ text?: string }>) : [];
      return content.map((c) => c.text ?? '').join('');
    }
    case 'agent.tool_use':
    case 'agent.mcp_tool_use':
    case 'agent.custom_tool_use':
      return `${text(p.mcp_server_name ? `${text(p.mcp_server_name)}.${text(p.name)}` : p.name)} ${text(p.input)}`;
    case 'agent.tool_result':
    case 'agent.mcp_tool_result':
      return `${p.is_error ? 'error: ' : ''}${text(p.content)}`;
    case 'session.error':
      return text((p.error as { message?: string } | undefined)?.message ?? p.error);
    case 'session.status_idle':
      return text((p.stop_reason as { type?: string } | undefined)?.type);
    default:
      return '';
  }
}

/** The session's full ordered log, one page at a time (newest page first when opened). */
export function buildSessionLog(sessionId: string, events: StoredEvent[], page: number): ModalView {
  const pages = Math.max(1, Math.ceil(events.length / LOG_PAGE_SIZE));
  const current = Math.min(Math.max(page, 1), pages);
  const slice = events.slice((current - 1) * LOG_PAGE_SIZE, current * LOG_PAGE_SIZE);
  const start = events[0]?.at.getTime() ?? 0;
  const blocks: Blocks = [context(`Page ${current} of ${pages} · ${events.length} events`)];
  if (events.length === 0) blocks.push(section('Nothing has happened yet.'));
  for (const event of slice) {
    const detail = describe(event);
    const elapsed = ((event.at.getTime() - start) / 1000).toFixed(1);
    blocks.push(
      section(`*${event.seq}.* \`${event.type}\` +${elapsed}s${detail ? `\n${escapeMrkdwn(clip(detail, 280))}` : ''}`),
    );
  }
  const nav = [
    ...(current > 1 ? [button('Earlier', ACTION.logPage, JSON.stringify({ s: sessionId, p: current - 1 }))] : []),
    ...(current < pages ? [button('Later', ACTION.logPage, JSON.stringify({ s: sessionId, p: current + 1 }))] : []),
  ];
  if (nav.length > 0) blocks.push({ type: 'actions', block_id: 'log_nav', elements: nav });
  return modal('session_log', 'Session log', blocks, { close: 'Close' });
}
