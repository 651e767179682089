import type { Bot } from '../../src/domain/bots';
import type { BatonEvent } from '../../src/domain/events';
import type { Session, StoredEvent } from '../../src/domain/sessions';
import { refreshCard } from '../../src/sessions/card';

const bot = {
  id: 'bot_1',
  name: 'helper',
  displayName: 'Helper',
  icon: null,
  toolMode: 'basic',
  type: 'claude',
} as Bot;
const session = {
  id: 'ses_1',
  teamId: 'T0001',
  channelId: 'C0001',
  threadTs: '1700000000.000100',
  triggerTs: '1700000000.000100',
  cardTs: '1700000000.000200',
  providerState: {},
  followUpsAsked: 0,
  agentStatus: null,
  status: 'running',
} as Session;

const step = (n: number): BatonEvent => ({
  id: `ev_${n}`,
  raw: { big: 'x'.repeat(1_000) },
  kind: 'step_started',
  stepId: `st_${n}`,
  name: `Step number ${n}`,
  summary: '',
  server: null,
  needsApproval: false,
});

/** A stored session whose event reads are recorded: how many rows each redraw pulled from the database. */
function storedSession(count: number) {
  const stored: StoredEvent[] = Array.from({ length: count }, (_, i) => ({
    ...step(i + 1),
    seq: i + 1,
    at: new Date(),
  }));
  const rowsRead: number[] = [];
  const cards: string[] = [];
  const deps = {
    sessions: {
      get: async () => session,
      events: async (_id: string, afterSeq = 0) => {
        const rows = stored.filter((e) => e.seq > afterSeq);
        rowsRead.push(rows.length);
        return rows;
      },
    },
    stores: { bots: { get: async () => bot } },
    spend: { get: async () => undefined },
    writer: { updateCard: async (...args: unknown[]) => void cards.push(JSON.stringify(args[3])) },
  } as unknown as Parameters<typeof refreshCard>[0];
  const append = () => stored.push({ ...step(stored.length + 1), seq: stored.length + 1, at: new Date() });
  return { deps, rowsRead, cards, append };
}

describe('redrawing a card outside the run loop (update_status, approvals, follow-ups)', () => {
  it('reads only the events stored since the last redraw, and still shows them', async () => {
    const s = storedSession(500);
    await refreshCard(s.deps, session.id);
    s.append();
    await refreshCard(s.deps, session.id);
    await refreshCard(s.deps, session.id);
    expect(s.rowsRead).toEqual([500, 1, 0]);
    expect(s.cards.at(-1)).toContain('Step number 501');
  });
});
