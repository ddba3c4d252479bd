/**
 * A busy wok's ticket: its audit log as dense as its requests, the change
 * behind the failure buried under routine entries. The ticket shows the
 * newest entries of the window and, beside them, every change of the hour
 * before; the probable cause finds the change all the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../src/catalog/catalog.js';
import type { Ticket } from '../../src/model/ticket.js';
import { SHOWN_AUDITS } from '../../src/queries/ticket-cause.js';
import { buildTicket } from '../../src/queries/ticket.js';
import { auditStream, cid, cpStream, MINUTE, StreamFixture, T0 } from '../fixtures/events.js';
import { tempSqliteStore, type TempSqliteStore } from '../fixtures/sqlite-store.js';

const FAILED_AT = T0 + 30 * MINUTE;

let s: TempSqliteStore;
let t: Ticket;
const ids = { restart: '', newest: [] as string[], oldRestart: '' };

beforeAll(async () => {
  s = tempSqliteStore();
  const cp = new StreamFixture(cpStream());
  const audit = new StreamFixture(auditStream());
  // A restart 40 minutes before (outside every window the ticket shows) and one 9 minutes before.
  ids.oldRestart = audit.audit({ cid: cid('restart-old'), time: FAILED_AT - 40 * MINUTE, org: 'acme', wok: 'wbusy', action: 'wok.restart', actor: 'ann' }).id;
  const entries: { id: string; time: number }[] = [];
  for (let i = 0; i < 400; i++) {
    const time = FAILED_AT - 10 * MINUTE + i * 1500;
    if (i === 40) ids.restart = audit.audit({ cid: cid('restart'), time, org: 'acme', wok: 'wbusy', action: 'wok.restart', actor: 'bob' }).id;
    entries.push({ id: audit.audit({ cid: cid(`routine-${i}`), time, org: 'acme', wok: i % 4 === 0 ? 'wother' : 'wbusy', action: 'wok.sql.exec' }).id, time });
  }
  cp.request({ cid: cid('failed'), time: FAILED_AT, status: 502, code: 'CP_EXEC_SQL_FAILED', org: 'acme', wok: 'wbusy', url: '/v1/woks/wbusy/sql', method: 'POST', responseTime: 0 });
  await s.store.writeBatch({ streams: [cp.batch(), audit.batch()] });
  t = (await buildTicket(s.store, catalog, cid('failed')))!;
  const windowTo = t.window!.to;
  const busy = await s.store.audits({ from: FAILED_AT - 10 * MINUTE, to: windowTo, wok: 'wbusy', limit: 1000 });
  ids.newest = busy.filter((a) => a.action === 'wok.sql.exec').slice(0, SHOWN_AUDITS).map((a) => a.eventId);
});

afterAll(async () => {
  await s?.close();
});

describe('a busy wok\'s ticket', () => {
  it('names the restart nine minutes before as the cause, though hundreds of routine entries came after it', () => {
    expect(t.cause).toMatchObject({ rule: 'audit-change', evidence: [ids.restart] });
    expect(t.cause!.text).toMatch(/^bob restarted the wok \(wok\.restart\) 9 min before this request failed/);
  });

  it('shows the newest routine entries of the window and the restart, oldest first, the wok\'s own only', () => {
    const shown = t.audits!.map((a) => a.eventId);
    expect(new Set(shown)).toEqual(new Set([ids.restart, ...ids.newest]));
    expect(shown.length).toBe(SHOWN_AUDITS + 1);
    expect(t.audits!.every((a) => a.wok === 'wbusy')).toBe(true);
    expect(t.audits!.map((a) => a.time)).toEqual(t.audits!.map((a) => a.time).sort((x, y) => x - y));
    // A change older than the shown window, not cited, stays off the ticket.
    expect(shown).not.toContain(ids.oldRestart);
  });
});
