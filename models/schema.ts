// Every Drizzle table, split by domain under schema/. This file stays the one entry point: repositories import
// from it, database.ts hands it to Drizzle as the whole schema, and drizzle.config.ts generates migrations from it.
export * from './schema/workspace';
export * from './schema/bots';
export * from './schema/sessions';
export * from './schema/access-tokens';
export * from './schema/channels';
export * from './schema/tools';
export * from './schema/github';
export * from './schema/runtime';
