import { context, escapeMrkdwn, header, section, type Blocks } from './blocks';

export interface AuditRow {
  actorId: string;
  action: string;
  target: string;
  createdAt: Date;
}

const actor = (id: string) => (/^[UW][A-Z0-9]+$/.test(id) ? `<@${id}>` : escapeMrkdwn(id));

/** `/baton audit`: who changed what, newest first. */
export function buildAuditList(rows: AuditRow[]): Blocks {
  const blocks: Blocks = [header('Recent changes')];
  if (rows.length === 0) blocks.push(section('Nothing has been changed yet.'));
  const lines = rows.map(
    (row) =>
      `<!date^${Math.floor(row.createdAt.getTime() / 1000)}^{date_short_pretty} {time}|${row.createdAt.toISOString()}> ` +
      `${actor(row.actorId)} \`${escapeMrkdwn(row.action)}\` ${escapeMrkdwn(row.target)}`,
  );
  // Several rows per section keep long audits inside Slack's block limit.
  for (let i = 0; i < lines.length; i += 10) blocks.push(section(lines.slice(i, i + 10).join('\n')));
  blocks.push(context('Secret values are never recorded.'));
  return blocks;
}
