import { badRequest } from './errors';
import type { JsonObject } from './types';

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function asObject(value: unknown, path = 'body'): JsonObject {
  if (!isObject(value)) throw badRequest(`${path}: Input should be a valid object`);
  return value;
}

export function requireString(obj: JsonObject, key: string, path = key, maxLength = 10_000): string {
  const value = obj[key];
  if (value === undefined || value === null) throw badRequest(`${path}: Field required`);
  if (typeof value !== 'string') throw badRequest(`${path}: Input should be a valid string`);
  if (value.length === 0) throw badRequest(`${path}: String should have at least 1 character`);
  if (value.length > maxLength) throw badRequest(`${path}: String should have at most ${maxLength} characters`);
  return value;
}

export function optionalString(obj: JsonObject, key: string, path = key): string | null | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string') throw badRequest(`${path}: Input should be a valid string`);
  return value;
}

export function optionalArray(obj: JsonObject, key: string, path = key): unknown[] | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw badRequest(`${path}: Input should be a valid list`);
  return value as unknown[];
}

const MAX_METADATA_PAIRS = 16;

/** Metadata limits from the API reference: ≤16 pairs, keys ≤64 and values ≤512 characters. */
export function validateMetadata(value: unknown, errorCode?: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw badRequest('metadata: Input should be a valid object', errorCode);
  return checkMetadataEntries(value, false, errorCode) as Record<string, string>;
}

function checkMetadataEntries(
  value: JsonObject,
  allowNull: boolean,
  errorCode?: string,
): Record<string, string | null> {
  const entries = Object.entries(value);
  if (entries.length > MAX_METADATA_PAIRS) throw badRequest('metadata: at most 16 key-value pairs', errorCode);
  for (const [key, v] of entries) {
    if (key.length > 64)
      throw badRequest(`metadata: key "${key.slice(0, 20)}…" is longer than 64 characters`, errorCode);
    if (v === null && allowNull) continue;
    if (typeof v !== 'string') throw badRequest(`metadata.${key}: Input should be a valid string`, errorCode);
    if (v.length > 512) throw badRequest(`metadata.${key}: value is longer than 512 characters`, errorCode);
  }
  return value as Record<string, string | null>;
}

/** Metadata updates are patches: keys set to null are removed, others are replaced. */
export function patchMetadata(
  current: Record<string, string>,
  patch: unknown,
  errorCode?: string,
): Record<string, string> {
  if (patch === undefined) return current;
  if (patch === null) return {};
  if (!isObject(patch)) throw badRequest('metadata: Input should be a valid object', errorCode);
  const next: Record<string, string> = { ...current };
  for (const [key, v] of Object.entries(checkMetadataEntries(patch, true, errorCode))) {
    if (v === null) delete next[key];
    else next[key] = v;
  }
  if (Object.keys(next).length > MAX_METADATA_PAIRS)
    throw badRequest('metadata: at most 16 key-value pairs', errorCode);
  return next;
}
