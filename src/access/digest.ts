/** Hashes and random values for credentials: sha256 digests, constant-time comparison, unguessable ids. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

export function sha256Hex(value: string): string {
  return sha256(value).toString('hex');
}

/** `bytes` random bytes, base64url (no padding): session ids, form tokens, console tokens. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

const HEX_DIGEST = /^[0-9a-f]{64}$/i;

/**
 * Whether a stored hex sha256 equals a computed digest, in constant time.
 * Both sides are 32 bytes before timingSafeEqual runs (it throws on unequal
 * lengths); a malformed stored digest never matches.
 */
export function digestMatches(storedHex: string, computed: Buffer): boolean {
  if (computed.length !== 32) return false;
  const stored = HEX_DIGEST.test(storedHex) ? Buffer.from(storedHex, 'hex') : Buffer.alloc(32);
  return timingSafeEqual(stored, computed) && HEX_DIGEST.test(storedHex);
}

/** Two strings equal in constant time (compared by their digests, so lengths never leak or throw). */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}
