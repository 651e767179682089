import type { Session, SessionStatus } from '../domain/sessions';
import { escapeHtml, renderMarkdown } from './markdown';
import type { Timeline, TimelineEntry } from './timeline';

/** What the page's header shows, by name (the caller looks the names up). */
export interface PageHeader {
  session: Pick<Session, 'id' | 'status' | 'statusReason' | 'task' | 'createdAt' | 'endedAt'>;
  botName: string;
  requesterName: string;
  channelName: string;
  model: string | null;
  repositories: string[];
}

const STATUS: Record<SessionStatus, string> = {
  queued: 'Queued',
  starting: 'Starting',
  running: 'Working',
  awaiting_input: 'Waiting for approval',
  paused: 'Paused at its spending limit',
  done: 'Done',
  failed: 'Failed',
  stopped: 'Stopped',
};

const STEP_LABEL = { running: 'running', done: 'done', failed: 'failed', waiting: 'waiting for approval' } as const;
const FOLD_CHARS = 1500;

const time = (at: Date) => at.toISOString().slice(11, 19);
const seconds = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);
const pretty = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value, null, 2));

function folded(summary: string, body: string): string {
  return `<details><summary>${escapeHtml(summary)}</summary>${body}</details>`;
}

function markdownBlock(text: string): string {
  const html = `<div class="md">${renderMarkdown(text)}</div>`;
  return text.length > FOLD_CHARS ? folded(`${text.slice(0, 120)}… (${text.length} characters)`, html) : html;
}

function spend({ usage }: Timeline): string {
  const tokens = `${usage.inputTokens.toLocaleString('en-US')} in · ${usage.outputTokens.toLocaleString('en-US')} out`;
  return usage.costUsd === null ? `${tokens} tokens` : `${tokens} tokens · $${usage.costUsd.toFixed(2)}`;
}

export function renderHeader(header: PageHeader, timeline: Timeline): string {
  const { session } = header;
  const facts: Array<[string, string]> = [
    ['Bot', header.botName],
    ['Requested by', header.requesterName],
    ['Channel', header.channelName],
    ['Model', header.model ?? 'the agent’s default'],
    ['Repositories', header.repositories.length > 0 ? header.repositories.join(', ') : 'none'],
    ['Spend', spend(timeline)],
    ['Started', `${session.createdAt.toISOString().replace('T', ' ').slice(0, 19)} UTC`],
  ];
  if (session.endedAt) facts.push(['Took', seconds(session.endedAt.getTime() - session.createdAt.getTime())]);
  const reason = session.statusReason ? `<p class="reason">${escapeHtml(session.statusReason)}</p>` : '';
  return (
    `<h1>${escapeHtml(header.botName)} <span class="status status-${session.status}" id="status">${STATUS[session.status]}</span></h1>${reason}` +
    `<dl>${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`
  );
}

function entryBody(entry: TimelineEntry): string {
  switch (entry.kind) {
    case 'turn':
      if (entry.isFollowUp) return `<h3>Follow-up</h3>${entry.text ? markdownBlock(entry.text) : ''}`;
      // The first turn is the whole prompt (thread, guidance, task): long, and the task is shown above.
      return `<h3>Session started</h3>${entry.text ? folded('What Baton sent the agent', `<pre>${escapeHtml(entry.text)}</pre>`) : ''}`;
    case 'message':
      return markdownBlock(entry.text);
    case 'answer':
      return `<h3>Answer</h3>${markdownBlock(entry.text)}`;
    case 'turn_end':
      return `<h3>Turn ended</h3><p>${escapeHtml(entry.reason.replace('_', ' '))}</p>`;
    case 'step': {
      const { approval: answer } = entry;
      const who = answer?.isTimeout ? ' (nobody answered in time)' : answer?.by ? ` by ${answer.by}` : '';
      const approval = answer ? ` · ${answer.isAllowed ? 'approved' : 'denied'}${who}` : '';
      const took = entry.durationMs === null ? '' : ` · ${seconds(entry.durationMs)}`;
      const input = entry.input === null ? '' : folded('Input', `<pre>${escapeHtml(pretty(entry.input))}</pre>`);
      const result =
        entry.result === null
          ? ''
          : folded(`Result: ${entry.resultSummary ?? ''}`, `<pre>${escapeHtml(pretty(entry.result))}</pre>`);
      return (
        `<h3><code>${escapeHtml(entry.name)}</code> <span class="state state-${entry.state}">${STEP_LABEL[entry.state]}${approval}${took}</span></h3>` +
        `${entry.summary ? `<p class="summary">${escapeHtml(entry.summary)}</p>` : ''}${input}${result}`
      );
    }
    case 'artifact': {
      const name = escapeHtml(entry.name);
      const link =
        entry.url && /^https?:\/\//.test(entry.url)
          ? `<a href="${escapeHtml(entry.url)}" rel="noopener noreferrer">${name}</a>`
          : name;
      return `<h3>${entry.type === 'pull_request' ? 'Pull request' : 'Branch'}</h3><p>${link}</p>`;
    }
    case 'error':
      return `<h3>Error</h3><p>${escapeHtml(entry.message)}</p>`;
    case 'terminated':
      return '<h3>Session ended</h3>';
  }
}

export const entryDomId = (entry: TimelineEntry): string => `e-${entry.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;

export function renderEntry(entry: TimelineEntry, startedAt: Date | null): string {
  const offset = startedAt ? ` · +${seconds(entry.at.getTime() - startedAt.getTime())}` : '';
  return (
    `<li class="entry entry-${entry.kind}" id="${entryDomId(entry)}">` +
    `<time datetime="${entry.at.toISOString()}">${time(entry.at)}${offset}</time>${entryBody(entry)}</li>`
  );
}

const STYLE = `
body{font:16px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d1c1d;background:#f8f8f8}
main{max-width:860px;margin:0 auto;padding:16px}
h1{font-size:1.4em;margin:.2em 0}h3{font-size:1em;margin:.2em 0}
.status{font-size:.7em;padding:2px 8px;border-radius:10px;background:#e8e8e8;vertical-align:middle}
.status-done{background:#d7f5dd}.status-failed{background:#fbe0e0}.status-running,.status-starting{background:#e0ecfb}
.status-awaiting_input{background:#fdf1d0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0 16px}dt{color:#616061}dd{margin:0;overflow-wrap:anywhere}
section,li.entry{background:#fff;border:1px solid #e2e2e2;border-radius:8px;padding:10px 12px;margin:8px 0}
ol{list-style:none;padding:0;margin:0}time{color:#616061;font-size:.8em}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f4f4f4;padding:8px;border-radius:6px;font-size:.85em;max-height:60vh;overflow:auto}
.md pre{white-space:pre}.md{overflow-wrap:anywhere}.md img{max-width:100%}
.state{font-weight:normal;color:#616061;font-size:.9em}.state-failed{color:#b00}.state-waiting{color:#a66b00}
.entry-error{border-color:#e8a3a3}.entry-answer{border-color:#8fc79a}.reason{color:#b00}
#live{font-size:.8em;color:#616061}
@media (max-width:600px){main{padding:8px}dl{grid-template-columns:1fr}dt{font-weight:600}}
`;

export function renderPage(header: PageHeader, timeline: Timeline, nonce: string, isLive: boolean): string {
  const entries = timeline.entries.map((entry) => renderEntry(entry, timeline.startedAt)).join('');
  const script = isLive
    ? `<script nonce="${nonce}">
const source = new EventSource(location.pathname.replace(/\\/$/, '') + '/events');
const live = document.getElementById('live');
source.addEventListener('update', (message) => {
  const update = JSON.parse(message.data);
  if (update.header) document.getElementById('header').innerHTML = update.header;
  const list = document.getElementById('timeline');
  for (const entry of update.entries) {
    const template = document.createElement('template');
    template.innerHTML = entry.html;
    const node = template.content.firstElementChild;
    const current = document.getElementById(entry.id);
    if (current) current.replaceWith(node); else list.appendChild(node);
  }
  document.getElementById('empty')?.remove();
  live.textContent = update.isFinished ? 'Session finished.' : 'Live: updates as the agent works.';
  if (update.isFinished) source.close();
});
source.addEventListener('error', () => { live.textContent = 'Reconnecting…'; });
</script>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(header.botName)} session · Baton</title><style>${STYLE}</style></head>
<body><main><header id="header">${renderHeader(header, timeline)}</header>
<section><h3>Task</h3>${header.session.task ? markdownBlock(header.session.task) : '<p>(none: the thread is the task)</p>'}</section>
<p id="live">${isLive ? 'Live: updates as the agent works.' : 'Session finished.'}</p>
<ol id="timeline">${entries || '<li id="empty" class="entry">Nothing has happened yet.</li>'}</ol>
</main>${script}</body></html>`;
}

/** A short page for refusals and expired links, in the same look. */
export function renderNotice(title: string, text: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Baton</title><style>${STYLE}</style></head>
<body><main><section><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></section></main></body></html>`;
}
