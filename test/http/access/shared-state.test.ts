/**
 * Two consoles on one PostgreSQL schema, each with its own connections (as
 * two processes behind a load balancer would be): what one console learns
 * about sign-ins, sessions and lookups the other knows at once, because it
 * lives in the store and nowhere else — a session started on one is good on
 * the other and ended for both by a sign-out on either, failed sign-ins on
 * one count on the other, and a lookup made on one is in the other's audit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOperator } from '../../../src/access/operators.js';
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js';
import { call, signIn } from '../../fixtures/http-client.js';
import { startConsole, type Console } from '../../fixtures/test-server.js';
import { dropSchema, PG_URL, scratchSchemaName } from '../../store/pg-scratch.js';
import { cid, cpStream, StreamFixture, T0 } from '../../fixtures/events.js';

const EMAIL = 'oncall@tellwang.test';
const PASSWORD = 'a long enough passphrase';
const schema = scratchSchemaName('shared');
const stores: PostgresStore[] = [];
const consoles: Console[] = [];
let a: Console;
let b: Console;

beforeAll(async () => {
  for (let i = 0; i < 2; i++) stores.push(await PostgresStore.open({ connectionString: PG_URL, schema }));
  await addOperator(stores[0]!, EMAIL, PASSWORD);
  for (const s of stores) consoles.push(await startConsole(s, { trustProxy: true, access: { throttle: { pairFailures: 3, windowSeconds: 60 } } }));
  [a, b] = consoles as [Console, Console];
});

afterAll(async () => {
  for (const c of consoles) await c.close();
  for (const s of stores) await s.close();
  await dropSchema(schema);
});

const from = (ip: string) => ({ 'x-forwarded-for': ip });

describe('two consoles on one store share their state through it', () => {
  it('a session started on one is good on the other, and a sign-out on the other ends it on both', async () => {
    const s = await signIn(a.url, EMAIL, PASSWORD, from('10.1.0.1'));
    expect(s.status).toBe(303);
    const cookie = s.cookie!;
    expect((await call(b.url, '/v1/audit', { headers: { cookie } })).status).toBe(200);
    const page = await call(b.url, '/', { headers: { cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    expect(csrf).toBeTruthy();
    expect((await call(b.url, '/logout', { method: 'POST', headers: { cookie, 'x-csrf-token': csrf! } })).status).toBe(303);
    for (const c of [a, b]) expect((await call(c.url, '/v1/audit', { headers: { cookie } })).status).toBe(401);
  });

  it('failed sign-ins on one console count on the other', async () => {
    for (let i = 0; i < 3; i++) expect((await signIn(a.url, EMAIL, 'wrong password here', from('10.1.0.2'))).status).not.toBe(429);
    const r = await signIn(b.url, EMAIL, 'wrong password here', from('10.1.0.2'));
    expect(r.status).toBe(429);
    expect(r.answer.headers.get('retry-after')).toBeTruthy();
  });

  it('a ticket looked up on one console is in the other\'s audit of lookups', async () => {
    const s = new StreamFixture(cpStream('shared'));
    const c = cid('shared-1');
    s.cpLine({ cid: c, time: T0, msg: 'wok resolved', wok: 'w1a2b3' });
    await stores[0]!.writeBatch({ streams: [s.batch()] });
    const { cookie } = await signIn(b.url, EMAIL, PASSWORD, from('10.1.0.3'));
    const [ta, tb] = await Promise.all([a, b].map((x) => call(x.url, `/v1/tickets/${c}`, { headers: { cookie: cookie! } })));
    expect(tb!.status).toBe(200);
    expect(tb!.json()).toEqual(ta!.json());
    const audit = (await call(a.url, `/v1/audit?operator=${encodeURIComponent(EMAIL)}`, { headers: { cookie: cookie! } })).json<{ items: { kind: string; target: string }[] }>();
    expect(audit.items.filter((i) => i.kind === 'ticket' && i.target === c)).toHaveLength(2);
  });
});
