/**
 * Ordinary traffic: dashboards listing woks, CI running migrations, functions
 * being invoked, LLM completions, an uptime checker. Mostly successes, so the
 * failures of the stories stand out against a realistic baseline.
 */
import { FUNCTIONS } from './container-baseline.js';
import { storyBusy, type StoryTimes } from './story-times.js';
import { MIN, type DemoTimeline } from './timeline.js';
import type { DemoUser, DemoWok } from './world.js';

const QUERIES = [
  'select id, status, total_cents from orders where created_at > now() - interval \'1 day\' order by created_at desc limit 50',
  'select count(*) from customers',
  'update carts set abandoned = true where updated_at < now() - interval \'7 days\'',
  'insert into events (kind, payload) values (\'deploy\', \'{"sha":"4f2a9c1"}\')',
  'select date_trunc(\'hour\', created_at) h, count(*) from page_views group by 1 order by 1 desc limit 24',
];

type Kind = 'list' | 'get' | 'sql' | 'env' | 'invoke' | 'llm' | 'usage';
const KINDS: ReadonlyArray<readonly [Kind, number]> = [['list', 14], ['get', 12], ['sql', 16], ['env', 6], ['invoke', 16], ['llm', 12], ['usage', 4]];

export function background(t: DemoTimeline, s: StoryTimes, count: number): void {
  const active = t.world.woks.filter((w) => w.status === 'active');
  for (let i = 0; i < count; i++) {
    const at = s.trafficFrom + Math.floor(t.rng.next() * (t.now - 2 * MIN - s.trafficFrom));
    const kind = t.rng.weighted(KINDS);
    const w = t.rng.pick(active.filter((x) => kind !== 'invoke' || x.fn));
    if (storyBusy(s, at, kind, w.id)) continue;
    const u = t.rng.pick(t.world.users.filter((x) => x.org === w.org));
    one(t, kind, at, w, u);
  }
  // An uptime checker polls the health endpoint every ten minutes.
  for (let at = s.trafficFrom + 17_000; at < t.now - MIN; at += 10 * MIN) {
    t.request({ at, durationMs: 2, caller: { ip: '34.74.90.11', userAgent: 'Better Uptime Bot Mozilla/5.0' }, method: 'GET', path: '/v1/healthz', reply: { status: 'ok' } });
  }
}

function one(t: DemoTimeline, kind: Kind, at: number, w: DemoWok, u: DemoUser): void {
  const rng = t.rng;
  const byKey = t.as(u, 'key');
  switch (kind) {
    case 'list':
      t.request({ at, durationMs: rng.int(6, 40), caller: t.as(u, 'session'), method: 'GET', path: '/v1/woks', org: u.org });
      return;
    case 'get':
      t.request({ at, durationMs: rng.int(4, 25), caller: rng.chance(0.5) ? t.as(u, 'session') : byKey, method: 'GET', path: `/v1/woks/${w.id}`, wok: w.id, org: w.org });
      return;
    case 'sql': {
      const sql = rng.pick(QUERIES);
      const ms = rng.weighted([[rng.int(8, 120), 8], [rng.int(260, 1900), 2]] as const);
      const plan = t.request({ at, durationMs: ms + rng.int(20, 60), caller: byKey, method: 'POST', path: `/v1/woks/${w.id}/sql`, body: { sql }, wok: w.id, org: w.org });
      // log_min_duration_statement = 250ms: only slow statements reach the db's log.
      if (ms >= 250 && w.db) t.pg(w.db, { time: at + 15 + ms, pid: rng.int(200, 9000), application: `cp:${plan.cid}`, severity: 'LOG', message: `duration: ${ms}.${rng.int(100, 999)} ms  statement: ${sql}` });
      t.audit({ time: at + plan.durationMs - 1, actor: u.email, org: w.org, action: 'wok.sql.exec', outcome: 'success', correlationId: plan.cid, ip: u.ip, wokId: w.id, extra: { statements: 1 } });
      return;
    }
    case 'env':
      if (rng.chance(0.6)) {
        t.request({ at, durationMs: rng.int(5, 30), caller: byKey, method: 'GET', path: `/v1/woks/${w.id}/env`, wok: w.id, org: w.org });
      } else {
        const name = rng.pick(['FEATURE_CHECKOUT_V2', 'LOG_LEVEL', 'SENTRY_ENVIRONMENT', 'PUBLIC_BASE_URL']);
        const plan = t.request({ at, durationMs: rng.int(30, 140), caller: byKey, method: 'PUT', path: `/v1/woks/${w.id}/env/${name}`, body: { value: rng.pick(['true', 'info', 'production', 'https://shop.example.com']) }, wok: w.id, org: w.org });
        t.audit({ time: at + plan.durationMs - 1, actor: u.email, org: w.org, action: 'wok.env.set', outcome: 'success', correlationId: plan.cid, ip: u.ip, wokId: w.id, extra: { name } });
      }
      return;
    case 'invoke':
      invokeOk(t, at, w, u, rng.pick(FUNCTIONS[w.id] ?? ['job']));
      return;
    case 'llm': {
      const key = t.world.llmKeys.find((k) => k.org === u.org) ?? t.world.llmKeys[0]!;
      const ms = rng.int(700, 5200);
      t.request({
        at, durationMs: ms, caller: { ...byKey, authorization: `Bearer ${key.key.key}` }, method: 'POST', path: '/v1/llm/chat/completions', org: key.org,
        body: { model: 'deepseek-chat', messages: [{ role: 'user', content: 'Summarise this support ticket in two sentences.' }] },
        lines: [{ at: ms - 3, level: 'info', msg: 'llm completion', fields: { upstream: 'api.deepseek.com', model: 'deepseek-chat', prompt_tokens: rng.int(40, 900), completion_tokens: rng.int(20, 400) } }],
        headers: { 'X-LLM-Source': 'platform' },
      });
      return;
    }
    case 'usage':
      t.request({ at, durationMs: rng.int(10, 60), caller: t.as(u, 'session'), method: 'GET', path: `/v1/orgs/${u.org}/usage`, org: u.org });
      return;
  }
}

/** A successful invoke: the cp forwards to the wok's runtime, which logs under the same correlation id. */
export function invokeOk(t: DemoTimeline, at: number, w: DemoWok, u: DemoUser, fn: string): string {
  const ms = t.rng.int(40, 1400);
  const plan = t.request({
    at, durationMs: ms + 12, caller: t.as(u, 'key'), method: 'POST', path: `/v1/woks/${w.id}/functions/${fn}/invoke`, body: { input: { id: t.rng.int(1000, 99999) } }, wok: w.id, org: w.org,
    lines: [{ at: 4, level: 'info', msg: 'invoking function', fields: { function: fn, functions_port: w.functionsPort } }],
  });
  if (w.fn) {
    t.fn(w.fn, at + 6, 'info', { correlation_id: plan.cid, function: fn }, 'function invoked');
    t.fn(w.fn, at + 6 + ms, 'info', { correlation_id: plan.cid, function: fn, duration_ms: ms }, 'function completed');
  }
  return plan.cid;
}
