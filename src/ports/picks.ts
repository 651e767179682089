/** The words of a mention that asked no bot by name, kept while the person picks one (RedisPickStore). */
export interface PendingPicks {
  save(pickId: string, words: string): Promise<void>;
  /** Undefined once the picker has expired. */
  get(pickId: string): Promise<string | undefined>;
}
