import {
  type CardUpdate,
  drawCard,
  PendingCards,
  type PendingUpdate,
} from '../../src/adapters/slack/writer/pending-cards';

const update = (ts: string, text: string, isFinal = false): CardUpdate => ({
  channel: 'C1',
  ts,
  card: { text, blocks: [] },
  isFinal,
  attempts: 0,
});

const drawText = (taken: CardUpdate | undefined) => (taken ? drawCard(taken.card).text : undefined);

describe('PendingCards', () => {
  it('keeps only the latest state of a card', () => {
    const pending = new PendingCards(0);
    for (let i = 1; i <= 20; i++) pending.add(update('1.1', `state ${i}`), 0);
    expect(pending.size).toBe(1);
    expect(drawText(pending.take(0))).toBe('state 20');
    expect(pending.take(0)).toBeUndefined();
  });

  it('hands out final states before the rest', () => {
    const pending = new PendingCards(0);
    pending.add(update('1.1', 'a'), 0);
    pending.add(update('1.2', 'b'), 0);
    pending.add(update('1.3', 'c done', true), 0);
    expect(pending.take(0)?.ts).toBe('1.3');
    expect(pending.take(0)?.ts).toBe('1.1');
  });

  it('hands out final states in the order the sessions ended, whenever their live states were queued', () => {
    const pending = new PendingCards(0);
    pending.add(update('1.1', 'a live'), 0);
    pending.add(update('1.2', 'b live'), 0);
    pending.add(update('1.3', 'c live'), 0);
    pending.add(update('1.3', 'c done', true), 0);
    pending.add(update('1.1', 'a done', true), 0);
    pending.add(update('1.3', 'c done again'), 0);
    expect([pending.take(0)?.ts, pending.take(0)?.ts, pending.take(0)?.ts]).toEqual(['1.3', '1.1', '1.2']);
  });

  it('keeps live cards waiting for an expected final, which goes in the order its session ended', () => {
    const pending = new PendingCards(0);
    pending.add(update('1.1', 'a live'), 0);
    pending.expect({ channel: 'C1', ts: '1.3' }, 5_000);
    pending.add(update('1.3', 'c live, its answer posting'), 0);
    pending.add(update('1.2', 'b done', true), 0);
    pending.add(update('1.4', 'd done', true), 0);
    pending.add(update('1.3', 'c done', true), 0);
    expect([1, 2, 3].map(() => pending.take(0)?.ts)).toEqual(['1.3', '1.2', '1.4']);
    expect(pending.take(0)?.ts).toBe('1.1');
  });

  it('gives the budget to finals that are here while an expected one is not, and to live cards only once it lapses', () => {
    const pending = new PendingCards(0);
    pending.add(update('1.1', 'a live'), 0);
    pending.expect({ channel: 'C1', ts: '1.3' }, 5_000);
    pending.add(update('1.2', 'b done', true), 0);
    expect(pending.take(0)?.ts).toBe('1.2');
    expect(pending.readyIn(1_000)).toBe(4_000);
    expect(pending.take(1_000)).toBeUndefined();
    expect(pending.take(5_000)?.ts).toBe('1.1');
  });

  it('lets cards take turns: a card just sent waits behind the others', () => {
    const pending = new PendingCards(0);
    pending.add(update('1.1', 'a1'), 0);
    pending.add(update('1.2', 'b1'), 0);
    const sent: string[] = [];
    for (let i = 2; i < 6; i++) {
      const next = pending.take(0);
      sent.push(next?.ts ?? '');
      pending.add(update(next?.ts ?? '', `again ${i}`), 0);
    }
    expect(sent).toEqual(['1.1', '1.2', '1.1', '1.2']);
  });

  it('puts an unsent state back in front, unless a newer one arrived, and keeps it final', () => {
    const pending = new PendingCards(0);
    pending.add(update('1.1', 'a'), 0);
    pending.add(update('1.2', 'b', true), 0);
    const final = pending.take(0) as PendingUpdate;
    pending.putBack(final);
    expect(pending.take(0)?.ts).toBe('1.2');
    pending.add(update('1.2', 'b newer'), 0);
    pending.putBack(final);
    const again = pending.take(0);
    expect(again).toMatchObject({ ts: '1.2', isFinal: true, card: { text: 'b newer' } });
  });

  it('drops non-final states on shutdown', () => {
    const pending = new PendingCards(0);
    pending.add(update('1.1', 'a'), 0);
    pending.add(update('1.2', 'b', true), 0);
    expect(pending.dropNonFinal()).toBe(1);
    expect(pending.take(0)?.ts).toBe('1.2');
    expect(pending.size).toBe(0);
  });

  it('updates one card at most once a second, however much budget is left, and sends its latest state then', () => {
    const pending = new PendingCards(1_000);
    pending.add(update('1.1', 'first'), 0);
    expect(drawText(pending.take(10_000))).toBe('first');
    pending.add(update('1.1', 'second'), 0);
    pending.add(update('1.2', 'other card'), 0);
    expect(pending.take(10_200)?.ts).toBe('1.2');
    pending.add(update('1.1', 'third', true), 0);
    expect(pending.readyIn(10_300)).toBe(700);
    expect(pending.take(10_300)).toBeUndefined();
    expect(pending.take(11_000)).toMatchObject({ ts: '1.1', isFinal: true, card: { text: 'third' } });
  });

  it('tells how long the live card it would send next has waited, from its first unsent state', () => {
    const pending = new PendingCards(1_000);
    pending.add(update('1.1', 'a 1'), 1_000);
    pending.add(update('1.2', 'b 1'), 2_000);
    pending.add(update('1.1', 'a 2'), 3_000);
    expect(pending.liveWaitedMs(4_000)).toBe(3_000);

    // a goes; b, waiting since 2 s, is next; a's new state waits from now and its floor.
    expect(pending.take(4_000)?.ts).toBe('1.1');
    pending.add(update('1.1', 'a 3'), 4_100);
    expect(pending.liveWaitedMs(4_500)).toBe(2_500);
    expect(pending.take(4_500)?.ts).toBe('1.2');
    expect(pending.liveWaitedMs(4_600)).toBe(0);
    expect(pending.liveWaitedMs(5_000)).toBe(900);

    // A state put back keeps its wait; a final state is not a live card's.
    const taken = pending.take(5_000) as PendingUpdate;
    pending.putBack(taken);
    expect(pending.liveWaitedMs(6_000)).toBe(1_900);
    pending.add(update('1.3', 'c done', true), 6_000);
    expect(pending.liveWaitedMs(6_000)).toBe(1_900);
  });
});
