/**
 * Woks coming and going: northwind provisions staging (its db is not ready for
 * a dump at first), initech destroys oldcrm and an old script keeps calling it,
 * globex mints an LLM key, someone signs up.
 */
import { pgStartup } from '../formats/postgres-log.js';
import type { StoryTimes } from './story-times.js';
import { MIN, type DemoTimeline } from './timeline.js';
import { user, wok } from './world.js';

const INITDB = [
  'The files belonging to this database system will be owned by user "postgres".',
  'This user must also own the server process.',
  'The database cluster will be initialized with locale "en_US.utf8".',
  'creating subdirectories ... ok',
  'selecting dynamic shared memory implementation ... posix',
  'creating configuration files ... ok',
  'running bootstrap script ... ok',
  'performing post-bootstrap initialization ... ok',
  'syncing data to disk ... ok',
  'Success. You can now start the database server using:',
];

export function stagingProvisioning(t: DemoTimeline, s: StoryTimes): void {
  const w = wok(t.world, 'staging');
  const li = user(t.world, 'li.wei@northwind.dev');
  const T = s.stagingCreated;
  const create = t.request({ at: T, durationMs: 1830, caller: t.as(li), method: 'POST', path: '/v1/woks', body: { id: 'staging', region: 'eu-west' }, org: w.org, reply: { id: 'staging', status: 'provisioning' }, lines: [{ at: 1800, level: 'info', msg: 'wok provisioning started', fields: { wok_id: 'staging', functions_port: w.functionsPort } }] });
  t.audit({ time: T + 1829, actor: li.email, org: w.org, action: 'wok.create', outcome: 'success', correlationId: create.cid, ip: li.ip, wokId: w.id, extra: { region: 'eu-west' } });

  // The db container initialises its cluster, restores the template, then starts for real.
  const db = w.db!;
  INITDB.forEach((line, i) => t.text(db, T + 4000 + i * 350, line, 'stdout'));
  t.text(db, T + 60_000, 'PostgreSQL init process complete; ready for start up.', 'stdout');
  const ready = T + 61_000;
  for (const l of pgStartup(ready, 1)) t.pg(db, l);

  for (const at of [T + 25_000, T + 48_000]) {
    t.request({ at, durationMs: 9, caller: t.as(li), method: 'GET', path: '/v1/woks/staging/dump', wok: w.id, org: w.org, fail: { code: 'CP_DUMP_DB_NOT_READY', message: 'the db container of wok staging is still provisioning' } });
  }
  t.request({ at: ready + 40_000, durationMs: 2350, caller: t.as(li), method: 'GET', path: '/v1/woks/staging/dump', wok: w.id, org: w.org, reply: { url: 'https://dumps.tellwang.dev/staging/latest.sql.gz', bytes: 48213 } });
  // The reconciler marks it active only later: the inventory snapshot still says provisioning.
  t.cpLine({ cp: 'cp-1', time: ready + 5_000, level: 'info', obj: { component: 'reconciler', wok_id: 'staging', state: 'provisioning' }, msg: 'wok status refreshed' });
}

export function oldcrmDestroyed(t: DemoTimeline, s: StoryTimes): void {
  const peter = user(t.world, 'peter@initech.co');
  const T = s.oldcrmDestroyed;
  const del = t.request({ at: T, durationMs: 3120, caller: t.as(peter, 'session'), method: 'DELETE', path: '/v1/woks/oldcrm', wok: 'oldcrm', org: 'initech', reply: { id: 'oldcrm', status: 'destroyed' } });
  t.audit({ time: T + 3119, actor: peter.email, org: 'initech', action: 'wok.destroy', outcome: 'success', correlationId: del.cid, ip: peter.ip, wokId: 'oldcrm' });
  // A nightly export script on initech's side still points at it.
  for (const at of [T + 80 * MIN, T + 110 * MIN]) {
    const plan = t.request({ at, durationMs: 5, caller: { ...t.as(peter), userAgent: 'python-requests/2.32.3' }, method: 'POST', path: '/v1/woks/oldcrm/sql', body: { sql: 'select * from contacts where updated_at > now() - interval \'1 day\'' }, org: 'initech', fail: { code: 'CP_NOT_ACTIVE', message: 'wok oldcrm is destroyed' } });
    t.audit({ time: at + 4, actor: peter.email, org: 'initech', action: 'wok.sql.exec', outcome: 'denied', correlationId: plan.cid, ip: peter.ip, wokId: 'oldcrm', extra: { code: 'CP_NOT_ACTIVE' } });
  }
}

export function accounts(t: DemoTimeline, s: StoryTimes): void {
  const hank = user(t.world, 'hank@globex.com');
  const key = t.world.llmKeys.find((k) => k.org === 'globex')!.key;
  const at = s.trafficFrom + 25 * MIN;
  const mint = t.request({ at, durationMs: 61, caller: t.as(hank), method: 'POST', path: '/v1/llm-keys', body: { name: 'analytics-summaries' }, org: 'globex', reply: { prefix: key.prefix, key: '(shown once)' } });
  t.audit({ time: at + 60, actor: hank.email, org: 'globex', action: 'llm_key.mint', outcome: 'success', correlationId: mint.cid, ip: hank.ip, extra: { prefix: key.prefix, name: 'analytics-summaries' } });

  const su = s.trafficFrom + 130 * MIN;
  const signup = t.request({ at: su, durationMs: 246, caller: { ip: '102.89.34.18', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36' }, method: 'POST', path: '/v1/signup', body: { email: 'sam@bluebird.app', password: 'a much longer passphrase', org: 'bluebird' }, user: 'sam@bluebird.app', reply: { user: 'sam@bluebird.app', org: 'bluebird' } });
  t.audit({ time: su + 245, actor: 'sam@bluebird.app', org: 'bluebird', action: 'auth.signup', outcome: 'success', correlationId: signup.cid, ip: '102.89.34.18' });
}

