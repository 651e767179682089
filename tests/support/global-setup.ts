import { randomBytes } from 'node:crypto';

/** One id per `npm test` run; each test file derives its Redis key prefix from it, so runs never share keys. */
export default async function globalSetup(): Promise<void> {
  process.env.BATON_TEST_RUN ??= `test-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}
