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
