import { badRequest } from './errors';
import { queryInt } from './http';

const MAX_LIMIT = 1000;

function readLimit(query: URLSearchParams, defaultLimit: number): number {
  const limit = queryInt(query, 'limit') ?? defaultLimit;
  if (limit < 1 || limit > MAX_LIMIT) throw badRequest(`limit: Input should be between 1 and ${MAX_LIMIT}`);
  return limit;
}

const encodeCursor = (offset: number): string => `page_${Buffer.from(String(offset)).toString('base64url')}`;

function decodeCursor(page: string | null): number {
  if (page === null || page === '') return 0;
  const offset = Number(Buffer.from(page.replace(/^page_/, ''), 'base64url').toString('utf8'));
  if (!page.startsWith('page_') || !Number.isInteger(offset) || offset < 0)
    throw badRequest('page: Invalid page cursor');
  return offset;
}

/** `PageCursor`: `{data, next_page}`. The SDK keeps paging while `next_page` is non-null, so the last page sends null. */
export function cursorPage<T>(
  items: T[],
  query: URLSearchParams,
  defaultLimit = 20,
): { data: T[]; next_page: string | null } {
  const limit = readLimit(query, defaultLimit);
  const offset = decodeCursor(query.get('page'));
  const data = items.slice(offset, offset + limit);
  return { data, next_page: offset + limit < items.length ? encodeCursor(offset + limit) : null };
}

/** `BidirectionalPageCursor` (sessions.list): adds `prev_page`. */
export function bidirectionalPage<T>(
  items: T[],
  query: URLSearchParams,
  defaultLimit = 20,
): { data: T[]; next_page: string | null; prev_page: string | null } {
  const limit = readLimit(query, defaultLimit);
  const offset = decodeCursor(query.get('page'));
  return {
    data: items.slice(offset, offset + limit),
    next_page: offset + limit < items.length ? encodeCursor(offset + limit) : null,
    prev_page: offset > 0 ? encodeCursor(Math.max(0, offset - limit)) : null,
  };
}

/** `Page` (models.list): `after_id` / `before_id`, answered with `has_more`, `first_id`, `last_id`. */
export function idPage<T extends { id: string }>(
  items: T[],
  query: URLSearchParams,
  defaultLimit = 20,
): { data: T[]; has_more: boolean; first_id: string | null; last_id: string | null } {
  const limit = readLimit(query, defaultLimit);
  const afterId = query.get('after_id');
  const beforeId = query.get('before_id');
  const indexOf = (id: string) => {
    const i = items.findIndex((item) => item.id === id);
    if (i < 0) throw badRequest(`Invalid cursor: ${id}`);
    return i;
  };
  let data: T[];
  let hasMore: boolean;
  if (beforeId !== null) {
    const end = indexOf(beforeId);
    const start = Math.max(0, end - limit);
    data = items.slice(start, end);
    hasMore = start > 0;
  } else {
    const start = afterId !== null ? indexOf(afterId) + 1 : 0;
    data = items.slice(start, start + limit);
    hasMore = start + limit < items.length;
  }
  return { data, has_more: hasMore, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}

/** `created_at[gt|gte|lt|lte]` filters; ISO strings compare correctly as strings. */
export function matchesTimeRange(value: string, query: URLSearchParams, field = 'created_at'): boolean {
  const gt = query.get(`${field}[gt]`);
  const gte = query.get(`${field}[gte]`);
  const lt = query.get(`${field}[lt]`);
  const lte = query.get(`${field}[lte]`);
  const norm = (s: string) => {
    const date = new Date(s);
    if (Number.isNaN(date.getTime())) throw badRequest(`${field}: Input should be a valid datetime`);
    return date.toISOString();
  };
  if (gt !== null && !(value > norm(gt))) return false;
  if (gte !== null && !(value >= norm(gte))) return false;
  if (lt !== null && !(value < norm(lt))) return false;
  if (lte !== null && !(value <= norm(lte))) return false;
  return true;
}
