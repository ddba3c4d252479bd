/**
 * PostgreSQL's day partitions: rows land in the partition of their UTC day
 * (midnight on the right side), times outside 2000–2099 in DEFAULT; prune
 * drops the whole days before the cutoff, and of the cutoff's day the blocks
 * that end before it, and keeps the rest; the health history's days are its
 * own to drop. What happens when a prune or another store gets in the way is
 * in pg-partitions-races.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { auditStream, cid, container, cpStream, DAY, dockerStream, StreamFixture } from '../fixtures/events.js';
import { D0, useDaysScratch } from './pg-days-scratch.js';

const s = useDaysScratch();

describe('PostgreSQL day partitions', () => {
  it('puts each row in the partition of its UTC day, midnight on the new day, and far times in DEFAULT', async () => {
    const cp = new StreamFixture(cpStream('days'));
    const au = new StreamFixture(auditStream('days-audit'));
    const db = new StreamFixture(dockerStream(container('days-db', 'wacme1', 'db')));
    const times = [D0 + DAY - 1, D0 + DAY, D0 + 2 * DAY - 1, D0 + 2 * DAY, D0 + 3 * DAY + 5];
    times.forEach((t, i) => {
      cp.request({ cid: cid(`d${i}`), time: t, status: 500, code: 'CP_EXEC_FAILED' });
      au.audit({ cid: cid(`d${i}`), time: t, wok: 'wacme1', org: 'acme' });
      db.pg({ time: t, message: 'database system is shut down' });
    });
    cp.cpLine({ cid: cid('epoch'), time: 0, msg: 'clock not set' });
    cp.cpLine({ cid: cid('far'), time: Date.parse('2400-01-01T00:00:00Z'), msg: 'clock far ahead' });
    await s.store.writeBatch({ streams: [cp.batch(), au.batch(), db.batch()] });
    await s.store.recordLookup({ time: D0 + DAY, actorKind: 'operator', actor: 'ana@example.com', org: null, kind: 'ticket', target: cid('d1'), address: null });
    await s.store.recordChecks([{ check: 'store', status: 'pass', time: D0 + 2 * DAY - 1, output: null }]);

    const day = (d: number) => `_d202611${24 + d}`;
    // Lines hours apart or on other days never share a block: a block each, in the partition of its first time.
    expect(await s.placement('blocks', 't0')).toEqual([
      ['blocks_default', 0],
      ...times.flatMap((t, i) => {
        const p = `blocks${day([0, 1, 1, 2, 3][i]!)}`;
        // A request line, its audit line and the container line, all at t.
        return [[p, t], [p, t], [p, t]] as [string, number][];
      }),
      ['blocks_default', Date.parse('2400-01-01T00:00:00Z')],
    ]);
    expect((await s.placement('block_cids', 't0')).filter(([p]) => p !== 'block_cids_default').map(([p]) => p.slice(-2))).toEqual(
      times.flatMap((_, i) => [day([0, 1, 1, 2, 3][i]!).slice(-2), day([0, 1, 1, 2, 3][i]!).slice(-2)]),
    );
    expect(await s.placement('requests', 'event_time')).toEqual(times.map((t, i) => [`requests${day([0, 1, 1, 2, 3][i]!)}`, t]));
    expect(await s.placement('audits')).toEqual(times.map((t, i) => [`audits${day([0, 1, 1, 2, 3][i]!)}`, t]));
    expect(await s.placement('lifecycle')).toEqual(times.map((t, i) => [`lifecycle${day([0, 1, 1, 2, 3][i]!)}`, t]));
    expect(await s.placement('lookups')).toEqual([[`lookups${day(1)}`, D0 + DAY]]);
    expect(await s.placement('checks')).toEqual([[`checks${day(1)}`, D0 + 2 * DAY - 1]]);
    // Every table has the days any row was written on (a write makes them for all tables at once).
    for (const t of ['blocks', 'block_cids', 'requests', 'unparsed', 'audits', 'lifecycle', 'lookups', 'checks']) {
      expect(await s.novemberPartitions(t)).toEqual([24, 25, 26, 27].map((d) => `${t}_d202611${d}`));
    }
    // Made ahead at open: today and the next two days.
    const today = new Date().toISOString().slice(0, 10).replaceAll('-', '');
    const ahead = await s.client.query(`SELECT to_regclass($1) AS a, to_regclass($2) AS b`, [`"${s.schema}".blocks_d${today}`, `"${s.schema}".requests_d${today}`]);
    expect(ahead.rows[0]).toEqual({ a: `${s.schema}.blocks_d${today}`, b: `${s.schema}.requests_d${today}` });
    // DEFAULT refuses a row of an ordinary day.
    await expect(
      s.client.query(`INSERT INTO "${s.schema}".blocks_default (stream, off0, off1, t0, t1, source, n, notable, data) VALUES (1, 1, 1, $1, $1, 0, 1, 0, '\\x00')`, [D0]),
    ).rejects.toThrow(/blocks_default_outside/);
    await expect(s.client.query(`INSERT INTO "${s.schema}".block_cids_default (cid, t0, stream, off0) VALUES ('x', $1, 1, 1)`, [D0])).rejects.toThrow(/block_cids_default_outside/);
  });

  it('prune drops exactly the whole days before the cutoff, says which, and keeps the tickets of the others', async () => {
    const cp = new StreamFixture(cpStream('prune-days'));
    const db = new StreamFixture(dockerStream(container('prune-days-db', 'wacme1', 'db')));
    const written = new Map<string, unknown[]>();
    for (let d = 0; d < 5; d++) {
      for (let i = 0; i < 3 + d; i++) {
        const c = cid(`p${d}-${i}`);
        written.set(c, [cp.request({ cid: c, time: D0 + d * DAY + i * 1000, status: 500, code: 'CP_EXEC_FAILED' })]);
      }
      db.pg({ time: D0 + d * DAY + 7, message: 'database system is shut down' });
      cp.garbage(`junk of day ${d}`, D0 + d * DAY + 9);
      await s.store.writeBatch({ streams: [cp.batch(), db.batch()] });
    }
    const before = (await s.store.stats()).events;
    expect(before).toEqual({ cp: 3 + 4 + 5 + 6 + 7, container: 5, audit: 0 });

    // A cutoff inside day 3: days 0–2 go whole; of day 3, the blocks whose last line is before the cutoff (its
    // container line's), and the request rows before it; its cp block ends after the cutoff and stays whole.
    const r = await s.store.prune(D0 + 3 * DAY + 1500);
    expect(r.droppedDays.map((d) => [d.day, d.events, d.partitions.length])).toEqual([
      ['2026-11-24', 4, 7],
      ['2026-11-25', 5, 7],
      ['2026-11-26', 6, 7],
    ]);
    expect(r.droppedDays[0]!.partitions).toEqual(expect.arrayContaining(['blocks_d20261124', 'block_cids_d20261124']));
    expect(r.events).toBe(15 + 1);
    for (const t of ['blocks', 'block_cids', 'requests', 'unparsed', 'audits', 'lifecycle', 'lookups']) {
      expect(await s.novemberPartitions(t)).toEqual([`${t}_d20261127`, `${t}_d20261128`]);
    }
    expect(await s.novemberPartitions('checks')).toHaveLength(5);
    for (const [c, events] of written) {
      const kept = (events as { time: number }[]).every((e) => e.time >= D0 + 3 * DAY);
      expect(await s.store.eventsByCid(c)).toEqual(kept ? events : []);
    }
    expect(await s.store.stats()).toMatchObject({ events: { cp: 6 + 7, container: 1, audit: 0 }, requests: 4 + 7, unparsed: 1 });
    const counted = await s.client.query(`SELECT day::int, source, events::int FROM "${s.schema}".event_days ORDER BY 1, 2`);
    expect(counted.rows).toEqual([
      { day: D0 / DAY + 3, source: 0, events: 6 },
      { day: D0 / DAY + 3, source: 1, events: 0 },
      { day: D0 / DAY + 4, source: 0, events: 7 },
      { day: D0 / DAY + 4, source: 1, events: 1 },
    ]);
    // Again at the same cutoff: nothing more.
    expect(await s.store.prune(D0 + 3 * DAY + 1500)).toEqual({ events: 0, droppedDays: [] });
    // Retention cuts at a midnight: day 3 dropped whole, nothing of day 4 touched.
    const cut = s.store.retentionCut(D0 + 4 * DAY + 12 * 3_600_000);
    expect(cut).toBe(D0 + 4 * DAY);
    const r2 = await s.store.prune(cut);
    expect(r2).toMatchObject({ events: 6, droppedDays: [{ day: '2026-11-27', events: 6 }] });
    expect(await s.store.stats()).toMatchObject({ events: { cp: 7, container: 1 }, requests: 7, unparsed: 1 });
  });

  it('health history: pruneChecks drops its whole days, counting their rows, and deletes the rest before the cutoff', async () => {
    const recs = [0, 1, 2].flatMap((d) => [
      { check: 'store', status: 'pass' as const, time: D0 + d * DAY + 5, output: null },
      { check: 'cp', status: 'warn' as const, time: D0 + d * DAY + 6, output: 'p99 1.8 s over 1 s' },
    ]);
    await s.store.recordChecks(recs);
    expect(await s.novemberPartitions('checks')).toEqual(['checks_d20261124', 'checks_d20261125', 'checks_d20261126']);
    expect(await s.store.pruneChecks(D0 + 2 * DAY + 6)).toBe(5);
    expect(await s.novemberPartitions('checks')).toEqual(['checks_d20261126']);
    // The events' days are not the health history's to drop.
    expect(await s.novemberPartitions('blocks')).toEqual(['blocks_d20261124', 'blocks_d20261125', 'blocks_d20261126']);
    expect(await s.store.checkHistory({ from: 0, to: D0 + 3 * DAY })).toEqual([recs[5]]);
  });
});
