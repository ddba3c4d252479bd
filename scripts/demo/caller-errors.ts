/**
 * The caller-side codes (auth, not found, validation, quotas), each in the
 * situation that produces it on the platform, spread over the demo's hours.
 * Each entry is one request; state-changing ones leave an audit entry.
 */
import type { StoryTimes } from './story-times.js';
import { MIN, type Caller, type DemoTimeline, type RequestInput } from './timeline.js';
import { user, wok, type DemoUser } from './world.js';

/** A password a customer put in DDL; the db's log has it, the store must not. */
export const REPORTING_PASSWORD = 'S3cr3t-rep0rts!';

type Scenario = (t: DemoTimeline, at: number) => void;

const fail = (code: string, message: string) => ({ fail: { code, message } });

export function callerErrors(t: DemoTimeline, s: StoryTimes): void {
  const list = scenarios(t);
  const span = s.dbRestart - 5 * MIN - s.trafficFrom;
  list.forEach((sc, i) => sc(t, s.trafficFrom + Math.round(((i + 0.5) / list.length) * span) + t.rng.int(0, 40_000)));
}

function scenarios(t: DemoTimeline): Scenario[] {
  const maria = user(t.world, 'maria@acme.io');
  const li = user(t.world, 'li.wei@northwind.dev');
  const hank = user(t.world, 'hank@globex.com');
  const peter = user(t.world, 'peter@initech.co');
  const ci = user(t.world, 'ci-deploy@acme.io');
  const anon: Caller = { ip: '185.220.101.4', userAgent: 'curl/8.7.1' };
  const req = (t: DemoTimeline, r: RequestInput, audit?: { u: DemoUser; action: string; extra?: Record<string, unknown> }) => {
    const plan = t.request(r);
    if (audit) {
      const code = plan.fail?.code;
      t.audit({ time: r.at + r.durationMs - 1, actor: audit.u.email, org: audit.u.org, action: audit.action, outcome: code ? 'failure' : 'success', correlationId: plan.cid, ip: audit.u.ip, ...(plan.wok ? { wokId: plan.wok } : {}), extra: { ...audit.extra, ...(code ? { code } : {}) } });
    }
    return plan;
  };
  return [
    (t, at) => req(t, { at, durationMs: 3, caller: anon, method: 'GET', path: '/v1/woks', ...fail('CP_UNAUTHENTICATED', 'missing Authorization header') }),
    // A key pasted with most of it cut off (shorter than any key the cp accepts).
    (t, at) => req(t, { at, durationMs: 2, caller: { ...t.as(hank), authorization: `Bearer ${hank.key.key.slice(0, 30)}` }, method: 'GET', path: '/v1/woks/analytics', ...fail('CP_INVALID_KEY', 'Bearer token does not match skl_<32-128 hex> or sllm_<32-128 hex>') }),
    (t, at) => req(t, { at, durationMs: 4, caller: { ...t.as(li), authorization: `Bearer sllm_${t.rng.hex(64)}` }, method: 'POST', path: '/v1/llm/chat/completions', body: { model: 'deepseek-chat', messages: [{ role: 'user', content: 'hello' }] }, ...fail('CP_LLM_KEY_INVALID', 'sllm_ key is revoked or unknown') }),
    (t, at) => {
      const ms = 212;
      req(t, { at, durationMs: ms, caller: { ip: peter.ip, userAgent: peter.userAgent }, method: 'POST', path: '/v1/login', body: { email: peter.email, password: 'Initech2019!' }, ...fail('CP_INVALID_CREDENTIALS', 'email or password is incorrect') }, { u: peter, action: 'auth.login', extra: { method: 'password' } });
      // …and the second try works: the cp sets the session cookie.
      req(t, { at: at + 9000, durationMs: 198, caller: { ip: peter.ip, userAgent: peter.userAgent }, method: 'POST', path: '/v1/login', body: { email: peter.email, password: 'Initech2024!' }, user: peter.email, org: peter.org, headers: { 'Set-Cookie': `tw_session=${t.sessionOf(peter)}; Path=/; HttpOnly; Secure; SameSite=Lax` }, reply: { user: peter.email, orgs: [peter.org] } }, { u: peter, action: 'auth.login', extra: { method: 'password' } });
    },
    (t, at) => req(t, { at, durationMs: 6, caller: { ip: '102.89.34.18', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36' }, method: 'POST', path: '/v1/signup', body: { email: 'sam@bluebird.app', password: 'hunter2', org: 'bluebird' }, ...fail('CP_WEAK_PASSWORD', 'password must be at least 8 characters') }),
    (t, at) => req(t, { at, durationMs: 9, caller: t.as(maria), method: 'GET', path: '/v1/orgs/globex/members', ...fail('CP_USER_NOT_IN_ORG', 'maria@acme.io is not a member of org globex') }),
    // Natural router failures: a typo'd path, a wrong method.
    (t, at) => req(t, { at, durationMs: 1, caller: t.as(ci), method: 'GET', path: '/v1/wok/ledger' }),
    (t, at) => req(t, { at, durationMs: 1, caller: anon, method: 'DELETE', path: '/v1/healthz' }),
    (t, at) => req(t, { at, durationMs: 7, caller: t.as(maria), method: 'GET', path: '/v1/woks/ledgr', org: 'acme', ...fail('CP_PROJECT_NOT_FOUND', 'no active project with that wok_id in this org') }),
    (t, at) => req(t, { at, durationMs: 5, caller: t.as(li), method: 'GET', path: '/v1/orgs/Northwind/usage', ...fail('CP_ORG_NOT_FOUND', 'no org with slug "Northwind"') }),
    (t, at) => req(t, { at, durationMs: 11, caller: t.as(maria), method: 'POST', path: '/v1/woks/shopfront/functions/send-welcom/invoke', body: { input: {} }, wok: 'shopfront', org: 'acme', ...fail('CP_FUNCTION_NOT_FOUND', 'no function "send-welcom" on wok shopfront') }),
    (t, at) => req(t, { at, durationMs: 8, caller: t.as(hank), method: 'DELETE', path: '/v1/woks/analytics/triggers/nightly-report', wok: 'analytics', org: 'globex', ...fail('CP_TRIGGER_NOT_FOUND', 'no installed trigger "nightly-report" on wok analytics') }, { u: hank, action: 'wok.trigger.delete', extra: { trigger: 'nightly-report' } }),
    // Broken JSON straight from a shell one-liner: the body parser fails.
    (t, at) => req(t, { at, durationMs: 2, caller: { ...t.as(li), userAgent: 'curl/8.7.1' }, method: 'POST', path: '/v1/woks/inbox/env', body: '{"vars": {"LOG_LEVEL": "debug",}}' }),
    (t, at) => req(t, { at, durationMs: 3, caller: t.as(ci), method: 'POST', path: '/v1/woks/ledger/sql', body: { query: 'select 1' }, wok: 'ledger', org: 'acme', ...fail('CP_BAD_JSON', 'required field "sql" is missing') }),
    (t, at) => req(t, { at, durationMs: 4, caller: t.as(hank), method: 'PUT', path: '/v1/woks/analytics/env/api-url', body: { value: 'https://api.globex.com' }, wok: 'analytics', org: 'globex', ...fail('CP_INVALID_NAME', 'env var name "api-url" does not match ^[A-Z][A-Z0-9_]{0,63}$') }, { u: hank, action: 'wok.env.set', extra: { name: 'api-url' } }),
    (t, at) => req(t, { at, durationMs: 5, caller: t.as(maria), method: 'POST', path: '/v1/woks/shopfront/triggers', body: { name: 'hourly-sync', cron: '0 */1 * *', function: 'sync-inventory' }, wok: 'shopfront', org: 'acme', ...fail('CP_INVALID_BODY', 'cron expression "0 */1 * *" does not parse: expected 5 fields, got 4') }, { u: maria, action: 'wok.trigger.create', extra: { trigger: 'hourly-sync' } }),
    (t, at) => {
      const vars = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`FLAG_${i}`, 'on']));
      req(t, { at, durationMs: 9, caller: t.as(ci), method: 'POST', path: '/v1/woks/shopfront/env', body: { vars }, wok: 'shopfront', org: 'acme', ...fail('CP_BULK_TOO_LARGE', '250 vars in one call; the limit is 200') }, { u: ci, action: 'wok.env.set', extra: { count: 250 } });
    },
    // Oversized bodies, really sent: the body parser's limit answers.
    (t, at) => req(t, { at, durationMs: 38, caller: t.as(ci), method: 'POST', path: '/v1/woks/ledger/sql', body: { sql: `insert into seed_rows (payload) values ${Array.from({ length: 9000 }, (_, i) => `('row ${i} ${'x'.repeat(120)}')`).join(',')};` } }),
    (t, at) => req(t, { at, durationMs: 29, caller: { ...t.as(hank), authorization: `Bearer ${t.world.llmKeys.find((k) => k.org === 'globex')!.key.key}` }, method: 'POST', path: '/v1/llm/chat/completions', body: { model: 'deepseek-chat', messages: [{ role: 'system', content: 'You are a helpful analyst. '.repeat(45_000) }] } }),
    (t, at) => req(t, { at, durationMs: 24, caller: t.as(maria, 'session'), method: 'POST', path: '/v1/woks', body: { id: 'marketing', region: 'eu-west' }, org: 'acme', ...fail('CP_WOK_QUOTA_EXCEEDED', 'org acme is at its plan limit of 3 woks') }, { u: maria, action: 'wok.create', extra: { id: 'marketing' } }),
    // The user's own SQL fails inside the wok's db: an uncatalogued code, and the db logs it under the id.
    (t, at) => {
      const sql = 'select sku, count(*) from missing_table group by sku';
      const plan = req(t, { at, durationMs: 31, caller: t.as(maria), method: 'POST', path: '/v1/woks/shopfront/sql', body: { sql }, wok: 'shopfront', org: 'acme', fail: { code: 'CP_SQL_ERROR', message: 'relation "missing_table" does not exist', cause: { type: 'DatabaseError', message: 'relation "missing_table" does not exist', props: { code: '42P01', position: '27', severity: 'ERROR' } } } }, { u: maria, action: 'wok.sql.exec', extra: { statements: 1 } });
      const db = wok(t.world, 'shopfront').db!;
      t.pg(db, { time: at + 24, pid: 3817, application: `cp:${plan.cid}`, severity: 'ERROR', message: 'relation "missing_table" does not exist at character 27' });
      t.pg(db, { time: at + 24, pid: 3817, application: `cp:${plan.cid}`, severity: 'STATEMENT', message: sql });
    },
    // log_statement = 'ddl' writes DDL whole, passwords included: redaction must catch it.
    (t, at) => {
      const sql = `CREATE ROLE reporting WITH LOGIN PASSWORD '${REPORTING_PASSWORD}'`;
      const plan = req(t, { at, durationMs: 22, caller: t.as(hank), method: 'POST', path: '/v1/woks/analytics/sql', body: { sql }, wok: 'analytics', org: 'globex', reply: { command: 'CREATE ROLE', row_count: 0 } }, { u: hank, action: 'wok.sql.exec', extra: { statements: 1 } });
      t.pg(wok(t.world, 'analytics').db!, { time: at + 15, pid: 5120, application: `cp:${plan.cid}`, severity: 'LOG', message: `statement: ${sql}` });
    },
    (t, at) => req(t, { at, durationMs: 14, caller: { ...t.as(li), authorization: `Bearer ${t.world.llmKeys.find((k) => k.org === 'northwind')!.key.key}` }, method: 'POST', path: '/v1/llm/chat/completions', body: { model: 'deepseek-chat', messages: [{ role: 'user', content: 'Draft a reply to this customer.' }] }, org: 'northwind', ...fail('CP_LLM_INSUFFICIENT_BALANCE', 'both prepaid meters of this key (tokens and requests) are at zero') }),
  ];
}
