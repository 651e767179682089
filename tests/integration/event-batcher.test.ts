import { BotRepository } from '../../models/bots';
import { EventBatcher } from '../../models/event-batcher';
import { SessionRepository } from '../../models/sessions';
import type { BatonEvent } from '../../src/domain/events';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases';

const message = (id: string, text = id): BatonEvent => ({
  kind: 'message',
  id,
  text,
  raw: { type: 'agent.message', id, content: [{ type: 'text', text }] },
});
const messages = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => message(`${prefix}-${i}`));

describe.each(databaseKinds)('event batches on %s', (kind) => {
  let database: TestDatabase;
  let sessions: SessionRepository;
  let bots: BotRepository;
  let teams = 0;

  async function newSession(): Promise<string> {
    const teamId = `TBATCH${++teams}`;
    const bot = await bots.create({
      teamId,
      name: 'batcher',
      displayName: 'Batcher',
      icon: null,
      type: 'claude',
      description: '',
      createdBy: 'U1',
    });
    const session = await sessions.create({
      teamId,
      botId: bot.id,
      channelId: 'C1',
      threadTs: `${teams}.1`,
      trigger: 'mention',
      triggerTs: `${teams}.1`,
      requesterId: 'U1',
      task: 'batch',
    });
    return session.id;
  }

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    sessions = new SessionRepository(database.handle.db);
    bots = new BotRepository(database.handle.db);
  });
  afterAll(() => database.cleanup());

  it('stores many sessions’ events written at once in order, numbered 1, 2, 3… per session', async () => {
    const ids = await Promise.all(Array.from({ length: 12 }, () => newSession()));
    // Each session submits three batches one after the other, all sessions at the same time.
    const results = await Promise.all(
      ids.map(async (id, s) => {
        const stored = [];
        for (let b = 0; b < 3; b++) stored.push(...(await sessions.appendEvents(id, messages(`s${s}-b${b}`, 5 + s))));
        return stored;
      }),
    );
    for (const [s, id] of ids.entries()) {
      const expected = [0, 1, 2].flatMap((b) => messages(`s${s}-b${b}`, 5 + s).map((e) => e.id));
      const rows = await sessions.events(id);
      expect(rows.map((e) => e.id)).toEqual(expected);
      expect(rows.map((e) => e.seq)).toEqual(expected.map((_, i) => i + 1));
      expect(rows[0]).toMatchObject({ kind: 'message', text: `s${s}-b0-0`, raw: { type: 'agent.message' } });
      expect(results[s]!.map((e) => [e.id, e.seq])).toEqual(rows.map((e) => [e.id, e.seq]));
      expect((await sessions.get(id))?.lastEventSeq).toBe(expected.length);
    }
  });

  it('stores an event id once: a replay and an id given twice in one batch are not new', async () => {
    const id = await newSession();
    expect((await sessions.appendEvents(id, [message('a'), message('b')])).map((e) => e.seq)).toEqual([1, 2]);
    const fresh = await sessions.appendEvents(id, [message('b'), message('c'), message('c', 'again'), message('a')]);
    expect(fresh.map((e) => [e.id, e.seq])).toEqual([['c', 3]]);
    expect((await sessions.events(id)).map((e) => ('text' in e ? e.text : ''))).toEqual(['a', 'b', 'c']);
    expect(await sessions.appendEvents(id, [message('a')])).toEqual([]);
  });

  it('keeps one session’s submissions in order even when they are not awaited one by one', async () => {
    const id = await newSession();
    const batcher = new EventBatcher(database.handle.db, (s, e) => sessions.appendEventsAlone(s, e), {
      maxWritesInFlight: 4,
    });
    const all = await Promise.all([0, 1, 2, 3].map((b) => batcher.append(id, messages(`o${b}`, 3))));
    expect(all.map((stored) => stored.map((e) => e.seq))).toEqual([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
      [10, 11, 12],
    ]);
  });

  it('makes submitters wait for room when too many events are queued (back-pressure)', async () => {
    const id = await newSession();
    const batcher = new EventBatcher(database.handle.db, (s, e) => sessions.appendEventsAlone(s, e), {
      maxWritesInFlight: 1,
      maxQueuedEvents: 3,
    });
    const first = batcher.append(id, messages('p0', 2)); // written at once
    const second = batcher.append(id, messages('p1', 2)); // queued: 2
    const third = batcher.append(id, messages('p2', 2)); // queued: 4, over the bound
    const fourth = batcher.append(id, messages('p3', 2)); // waits for room
    expect(batcher.queued).toBe(4);
    const stored = await Promise.all([first, second, third, fourth]);
    expect(stored.flat().map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await sessions.events(id)).map((e) => e.id)).toEqual(
      ['p0', 'p1', 'p2', 'p3'].flatMap((p) => [`${p}-0`, `${p}-1`]),
    );
    expect(batcher.queued).toBe(0);
  });

  it('fails only the session whose events cannot be stored; the others in the same statement are stored', async () => {
    const [good, bad] = [await newSession(), await newSession()];
    const batcher = new EventBatcher(database.handle.db, (s, e) => sessions.appendEventsAlone(s, e), {
      maxWritesInFlight: 1,
    });
    const busy = batcher.append(good, messages('warm', 1));
    // Both wait behind the first write, so they share the next statement; JSON has no way to write a BigInt.
    const unwritable: BatonEvent = { ...message('big'), raw: { type: 'agent.message', tokens: 10n ** 30n } };
    const [stored, refused] = await Promise.allSettled([
      batcher.append(good, messages('ok', 2)),
      batcher.append(bad, [unwritable]),
    ]);
    await busy;
    expect(stored.status === 'fulfilled' && stored.value.map((e) => e.seq)).toEqual([2, 3]);
    expect(refused.status).toBe('rejected');
    expect((await sessions.events(bad)).length).toBe(0);
    expect((await sessions.events(good)).map((e) => e.id)).toEqual(['warm-0', 'ok-0', 'ok-1']);
  });

  it('stores NUL and lone surrogates, which PostgreSQL refuses, as U+FFFD beside other sessions’ events', async () => {
    const [plain, odd] = [await newSession(), await newSession()];
    const batcher = new EventBatcher(database.handle.db, (s, e) => sessions.appendEventsAlone(s, e), {
      maxWritesInFlight: 1,
    });
    const busy = batcher.append(plain, messages('warm', 1));
    const text = 'nul \u0000, high \ud800, low \udc00, pair 🙂, a written \\u0000';
    const [stored] = await Promise.all([
      batcher.append(plain, messages('ok', 2)),
      batcher.append(odd, [{ ...message('odd', text), raw: { type: 'agent.message', ['key\u0000']: text } }]),
      busy,
    ]);
    expect(stored.map((e) => e.seq)).toEqual([2, 3]);
    const [event] = await sessions.events(odd);
    const expected = 'nul \ufffd, high \ufffd, low \ufffd, pair 🙂, a written \\u0000';
    expect(event).toMatchObject({ text: expected, raw: { ['key\ufffd']: expected } });
  });

  it('marks events handled for many sessions at once; the highest mark wins and never moves back', async () => {
    const ids = await Promise.all([1, 2, 3].map(() => newSession()));
    await Promise.all(ids.flatMap((id, i) => [sessions.markHandled(id, 5 + i), sessions.markHandled(id, 2)]));
    expect(await Promise.all(ids.map(async (id) => (await sessions.get(id))?.handledSeq))).toEqual([5, 6, 7]);
    await sessions.markHandled(ids[0]!, 3);
    expect((await sessions.get(ids[0]!))?.handledSeq).toBe(5);
  });

  it('stores nothing for a session that no longer exists', async () => {
    expect(await sessions.appendEvents('no-such-session', messages('x', 2))).toEqual([]);
  });
});
