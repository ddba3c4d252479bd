/** The filters' WHERE clauses, described once: the same conditions in both dialects, only the placeholders differ. */
import { describe, expect, it } from 'vitest';
import { searchWhere, SqlWhere, windowWhere } from '../../src/store/sql-where.js';

describe('sql-where', () => {
  it('a window with wok and org: the same conditions and arguments, ? for SQLite and $n for PostgreSQL', () => {
    const f = { from: 10, to: 20, wok: 'wok_a', org: 'acme' };
    const s = windowWhere('sqlite', f, 'l');
    const p = windowWhere('postgres', f, 'l');
    expect(s.sql).toBe('l.time >= ? AND l.time <= ? AND l.wok = ? AND l.org = ?');
    expect(p.sql).toBe('l.time >= $1 AND l.time <= $2 AND l.wok = $3 AND l.org = $4');
    expect(s.args).toEqual([10, 20, 'wok_a', 'acme']);
    expect(p.args).toEqual(s.args);
  });

  it('what is not given is not a condition; no condition at all is TRUE and no WHERE', () => {
    const w = new SqlWhere('postgres').when('wok', '=', undefined).when('org', '=', '').when('code', '=', null);
    expect(w.sql).toBe('TRUE');
    expect(w.clause).toBe('');
    expect(w.args).toEqual([]);
  });

  it('search: every field, then the cursor, then a later argument numbered after them', () => {
    const f = { from: 1, to: 2, code: 'WOK_NOT_FOUND', org: 'acme', wok: 'w', status: 404, failed: true };
    const p = searchWhere('postgres', f, { time: 5, id: 7 });
    const limit = p.arg(51);
    expect(p.clause).toBe('WHERE time >= $1 AND time <= $2 AND code = $3 AND org = $4 AND wok = $5 AND status = $6 AND status >= 400 AND (time, id) < ($7, $8)');
    expect(limit).toBe('$9');
    expect(p.args).toEqual([1, 2, 'WOK_NOT_FOUND', 'acme', 'w', 404, 5, 7, 51]);
    const s = searchWhere('sqlite', f, { time: 5, id: 7 });
    expect(s.sql.endsWith('AND (time < ? OR (time = ? AND id < ?))')).toBe(true);
    expect(s.args).toEqual([1, 2, 'WOK_NOT_FOUND', 'acme', 'w', 404, 5, 5, 7]);
  });
});
