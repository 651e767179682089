// `scheme://user:password@host` (or `scheme://:password@host`): everything between `//` and `@` is a credential.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]*:[^\s/@]*@/gi;

/** Masks the credentials of every URL in a text (`redis://:pw@host` → `redis://***@host`). */
export const redactUrlCredentials = (text: string): string => text.replace(URL_CREDENTIALS, '$1***@');

/** The same, deep through a log object's strings (errors included), so no field can carry a URL's password. */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactUrlCredentials(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    const copy = new Error(redactUrlCredentials(value.message), { cause: redactDeep(value.cause, depth + 1) });
    copy.name = value.name;
    copy.stack = value.stack && redactUrlCredentials(value.stack);
    return Object.assign(copy, redactDeep({ ...value }, depth + 1));
  }
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = redactDeep(item, depth + 1);
  return out;
}
