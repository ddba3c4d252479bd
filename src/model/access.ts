/** Who may use the console: operators (people), their sessions, and API tokens (operator or ingest scope). */

export interface Operator {
  id: number;
  email: string;
  passwordHash: string;
  createdAt: number;
  disabledAt: number | null;
}

export interface Session {
  /** sha256 (hex) of the session cookie's random value: the value itself is never stored. */
  idHash: string;
  operatorId: number;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}

export type TokenScope = 'operator' | 'ingest';

export interface ApiToken {
  id: number;
  name: string;
  scope: TokenScope;
  /** sha256 (hex) of the whole token: the token is shown once and never stored. */
  hash: string;
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

/** What a limiter counts: events per key (`name` keeps limiters apart) over a fixed window. */
export interface LimiterSpec {
  name: string;
  points: number;
  windowSeconds: number;
}

/**
 * A count of events per key over a window, kept where the store keeps its
 * data: a restart does not forget it, and every process on the store shares it.
 */
export interface Limiter {
  /** The key's count in its current window and the ms until that window ends; null when it has none. */
  get(key: string): Promise<{ count: number; msBeforeNext: number } | null>;
  /** Counts one more event for the key, atomically: the count after it and the ms until its window ends. */
  hit(key: string): Promise<{ count: number; msBeforeNext: number }>;
  /** Takes one event back (a counted attempt that turned out not to count). */
  reward(key: string): Promise<void>;
  /** Sets the key's count, in a new window from now (a remembered fact that is to last the whole window). */
  set(key: string, count: number): Promise<void>;
  reset(key: string): Promise<void>;
}
