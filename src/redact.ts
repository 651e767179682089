// `scheme://user:password@host` (or `scheme://:password@host`): everything between `//` and `@` is a credential.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]*:[^\s/@]*@/gi;

/** Masks the credentials of every URL in a text (`redis://:pw@host` → `redis://***@host`). */
export const redactUrlCredentials = (text: string): string => text.replace(URL_CREDENTIALS, '$1***@');

// A credential-named field inside a text: a JSON member (`"client_secret":"…"`) or a form/query field (`&code=…`).
// Slack's WebClient logs request bodies at debug level masking only `*token*` keys, so the OAuth exchange's
// client_secret and code would otherwise reach the logs.
const CREDENTIAL_KEY = '(?:client_secret|code|code_verifier|password|[a-z_]*secret|[a-z_]*token)';
const JSON_CREDENTIAL = new RegExp(`("${CREDENTIAL_KEY}"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
const FORM_CREDENTIAL = new RegExp(`([?&]${CREDENTIAL_KEY}=)[^&\\s#"']*`, 'gi');

/** Masks URL credentials and the values of credential-named JSON and form fields in a text. */
export const redactSecrets = (text: string): string =>
  redactUrlCredentials(text).replace(JSON_CREDENTIAL, '$1"***"').replace(FORM_CREDENTIAL, '$1***');

/** The same, deep through a log object's strings (errors included), so no field can carry a password or secret. */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    const copy = new Error(redactSecrets(value.message), { cause: redactDeep(value.cause, depth + 1) });
    copy.name = value.name;
    copy.stack = value.stack && redactSecrets(value.stack);
    return Object.assign(copy, redactDeep({ ...value }, depth + 1));
  }
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = redactDeep(item, depth + 1);
  return out;
}
