import type { IncomingMessage, ServerResponse } from 'node:http';

export type Args = Record<string, unknown>;

/** Thrown by a method handler to answer HTTP 200 `{ ok: false, error }`, as Slack does for every API-level error. */
export class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly messages: string[] = [],
  ) {
    super(code);
  }
}

/** An uploaded file part of a multipart body. */
export interface UploadedPart {
  filename: string;
  size: number;
  content: Buffer;
}

// The WebClient sends object and array arguments as JSON strings inside the form (slack-platform.md §1.6).
const JSON_FIELDS = new Set([
  'blocks',
  'view',
  'metadata',
  'chunks',
  'attachments',
  'files',
  'loading_messages',
  'unfurls',
  'user_auth_blocks',
  'prompts',
]);

function decodeField(key: string, value: string): unknown {
  if (!JSON_FIELDS.has(key)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export const mediaType = (req: IncomingMessage): string =>
  (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

export async function parseMultipart(raw: Buffer, contentType: string): Promise<Args> {
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const args: Args = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') args[key] = decodeField(key, value);
    else args[key] = { filename: value.name, size: value.size, content: Buffer.from(await value.arrayBuffer()) };
  }
  return args;
}

/** Decodes a Web API call the way Slack does: form, JSON or multipart body, plus query string; token from the header. */
export async function parseApiRequest(
  req: IncomingMessage,
  raw: Buffer,
  url: URL,
): Promise<{ token?: string; args: Args }> {
  const type = mediaType(req);
  let args: Args = {};
  if (type === 'application/json' && raw.length > 0) {
    try {
      args = JSON.parse(raw.toString('utf8')) as Args;
    } catch {
      throw new SlackApiError('invalid_json');
    }
  } else if (type === 'multipart/form-data') {
    args = await parseMultipart(raw, req.headers['content-type'] ?? '');
  } else {
    for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) args[key] = decodeField(key, value);
  }
  for (const [key, value] of url.searchParams) args[key] ??= decodeField(key, value);
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
  delete args.token;
  return { token, args };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** Reads an argument that Slack treats as a string; form fields always are, JSON bodies may carry numbers. */
export function optionalString(args: Args, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function requireString(args: Args, key: string, error = 'invalid_arguments'): string {
  const value = optionalString(args, key);
  if (value === undefined) throw new SlackApiError(error, [`[ERROR] missing required field: ${key}`]);
  return value;
}

export const isTrue = (value: unknown): boolean => value === true || value === 'true' || value === '1' || value === 1;
