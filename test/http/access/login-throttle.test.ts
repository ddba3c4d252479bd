/**
 * Sign-in throttling over real HTTP, on both stores: an attacker is refused
 * per (account, address) and per address, and only slows the account down,
 * never locking out the operator: an address that signed in before is not
 * slowed at all, a new one waits (measured) and then gets in. The client
 * address is the X-Forwarded-For the test sends (trust proxy on).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addOperator } from '../../../src/access/operators.js';
import { slowdown, type ThrottleOptions } from '../../../src/http/middleware/login-throttle.js';
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';
import { signIn } from '../../fixtures/http-client.js';
import { tempDir } from '../../fixtures/temp-dir.js';
import { startConsole, type Console } from '../../fixtures/test-server.js';
import { dropSchema, PG_URL, scratchSchemaName } from '../../store/pg-scratch.js';

const EMAIL = 'oncall@tellwang.test';
const PASSWORD = 'a long enough passphrase';
const from = (ip: string) => ({ 'x-forwarded-for': ip });

interface Backend {
  name: string;
  /** A fresh store with the operator in it, and a way to open it again (another connection, as after a restart). */
  fresh(): Promise<{ store: Store; reopen(): Promise<Store>; remove(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'SQLite',
    async fresh() {
      const dir = tempDir('tellwang-throttle-');
      const file = dir.file('diag.sqlite');
      const store = new SqliteStore(file);
      await addOperator(store, EMAIL, PASSWORD);
      return { store, reopen: async () => new SqliteStore(file), remove: async () => dir.remove() };
    },
  },
  {
    name: 'PostgreSQL',
    async fresh() {
      const schema = scratchSchemaName('throttle');
      const store = await PostgresStore.open({ connectionString: PG_URL, schema });
      await addOperator(store, EMAIL, PASSWORD);
      return { store, reopen: () => PostgresStore.open({ connectionString: PG_URL, schema }), remove: () => dropSchema(schema) };
    },
  },
];

/** One sign-in (form and POST) from an address, timed. */
async function timedSignIn(url: string, ip: string, password: string, email = EMAIL) {
  const t = performance.now();
  const r = await signIn(url, email, password, from(ip));
  return { status: r.status, ms: performance.now() - t, retryAfter: r.answer.headers.get('retry-after'), text: r.answer.text, cookie: r.cookie };
}

describe('slowdown', () => {
  it('none up to the account limit, then doubling from the step, capped', () => {
    const o = { accountFailures: 5, delayStepMs: 250, maxDelayMs: 2000 };
    expect([0, 4, 5, 6, 7, 8, 20, 1e6].map((n) => slowdown(n, o))).toEqual([0, 0, 250, 500, 1000, 2000, 2000, 2000]);
  });
});

describe.each(backends)('sign-in throttling ($name store)', (backend) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  async function consoleOn(throttle: Partial<ThrottleOptions>): Promise<{ c: Console; reopen(): Promise<Console> }> {
    const s = await backend.fresh();
    cleanup.push(() => s.remove(), () => s.store.close());
    const c = await startConsole(s.store, { trustProxy: true, access: { throttle } });
    cleanup.push(() => c.close());
    return {
      c,
      async reopen() {
        const store = await s.reopen();
        cleanup.push(() => store.close());
        const again = await startConsole(store, { trustProxy: true, access: { throttle } });
        cleanup.push(() => again.close());
        return again;
      },
    };
  }

  it('an attacker failing 20 times from A is refused (429, Retry-After); the operator from B, where they signed in before, gets in at once — after a restart too', async () => {
    const { c, reopen } = await consoleOn({ windowSeconds: 60 });
    expect((await timedSignIn(c.url, '198.51.100.7', PASSWORD)).status).toBe(303);
    const attack = [];
    for (let i = 0; i < 20; i++) attack.push(await timedSignIn(c.url, '203.0.113.66', `guess ${i}`));
    expect(attack.map((a) => a.status)).toEqual([...Array(5).fill(401), ...Array(15).fill(429)]);
    for (const a of attack.slice(5)) {
      expect(a.text).toContain('DIAG_RATE_LIMITED');
      expect(Number(a.retryAfter)).toBeGreaterThan(0);
      expect(Number(a.retryAfter)).toBeLessThanOrEqual(60);
    }
    // The attacker's address stays refused, even with the right password.
    expect((await timedSignIn(c.url, '203.0.113.66', PASSWORD)).status).toBe(429);
    const b = await timedSignIn(c.url, '198.51.100.7', PASSWORD);
    expect([b.status, b.cookie !== null]).toEqual([303, true]);
    // The counts and the known address live in the store.
    const again = await reopen();
    expect((await timedSignIn(again.url, '203.0.113.66', PASSWORD)).status).toBe(429);
    expect((await timedSignIn(again.url, '198.51.100.7', PASSWORD)).status).toBe(303);
  });

  it('an account attacked from many addresses: a new address C waits (the capped delay) and gets in; the known address B is not slowed', async () => {
    const maxDelayMs = 1500;
    const { c } = await consoleOn({ windowSeconds: 60, pairFailures: 5, accountFailures: 5, delayStepMs: 200, maxDelayMs });
    expect((await timedSignIn(c.url, '198.51.100.7', PASSWORD)).status).toBe(303);
    // Five failures from each of four addresses, each address's five at once (a slowdown does not stop parallel guesses).
    const attackers = ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4'];
    for (const ip of attackers) {
      const r = await Promise.all(Array.from({ length: 5 }, (_, i) => timedSignIn(c.url, ip, `guess ${i}`)));
      expect(r.map((x) => x.status)).toEqual(Array(5).fill(401));
    }
    const cIn = await timedSignIn(c.url, '192.0.2.44', PASSWORD);
    const bIn = await timedSignIn(c.url, '198.51.100.7', PASSWORD);
    expect([cIn.status, bIn.status]).toEqual([303, 303]);
    expect(cIn.ms).toBeGreaterThanOrEqual(maxDelayMs);
    expect(cIn.ms).toBeLessThan(maxDelayMs + 10_000);
    expect(bIn.ms).toBeLessThan(cIn.ms - maxDelayMs / 2);
    // C is known now: its next sign-in is not slowed.
    const cAgain = await timedSignIn(c.url, '192.0.2.44', PASSWORD);
    expect(cAgain.status).toBe(303);
    expect(cAgain.ms).toBeLessThan(cIn.ms - maxDelayMs / 2);
  });

  it('the pair limit: (account, A) is refused after its attempts, concurrent ones included; A for another account and the account from another address are not', async () => {
    const { c } = await consoleOn({ windowSeconds: 60, pairFailures: 3, addressFailures: 50 });
    const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => timedSignIn(c.url, '203.0.113.9', `guess ${i}`)));
    expect(burst.map((b) => b.status).sort()).toEqual([...Array(3).fill(401), ...Array(7).fill(429)]);
    expect((await timedSignIn(c.url, '203.0.113.9', PASSWORD)).status).toBe(429);
    expect((await timedSignIn(c.url, '203.0.113.9', 'whatever', 'someone-else@tellwang.test')).status).toBe(401);
    expect((await timedSignIn(c.url, '198.51.100.8', PASSWORD)).status).toBe(303);
  });

  it('a success starts the pair afresh; the address limit counts failures over every account', async () => {
    const { c } = await consoleOn({ windowSeconds: 60, pairFailures: 3, addressFailures: 6 });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2; i++) expect((await timedSignIn(c.url, '203.0.113.20', `wrong ${round}.${i}`)).status).toBe(401);
      if (round < 2) expect((await timedSignIn(c.url, '203.0.113.20', PASSWORD)).status).toBe(303);
    }
    // Six failures from the address in all (the successes took their attempts back): the seventh attempt is refused, any account.
    const r = await timedSignIn(c.url, '203.0.113.20', 'x', 'guess@tellwang.test');
    expect(r.status).toBe(429);
    expect(Number(r.retryAfter)).toBeGreaterThan(0);
    expect((await timedSignIn(c.url, '198.51.100.30', PASSWORD)).status).toBe(303);
  });
});
