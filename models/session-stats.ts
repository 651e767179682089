import { count } from 'drizzle-orm';
import type { Database } from './database';
import { sessions } from './schema';

/** Sessions counted by status and provider, for /metrics. */
export async function countSessions(db: Database): Promise<Array<{ status: string; provider: string; count: number }>> {
  return db
    .select({ status: sessions.status, provider: sessions.provider, count: count() })
    .from(sessions)
    .groupBy(sessions.status, sessions.provider);
}
