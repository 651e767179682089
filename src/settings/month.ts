/** The first instant of the calendar month (UTC) that `now` falls in: monthly caps and `/baton spend` start here. */
export const monthStart = (now: Date): Date => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));

export const monthName = (now: Date): string =>
  now.toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
