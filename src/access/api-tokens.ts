/**
 * Console tokens for programs and the CLI: `sdo_` + 43 base64url characters
 * (32 random bytes), shown once at creation; the store keeps only the sha256.
 * Scope `operator` acts as an operator on every operator route; scope
 * `ingest` may only push logs.
 */
import type { ApiToken, TokenScope } from '../model/access.js';
import type { AccessStore } from '../store/store.js';
import { randomSecret, sha256Hex } from './digest.js';
import { CodedError } from '../errors/coded-error.js';
import type { DiagCode } from '../errors/diag-codes.js';

export const TOKEN_SHAPE = /^sdo_[A-Za-z0-9_-]{43}$/;
export const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const SCOPES: readonly TokenScope[] = ['operator', 'ingest'];

/** last_used_at is written at most this often per token, so reads stay reads. */
const TOUCH_EVERY_MS = 60_000;

export class TokenError extends CodedError {
  override name = 'TokenError';
  readonly code = 'DIAG_TOKEN_REFUSED' satisfies DiagCode;
}

export interface MintedToken {
  token: ApiToken;
  /** The secret itself: shown once, never stored. */
  secret: string;
}

export async function createToken(store: AccessStore, name: string, scope: TokenScope, now: number): Promise<MintedToken> {
  if (!TOKEN_NAME.test(name)) throw new TokenError('a token name is 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit');
  if (!SCOPES.includes(scope)) throw new TokenError(`a token's scope is ${SCOPES.join(' or ')}`);
  if ((await store.listTokens()).some((t) => t.name === name && t.revokedAt === null)) {
    throw new TokenError(`a live token named ${name} exists; revoke it first or pick another name`);
  }
  const secret = `sdo_${randomSecret(32)}`;
  const token = await store.createToken({ name, scope, hash: sha256Hex(secret), createdAt: now });
  return { token, secret };
}

/** The live token a presented secret belongs to, or null (unknown, or revoked). */
export async function tokenFor(store: AccessStore, secret: string, now: number): Promise<ApiToken | null> {
  if (!TOKEN_SHAPE.test(secret)) return null;
  // Looked up by the digest of the secret: the index is on a hash, so no timing leaks the stored value.
  const token = await store.tokenByHash(sha256Hex(secret));
  if (!token || token.revokedAt !== null) return null;
  if (token.lastUsedAt === null || now - token.lastUsedAt >= TOUCH_EVERY_MS) await store.touchToken(token.id, now);
  return token;
}
