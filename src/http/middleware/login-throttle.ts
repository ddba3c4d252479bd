/**
 * Sign-in throttling with rate-limiter-flexible: failed attempts are counted
 * per account and per client address over a window; past the limit, sign-in
 * answers 429 DIAG_RATE_LIMITED with Retry-After — even with the right
 * password — until the window ends. A success clears the account's count
 * (not the address's). Counts live in the store (store-limiter.ts): a
 * restart does not reset them, and every process serving one store shares them.
 */
import type { Limiter, LimiterSpec } from '../../model/access.js';
import { DiagError } from '../../errors/diag-error.js';

export interface ThrottleOptions {
  /** Failures per account within the window. */
  accountFailures: number;
  /** Failures per client address within the window (any accounts). */
  addressFailures: number;
  windowSeconds: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = { accountFailures: 5, addressFailures: 20, windowSeconds: 15 * 60 };

export class LoginThrottle {
  private readonly account: Limiter;
  private readonly address: Limiter;

  constructor(
    private readonly opts: ThrottleOptions,
    limiter: (spec: LimiterSpec) => Limiter,
  ) {
    this.account = limiter({ name: 'login-account', points: opts.accountFailures, windowSeconds: opts.windowSeconds });
    this.address = limiter({ name: 'login-address', points: opts.addressFailures, windowSeconds: opts.windowSeconds });
  }

  /** Throws 429 when either count is used up. */
  async check(email: string, ip: string): Promise<void> {
    const [a, i] = await Promise.all([this.account.get(accountKey(email)), this.address.get(ip)]);
    const waits: number[] = [];
    if (a && a.count >= this.opts.accountFailures) waits.push(a.msBeforeNext);
    if (i && i.count >= this.opts.addressFailures) waits.push(i.msBeforeNext);
    if (!waits.length) return;
    const seconds = Math.max(1, Math.ceil(Math.max(...waits) / 1000));
    throw new DiagError('DIAG_RATE_LIMITED', `too many failed sign-ins; try again in ${seconds} s`, { headers: { 'Retry-After': String(seconds) } });
  }

  async failed(email: string, ip: string): Promise<void> {
    await Promise.all([this.account.hit(accountKey(email)), this.address.hit(ip)]);
  }

  async succeeded(email: string): Promise<void> {
    await this.account.reset(accountKey(email));
  }
}

function accountKey(email: string): string {
  return email.trim().toLowerCase().slice(0, 254);
}
