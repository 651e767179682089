import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest } from './errors';

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function parseJsonBody(raw: string, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  if (contentType && !contentType.includes('json')) return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, requestId: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId });
  res.end(JSON.stringify(body));
}

export function queryToRecord(query: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    out[key] = key.endsWith('[]') || values.length > 1 ? values : (values[0] ?? '');
  }
  return out;
}

/** Array params arrive as `types[]=a&types[]=b`; accept the bare form too. */
export const queryList = (query: URLSearchParams, name: string): string[] => [
  ...query.getAll(`${name}[]`),
  ...query.getAll(name),
];

export function queryBool(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null) return false;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw badRequest(`${name}: Input should be a valid boolean`);
}

export function queryInt(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw badRequest(`${name}: Input should be a valid integer`);
  return n;
}
