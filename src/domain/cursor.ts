/** A repository a Cursor key can work on, as Cursor lists it. */
export interface CursorRepositoryOption {
  url: string;
  name: string;
  defaultBranch: string | null;
}

/** How a Cursor Cloud bot launches agents: the key, where they work, the model, and what they leave behind. */
export interface CursorConnection {
  botId: string;
  keyId: string | null;
  /** The repository's URL, e.g. https://github.com/acme/api; null for an agent without a repository. */
  repository: string | null;
  /** The branch agents start from; null: the repository's default branch. */
  branch: string | null;
  /** Null: the account's default model. */
  model: string | null;
  isAutoCreatePr: boolean;
  guidance: string;
}
