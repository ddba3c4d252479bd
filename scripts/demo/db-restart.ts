/**
 * ledger's db container restarts (its owner asked for it) while CI runs a
 * migration: exec_sql calls fail with CP_EXEC_SQL_FAILED — one rejected by
 * PostgreSQL while it shuts down (that line carries the id), the next ones
 * refused outright (nothing in the db's log carries their id: only the
 * shutdown around them explains them). The functions runtime loses its pool
 * connections too. Returns the id worth opening.
 */
import { pgShutdown, pgStartup } from '../formats/postgres-log.js';
import type { ErrSpec } from './cp-errors.js';
import type { StoryTimes } from './story-times.js';
import type { DemoTimeline } from './timeline.js';
import { user, wok } from './world.js';

const MIGRATION = 'alter table invoices add column settled_at timestamptz';

export function dbRestart(t: DemoTimeline, s: StoryTimes): { cid: string; description: string } {
  const w = wok(t.world, 'ledger');
  const db = w.db!;
  const maria = user(t.world, 'maria@acme.io');
  const ci = user(t.world, 'ci-deploy@acme.io');
  const T = s.dbRestart;

  const restart = t.request({ at: T - 180, durationMs: 240, caller: t.as(maria, 'session'), method: 'POST', path: '/v1/woks/ledger/restart', body: { components: ['db'] }, wok: w.id, org: w.org, reply: { status: 'restarting' }, lines: [{ at: 200, level: 'info', msg: 'restarting wok container', fields: { role: 'db', container: db.name } }] });
  t.audit({ time: T + 59, actor: maria.email, org: w.org, action: 'wok.restart', outcome: 'success', correlationId: restart.cid, ip: maria.ip, wokId: w.id, extra: { components: ['db'] } });

  for (const l of pgShutdown(T, 1)) t.pg(db, l);
  // The functions runtime's pooled connections are cut by the shutdown.
  t.fn(w.fn!, T + 6, 'error', { pool: 'pg' }, 'idle client error', { type: 'DatabaseError', message: 'terminating connection due to administrator command', props: { code: '57P01', severity: 'FATAL' }, frames: ['at Parser.parseErrorMessage (/app/node_modules/pg-protocol/dist/parser.js:283:98)'] });

  // 1) Connected while PostgreSQL was shutting down: rejected, and the db logs it with the id.
  const first = exec(t, T + 21, 'PostgreSQL is shutting down', { type: 'DatabaseError', message: 'the database system is shutting down', props: { code: '57P03', severity: 'FATAL' }, frames: ['at Parser.parseErrorMessage (/srv/cp/node_modules/pg-protocol/dist/parser.js:283:98)'] });
  t.pg(db, { time: T + 22, pid: 4121, application: `cp:${first}`, severity: 'FATAL', message: 'the database system is shutting down' });

  // 2) Retries while the container is down: connection refused, nothing in the db's log.
  const refused: ErrSpec = { message: 'connect ECONNREFUSED 172.18.0.5:5432', props: { errno: -111, code: 'ECONNREFUSED', syscall: 'connect', address: '172.18.0.5', port: 5432 }, frames: ['at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16)'] };
  const second = exec(t, T + 1900, 'connection to the wok db was refused (container restarting?)', refused);
  exec(t, T + 4100, 'connection to the wok db was refused (container restarting?)', refused);

  // Back 5 s after the shutdown completed (pgStartup says "was shut down at" 5 s before it starts).
  const up = T + 5040;
  for (const l of pgStartup(up, 1)) t.pg(db, l);
  t.fn(w.fn!, up + 900, 'info', { pool: 'pg' }, 'pool reconnected');

  // 3) The CI job's next retry goes through.
  const ok = t.request({ at: up + 2600, durationMs: 184, caller: t.as(ci), method: 'POST', path: '/v1/woks/ledger/sql', body: { sql: MIGRATION }, wok: w.id, org: w.org, reply: { command: 'ALTER', row_count: 0 } });
  t.audit({ time: up + 2783, actor: ci.email, org: w.org, action: 'wok.sql.exec', outcome: 'success', correlationId: ok.cid, ip: ci.ip, wokId: w.id, extra: { statements: 1, attempt: 4 } });

  return { cid: second, description: 'exec_sql on wok ledger refused while its db container was restarting (CP_EXEC_SQL_FAILED, ECONNREFUSED; the shutdown is in the context)' };

  function exec(t: DemoTimeline, at: number, message: string, cause: ErrSpec): string {
    const ms = cause.props?.code === 'ECONNREFUSED' ? 3 : 18;
    const plan = t.request({ at, durationMs: ms, caller: t.as(ci), method: 'POST', path: '/v1/woks/ledger/sql', body: { sql: MIGRATION }, wok: w.id, org: w.org, fail: { code: 'CP_EXEC_SQL_FAILED', message, cause } });
    t.audit({ time: at + ms - 1, actor: ci.email, org: w.org, action: 'wok.sql.exec', outcome: 'failure', correlationId: plan.cid, ip: ci.ip, wokId: w.id, extra: { statements: 1, code: 'CP_EXEC_SQL_FAILED' } });
    return plan.cid;
  }
}
