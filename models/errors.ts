/** True for PostgreSQL's unique_violation (23505), whether the driver error is raw or wrapped by Drizzle. */
export function isUniqueViolation(error: unknown): boolean {
  const { code, cause } = (error ?? {}) as { code?: string; cause?: { code?: string } };
  return code === '23505' || cause?.code === '23505';
}
