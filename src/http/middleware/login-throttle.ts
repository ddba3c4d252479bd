/**
 * Sign-in throttling that slows an attack without locking the operator out
 * (the "login endpoint protection" pattern of rate-limiter-flexible / OWASP):
 *
 * - per (account, address): a few attempts, then 429 DIAG_RATE_LIMITED with
 *   Retry-After for that pair only, until its window ends;
 * - per address, over any accounts: more attempts, then 429 for the address;
 * - per account, over all addresses: never a lockout. Past a few failures,
 *   a sign-in from an address the account has not signed in from before
 *   waits first (a delay that doubles with each failure, capped); an address
 *   that has signed in to the account before is not slowed at all.
 *
 * Attempts on the pair and the address are counted before the password is
 * checked (atomically in the store), so concurrent guesses cannot all slip
 * under the limit; a success takes its attempt back and clears the pair. The
 * counts and the remembered addresses live in the store (store-limiter.ts): a
 * restart does not reset them, and every process serving one store shares them.
 */
import type { Limiter, LimiterSpec } from '../../model/access.js';
import { DiagError } from '../../errors/diag-error.js';

export interface ThrottleOptions {
  /** Attempts per (account, address) within the window; more are 429. */
  pairFailures: number;
  /** Attempts per client address (any accounts) within the window; more are 429. */
  addressFailures: number;
  /** Failures per account (all addresses) within the window before unknown addresses are slowed. */
  accountFailures: number;
  /** The first delay (ms); it doubles with each further failure on the account. */
  delayStepMs: number;
  /** The longest delay (ms). */
  maxDelayMs: number;
  windowSeconds: number;
  /** How long an address stays known to an account after it signed in (seconds). */
  knownAddressSeconds: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  pairFailures: 5,
  addressFailures: 20,
  accountFailures: 5,
  delayStepMs: 250,
  maxDelayMs: 2000,
  windowSeconds: 15 * 60,
  knownAddressSeconds: 30 * 86_400,
};

/** What a sign-in attempt may go on with: after `delayMs`, unslowed when the address is known. */
export interface Admission {
  delayMs: number;
  knownAddress: boolean;
}

export class LoginThrottle {
  readonly opts: ThrottleOptions;
  private readonly pair: Limiter;
  private readonly address: Limiter;
  private readonly account: Limiter;
  private readonly known: Limiter;

  constructor(opts: Partial<ThrottleOptions>, limiter: (spec: LimiterSpec) => Limiter) {
    const o = (this.opts = { ...DEFAULT_THROTTLE, ...opts });
    const window = o.windowSeconds;
    this.pair = limiter({ name: 'login-pair', points: o.pairFailures, windowSeconds: window });
    this.address = limiter({ name: 'login-address', points: o.addressFailures, windowSeconds: window });
    // Counted only (never refused on): the points are the count that starts the slowdown.
    this.account = limiter({ name: 'login-account', points: o.accountFailures, windowSeconds: window });
    this.known = limiter({ name: 'login-known', points: 1, windowSeconds: o.knownAddressSeconds });
  }

  /**
   * Counts the attempt on the pair and the address and throws 429 when
   * either is past its limit; otherwise says how long to wait before the
   * password is checked.
   */
  async admit(email: string, ip: string): Promise<Admission> {
    const account = accountKey(email);
    const [p, a] = await Promise.all([this.pair.hit(pairKey(account, ip)), this.address.hit(ip)]);
    const waits: number[] = [];
    if (p.count > this.opts.pairFailures) waits.push(p.msBeforeNext);
    if (a.count > this.opts.addressFailures) waits.push(a.msBeforeNext);
    if (waits.length) {
      const seconds = Math.max(1, Math.ceil(Math.max(...waits) / 1000));
      throw new DiagError('DIAG_RATE_LIMITED', `too many failed sign-ins from this address; try again in ${seconds} s`, { headers: { 'Retry-After': String(seconds) } });
    }
    const [failures, known] = await Promise.all([this.account.get(account), this.known.get(pairKey(account, ip))]);
    const knownAddress = known !== null && known.count > 0;
    return { delayMs: knownAddress ? 0 : slowdown(failures?.count ?? 0, this.opts), knownAddress };
  }

  async failed(email: string): Promise<void> {
    await this.account.hit(accountKey(email));
  }

  /** The pair starts afresh, the address gets its attempt back, and the address is known to the account from now on. */
  async succeeded(email: string, ip: string): Promise<void> {
    const account = accountKey(email);
    await Promise.all([this.pair.reset(pairKey(account, ip)), this.address.reward(ip), this.known.set(pairKey(account, ip), 1)]);
  }
}

/** The wait before a password is checked, after `failures` failures on the account: none up to the limit, then doubling from the step, capped. */
export function slowdown(failures: number, o: Pick<ThrottleOptions, 'accountFailures' | 'delayStepMs' | 'maxDelayMs'>): number {
  const over = failures - o.accountFailures;
  if (over < 0) return 0;
  return Math.min(o.maxDelayMs, o.delayStepMs * 2 ** Math.min(over, 30));
}

function accountKey(email: string): string {
  return email.trim().toLowerCase().slice(0, 254);
}

/** An account and an address in one key (a newline is in neither). */
function pairKey(account: string, ip: string): string {
  return `${account}\n${ip}`;
}
