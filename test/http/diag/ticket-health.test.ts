/** The ticket shows which subsystems were failing while its request ran, from the stored /diag history. */
import { parse } from 'parse5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformLogs } from '../../diag/fixtures/platform-logs.js';
import { diagApp, type DiagApp } from './fixtures/diag-app.js';
import { elements, hasClass, textOf } from './fixtures/html.js';

const MIN = 60_000;
// A request at a round minute, so the page's HH:MM are predictable.
const T = Math.floor(Date.now() / MIN) * MIN - 30 * MIN;
const hm = (t: number) => new Date(t).toISOString().slice(11, 16);

describe('health history on the ticket', () => {
  let a: DiagApp;
  let logs: PlatformLogs;
  let during = '';
  let later = '';

  beforeAll(async () => {
    logs = new PlatformLogs();
    during = logs.request({ time: T, method: 'POST', path: '/v1/woks', status: 500, code: 'CP_DB_QUERY_FAILED', org: 'acme', message: 'connection terminated unexpectedly' });
    later = logs.request({ time: T + 20 * MIN, method: 'GET', path: '/v1/woks', status: 200, org: 'acme' });
    a = await diagApp({
      seed: async (store) => {
        await logs.ingestInto(store);
        const recs = [];
        // cp_db: pass, then failing from T−1 min to T+2 min, then pass again; the rest pass throughout.
        for (let t = T - 10 * MIN; t <= T + 25 * MIN; t += 30_000) {
          const failing = t >= T - MIN && t < T + 2 * MIN;
          recs.push({ check: 'cp_db', status: failing ? ('fail' as const) : ('pass' as const), time: t, output: failing ? 'connection refused' : null });
          recs.push({ check: 'llm_upstream', status: 'pass' as const, time: t, output: null });
        }
        await store.recordChecks(recs);
      },
    });
  });

  afterAll(async () => {
    await a.close();
    logs.remove();
  });

  it('"cp_db was failing 14:02–14:05; this request failed at 14:03"', async () => {
    const r = await a.get(`/tickets/${during}`, a.operator, 'text/html');
    expect(r.status).toBe(200);
    const doc = parse(r.text);
    const box = elements(doc, (e) => e.tagName === 'section' && hasClass(e, 'ticket-health'));
    expect(box).toHaveLength(1);
    const items = elements(box[0]!, (e) => e.tagName === 'li').map((li) => textOf(li).replace(/\s+/g, ' '));
    expect(items).toEqual([`fail cp_db was failing ${hm(T - MIN)}–${hm(T + 2 * MIN)} (connection refused); this request failed at ${hm(T)}.`]);
  });

  it('GET /v1/tickets/:cid gives operators the same episodes, ISO-timed; a request while all passed has an empty list', async () => {
    const r = await a.get(`/v1/tickets/${during}`, a.operator);
    expect(r.status).toBe(200);
    expect((r.json() as { health: unknown }).health).toEqual([
      { check: 'cp_db', status: 'fail', from: new Date(T - MIN).toISOString(), last_seen: new Date(T + 2 * MIN - 30_000).toISOString(), to: new Date(T + 2 * MIN).toISOString(), output: 'connection refused' },
    ]);
    const calm = await a.get(`/v1/tickets/${later}`, a.operator);
    expect((calm.json() as { health: unknown }).health).toEqual([]);
  });

  it('the customer-safe ticket carries no health history (internal subsystems and their outputs)', async () => {
    const r = await a.get(`/v1/tickets/${during}`, a.keys.acme!.key);
    expect(r.status).toBe(200);
    const body = r.json() as Record<string, unknown>;
    expect(body.correlation_id).toBe(during);
    expect(body).not.toHaveProperty('health');
    expect(r.text).not.toContain('connection refused');
  });

  it('a request while everything passed shows no health box', async () => {
    const r = await a.get(`/tickets/${later}`, a.operator, 'text/html');
    expect(r.status).toBe(200);
    expect(elements(parse(r.text), (e) => e.tagName === 'section' && hasClass(e, 'ticket-health'))).toEqual([]);
  });
});
