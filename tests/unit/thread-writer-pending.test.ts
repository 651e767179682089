import { type CardUpdate, drawCard, PendingCards } from '../../src/adapters/slack/writer/pending-cards';

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
    for (let i = 1; i <= 20; i++) pending.add(update('1.1', `state ${i}`));
    expect(pending.size).toBe(1);
    expect(drawText(pending.take(0))).toBe('state 20');
    expect(pending.take(0)).toBeUndefined();
  });

  it('hands out final states before the rest', () => {
    const pending = new PendingCards(0);
    pending.add(update('1.1', 'a'));
    pending.add(update('1.2', 'b'));
    pending.add(update('1.3', 'c done', true));
    expect(pending.take(0)?.ts).toBe('1.3');
    expect(pending.take(0)?.ts).toBe('1.1');
  });

  it('hands out final states in the order the sessions ended, whenever their live states were queued', () => {
    const pending = new PendingCards(0);
    pending.add(update('1.1', 'a live'));
    pending.add(update('1.2', 'b live'));
    pending.add(update('1.3', 'c live'));
    pending.add(update('1.3', 'c done', true));
    pending.add(update('1.1', 'a done', true));
    pending.add(update('1.3', 'c done again'));
    expect([pending.take(0)?.ts, pending.take(0)?.ts, pending.take(0)?.ts]).toEqual(['1.3', '1.1', '1.2']);
  });

  it('keeps live cards waiting for an expected final, which goes in the order its session ended', () => {
    const pending = new PendingCards(0);
    pending.add(update('1.1', 'a live'));
    pending.expect({ channel: 'C1', ts: '1.3' }, 5_000);
    pending.add(update('1.3', 'c live, its answer posting'));
    pending.add(update('1.2', 'b done', true));
    pending.add(update('1.4', 'd done', true));
    pending.add(update('1.3', 'c done', true));
    expect([1, 2, 3].map(() => pending.take(0)?.ts)).toEqual(['1.3', '1.2', '1.4']);
    expect(pending.take(0)?.ts).toBe('1.1');
  });

  it('gives the budget to finals that are here while an expected one is not, and to live cards only once it lapses', () => {
    const pending = new PendingCards(0);
    pending.add(update('1.1', 'a live'));
    pending.expect({ channel: 'C1', ts: '1.3' }, 5_000);
    pending.add(update('1.2', 'b done', true));
    expect(pending.take(0)?.ts).toBe('1.2');
    expect(pending.readyIn(1_000)).toBe(4_000);
    expect(pending.take(1_000)).toBeUndefined();
    expect(pending.take(5_000)?.ts).toBe('1.1');
  });

  it('lets cards take turns: a card just sent waits behind the others', () => {
    const pending = new PendingCards(0);
    pending.add(update('1.1', 'a1'));
    pending.add(update('1.2', 'b1'));
    const sent: string[] = [];
    for (let i = 2; i < 6; i++) {
      const next = pending.take(0);
      sent.push(next?.ts ?? '');
      pending.add(update(next?.ts ?? '', `again ${i}`));
    }
    expect(sent).toEqual(['1.1', '1.2', '1.1', '1.2']);
  });

  it('puts an unsent state back in front, unless a newer one arrived, and keeps it final', () => {
    const pending = new PendingCards(0);
    pending.add(update('1.1', 'a'));
    pending.add(update('1.2', 'b', true));
    const final = pending.take(0) as CardUpdate;
    pending.putBack(final);
    expect(pending.take(0)?.ts).toBe('1.2');
    pending.add(update('1.2', 'b newer'));
    pending.putBack(final);
    const again = pending.take(0);
    expect(again).toMatchObject({ ts: '1.2', isFinal: true, card: { text: 'b newer' } });
  });

  it('drops non-final states on shutdown', () => {
    const pending = new PendingCards(0);
    pending.add(update('1.1', 'a'));
    pending.add(update('1.2', 'b', true));
    expect(pending.dropNonFinal()).toBe(1);
    expect(pending.take(0)?.ts).toBe('1.2');
    expect(pending.size).toBe(0);
  });

  it('updates one card at most once a second, however much budget is left, and sends its latest state then', () => {
    const pending = new PendingCards(1_000);
    pending.add(update('1.1', 'first'));
    expect(drawText(pending.take(10_000))).toBe('first');
    pending.add(update('1.1', 'second'));
    pending.add(update('1.2', 'other card'));
    expect(pending.take(10_200)?.ts).toBe('1.2');
    pending.add(update('1.1', 'third', true));
    expect(pending.readyIn(10_300)).toBe(700);
    expect(pending.take(10_300)).toBeUndefined();
    expect(pending.take(11_000)).toMatchObject({ ts: '1.1', isFinal: true, card: { text: 'third' } });
  });
});
