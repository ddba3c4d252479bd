/**
 * Each probable-cause rule on the case it explains and on its near misses:
 * a restart long before, a subsystem failing only after, another wok's
 * change, one org only. The rules are pure: facts in, a cause or null out.
 */
import { describe, expect, it } from 'vitest';
import { auditChange } from '../../../src/queries/cause/audit-change.js';
import { probableCause } from '../../../src/queries/cause/cause.js';
import { dbRestart } from '../../../src/queries/cause/db-restart.js';
import { manyOrgs } from '../../../src/queries/cause/many-orgs.js';
import { runtimeCrashLoop } from '../../../src/queries/cause/runtime-crash-loop.js';
import { subsystemFailing } from '../../../src/queries/cause/subsystem-failing.js';
import { AT, audit, facts, failedTicket, life, orgs } from './fixtures/cause-facts.js';

const SEC = 1000;
const MIN = 60_000;

describe('db-restart', () => {
  const t = failedTicket({ code: 'CP_EXEC_SQL_FAILED' });
  const restart = [life({ role: 'db', state: 'stopping', at: AT - 3 * SEC }), life({ role: 'db', state: 'shutdown', at: AT - 2 * SEC }), life({ role: 'db', state: 'ready', at: AT + 4 * SEC })];

  it('names the db stopping seconds before, the ready line after, and the restart asked for', () => {
    const asked = audit({ action: 'wok.restart', at: AT - 3.5 * SEC });
    const c = dbRestart(facts(t, { lifecycle: restart, audits: [asked] }))!;
    expect(c.text).toBe("The wok's database was restarting 3 s before this request failed (wok-ledger-db, after maria@acme.io asked for wok.restart); it was ready again 4 s after the failure.");
    expect(c.evidence).toEqual([asked.eventId, ...restart.map((r) => r.eventId)]);
    expect(c.customerText).not.toContain('wok-ledger-db');
  });

  it('says crashed when the db crashed', () => {
    expect(dbRestart(facts(t, { lifecycle: [life({ role: 'db', state: 'crash', at: AT - 5 * SEC })] }))!.text).toMatch(/^The wok's database crashed 5 s before/);
  });

  it('finds nothing in a restart long before, one after, another wok\'s, or the functions runtime\'s', () => {
    expect(dbRestart(facts(t, { lifecycle: [life({ role: 'db', state: 'shutdown', at: AT - 5 * MIN }), life({ role: 'db', state: 'ready', at: AT - 4 * MIN })] }))).toBeNull();
    expect(dbRestart(facts(t, { lifecycle: [life({ role: 'db', state: 'shutdown', at: AT + 2 * SEC })] }))).toBeNull();
    expect(dbRestart(facts(t, { lifecycle: [life({ role: 'db', state: 'shutdown', at: AT - 2 * SEC, wok: 'inbox' })] }))).toBeNull();
    expect(dbRestart(facts(t, { lifecycle: [life({ role: 'functions', state: 'shutdown', at: AT - 2 * SEC })] }))).toBeNull();
  });

  it('does not explain a code a db restart does not cause', () => {
    expect(dbRestart(facts(failedTicket({ code: 'CP_LLM_UPSTREAM_FAILED' }), { lifecycle: restart }))).toBeNull();
  });
});

describe('subsystem-failing', () => {
  const ep = { check: 'cp_db', status: 'fail' as const, from: AT - 2 * MIN, lastSeen: AT + MIN, to: AT + 2 * MIN, output: 'connect ECONNREFUSED' };

  it('names the /diag check behind the code failing at the time', () => {
    const t = failedTicket({ code: 'CP_DB_QUERY_FAILED', health: [ep] });
    const c = subsystemFailing(facts(t))!;
    expect(c.text).toBe('/diag cp_db was failing from 20:28:00 (until 20:32:00) and this request failed at 20:30:00: connect ECONNREFUSED.');
    expect(c.evidence).toEqual([t.events[0]!.id]);
    expect(c.customerText).not.toContain('ECONNREFUSED');
  });

  it('finds nothing when the check failed only after, only warned, or is another subsystem', () => {
    expect(subsystemFailing(facts(failedTicket({ code: 'CP_DB_QUERY_FAILED', health: [{ ...ep, from: AT + 10 * SEC }] })))).toBeNull();
    expect(subsystemFailing(facts(failedTicket({ code: 'CP_DB_QUERY_FAILED', health: [{ ...ep, status: 'warn' }] })))).toBeNull();
    expect(subsystemFailing(facts(failedTicket({ code: 'CP_DB_QUERY_FAILED', health: [{ ...ep, check: 'llm_upstream' }] })))).toBeNull();
    expect(subsystemFailing(facts(failedTicket({ code: 'CP_EXEC_SQL_FAILED', health: [ep] })))).toBeNull();
  });
});

describe('runtime-crash-loop', () => {
  const fn = failedTicket({ code: 'CP_FUNCTION_RUNTIME_UNAVAILABLE', wok: 'inbox', path: '/v1/woks/inbox/functions/send/invoke' });
  const loop = [0, 1, 2, 3].flatMap((i) => [life({ role: 'functions', state: 'start', at: AT - (8 - 2 * i) * MIN, wok: 'inbox' }), life({ role: 'functions', state: 'crash', at: AT - (8 - 2 * i) * MIN + 2 * SEC, wok: 'inbox' })]);

  it('names the crash loop and the change that started it', () => {
    const del = audit({ action: 'wok.env.delete', at: AT - 8 * MIN - 2 * SEC, wok: 'inbox', actor: 'li@northwind.dev' });
    const c = runtimeCrashLoop(facts(fn, { lifecycle: loop, audits: [del] }))!;
    expect(c.text).toMatch(/^The wok's functions runtime was crash-looping since 20:22:00, after li@northwind\.dev removed an environment variable of the wok \(wok\.env\.delete\) \(4 boots\)/);
    expect(c.evidence[0]).toBe(del.eventId);
    expect(c.evidence).toHaveLength(5);
  });

  it('finds nothing for two restarts, a loop of another wok, or a request that is not an invoke', () => {
    expect(runtimeCrashLoop(facts(fn, { lifecycle: loop.slice(-4) }))).toBeNull();
    expect(runtimeCrashLoop(facts(fn, { lifecycle: loop.map((r) => ({ ...r, wok: 'ledger' })) }))).toBeNull();
    expect(runtimeCrashLoop(facts(failedTicket({ code: 'CP_EXEC_SQL_FAILED', wok: 'inbox' }), { lifecycle: loop }))).toBeNull();
  });
});

describe('audit-change', () => {
  const t = failedTicket({ code: 'CP_EXEC_SQL_FAILED' });

  it('names a disruptive change of the wok minutes before', () => {
    const a = audit({ action: 'wok.destroy', at: AT - 90 * SEC });
    expect(auditChange(facts(t, { audits: [a] }))).toEqual({
      rule: 'audit-change',
      text: 'maria@acme.io destroyed the wok (wok.destroy) 90 s before this request failed.',
      customerText: 'Your workspace was changed (wok.destroy) shortly before this request.',
      evidence: [a.eventId],
    });
  });

  it('finds nothing in another wok\'s change, one after, one long before, a failed one, or a harmless one', () => {
    for (const a of [
      audit({ action: 'wok.restart', at: AT - MIN, wok: 'inbox' }),
      audit({ action: 'wok.restart', at: AT + SEC }),
      audit({ action: 'wok.restart', at: AT - 30 * MIN }),
      audit({ action: 'wok.restart', at: AT - MIN, outcome: 'failure' }),
      audit({ action: 'wok.env.set', at: AT - MIN }),
    ]) expect(auditChange(facts(t, { audits: [a] }))).toBeNull();
  });
});

describe('many-orgs', () => {
  const t = failedTicket({ code: 'CP_LLM_UPSTREAM_FAILED', org: 'acme' });

  it('calls it an incident when three orgs hit the code', () => {
    expect(manyOrgs(facts(t, { orgs: orgs('acme', 'globex', 'northwind') }))!.text).toBe(
      'CP_LLM_UPSTREAM_FAILED hit 3 orgs (6 requests) in the 15 minutes before this request: a platform incident, not this caller.',
    );
  });

  it('does not for one org only, or two', () => {
    expect(manyOrgs(facts(t, { orgs: orgs('acme') }))).toBeNull();
    expect(manyOrgs(facts(t, { orgs: orgs('acme', 'globex') }))).toBeNull();
  });
});

describe('probableCause', () => {
  it('takes the most direct evidence first: a db restart over the many orgs seeing the code', () => {
    const t = failedTicket({ code: 'CP_EXEC_SQL_FAILED' });
    const c = probableCause(facts(t, { lifecycle: [life({ role: 'db', state: 'shutdown', at: AT - 2 * SEC })], orgs: orgs('acme', 'b', 'c') }));
    expect(c!.rule).toBe('db-restart');
    expect(probableCause(facts(t, { orgs: orgs('acme', 'b', 'c') }))!.rule).toBe('many-orgs');
  });

  it('is null when nothing in the facts explains the failure, and for a request that did not fail', () => {
    const t = failedTicket({ code: 'CP_EXEC_SQL_FAILED' });
    expect(probableCause(facts(t))).toBeNull();
    expect(probableCause(facts({ ...t, error: null }, { orgs: orgs('acme', 'b', 'c') }))).toBeNull();
  });
});
