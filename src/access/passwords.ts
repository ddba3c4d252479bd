/**
 * Operator passwords: argon2id (the library's default algorithm and cost:
 * 19 MiB, 2 passes) via @node-rs/argon2. Never logged, never stored in clear.
 */
import { hash, verify } from '@node-rs/argon2';
import { randomSecret } from './digest.js';
import { CodedError } from '../errors/coded-error.js';
import type { DiagCode } from '../errors/diag-codes.js';

export const MIN_PASSWORD = 12;
export const MAX_PASSWORD = 1024;

export class PasswordError extends CodedError {
  override name = 'PasswordError';
  readonly code = 'DIAG_PASSWORD_REFUSED' satisfies DiagCode;
}

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD) return `a password needs at least ${MIN_PASSWORD} characters`;
  if (password.length > MAX_PASSWORD) return `a password may have at most ${MAX_PASSWORD} characters`;
  if (password.trim() !== password) return 'a password may not start or end with whitespace';
  return null;
}

export async function hashPassword(password: string): Promise<string> {
  const problem = passwordProblem(password);
  if (problem) throw new PasswordError(problem);
  return hash(password);
}

let decoy: Promise<string> | null = null;

/**
 * Checks a password against a stored hash. With no hash (no such operator) it
 * checks against a decoy, so an unknown email takes as long as a wrong password.
 */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD) return false;
  if (storedHash === null) {
    decoy ??= hash(randomSecret(24));
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}
