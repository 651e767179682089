/**
 * What `work` settles to, or `late` when it has not settled within `ms`. The timer never outlives the race, and
 * `work` keeps running: a caller that stops waiting for it decides what becomes of it.
 */
export async function within<T, L>(work: Promise<T>, ms: number, late: L): Promise<T | L> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<L>((resolve) => (timer = setTimeout(() => resolve(late), ms)));
  try {
    return await Promise.race([work, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
