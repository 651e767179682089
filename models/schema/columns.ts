import { customType } from 'drizzle-orm/pg-core';
import { storableJson, storableText } from '../storable';

// Drizzle's `text` and `jsonb` columns, writing only what PostgreSQL stores (see storable.ts). The tables import
// these instead of pg-core's; the SQL types, and so the migrations, are the same.

export const text = customType<{ data: string; driverData: string }>({
  dataType: () => 'text',
  toDriver: storableText,
});

export const jsonb = customType<{ data: unknown; driverData: string }>({
  dataType: () => 'jsonb',
  toDriver: storableJson,
  // node-postgres and PGlite hand jsonb back parsed; a string is parsed here, as Drizzle's own jsonb does.
  fromDriver: (value: unknown) => (typeof value === 'string' ? (JSON.parse(value) as unknown) : value),
});
