/**
 * Stories of the functions runtime:
 *  - inbox: an env var its code needs is removed, the runtime crash-loops, and
 *    invokes fail with CP_FUNCTION_RUNTIME_UNAVAILABLE — a code the published
 *    catalogue does not list, so only the cp's own hint explains it;
 *  - legacy: provisioned before functions shipped (no functions_port) and with
 *    a status row the reconciler cannot refresh: CP_FUNCTIONS_NOT_ENABLED and
 *    CP_STATUS_STALE;
 *  - analytics: a webhook payload logged whole, over Docker's 16 KiB line limit.
 */
import type { ErrSpec } from './cp-errors.js';
import type { StoryTimes } from './story-times.js';
import { MIN, type DemoTimeline } from './timeline.js';
import { user, wok } from './world.js';

const RESEND_MISSING: ErrSpec = {
  message: 'Missing API key. Pass it to the constructor `new Resend("re_123")`',
  frames: [
    'at new Resend (/app/node_modules/resend/dist/index.js:392:13)',
    'at Object.<anonymous> (/app/functions/send-digest.js:4:16)',
    'at Module._compile (node:internal/modules/cjs/loader:1469:14)',
    'at loadFunctions (/app/runtime/loader.js:41:19)',
  ],
};

export function inboxCrashLoop(t: DemoTimeline, s: StoryTimes): { cid: string; description: string } {
  const w = wok(t.world, 'inbox');
  const fn = w.fn!;
  const li = user(t.world, 'li.wei@northwind.dev');
  const T = s.inboxBreak;

  const del = t.request({ at: T - 1500, durationMs: 96, caller: t.as(li), method: 'DELETE', path: '/v1/woks/inbox/env/RESEND_API_KEY', wok: w.id, org: w.org, lines: [{ at: 90, level: 'info', msg: 'env changed; restarting functions runtime', fields: { name: 'RESEND_API_KEY' } }] });
  t.audit({ time: T - 1405, actor: li.email, org: w.org, action: 'wok.env.delete', outcome: 'success', correlationId: del.cid, ip: li.ip, wokId: w.id, extra: { name: 'RESEND_API_KEY' } });

  t.fn(fn, T, 'info', { signal: 'SIGTERM' }, 'SIGTERM received, graceful shutdown');
  // Docker's restart policy backs off 100 ms, doubling, up to a minute.
  let at = T + 700;
  for (let delay = 100; at < t.now - 20_000; delay = Math.min(delay * 2, 60_000)) {
    t.fn(fn, at, 'info', { version: '1.8.2', node: 'v20.18.0', wok_id: w.id }, 'starting functions runtime');
    t.fn(fn, at + 143, 'fatal', { function: 'send-digest' }, 'uncaught exception while loading functions', RESEND_MISSING);
    t.text(fn, at + 149, 'npm error code 1', 'stderr');
    at += 160 + delay + t.rng.int(300, 900);
  }

  let last = '';
  for (const ago of [20, 12, 5]) {
    const start = t.now - ago * MIN + t.rng.int(0, 20_000);
    const plan = t.request({
      at: start, durationMs: 7, caller: t.as(li), method: 'POST', path: '/v1/woks/inbox/functions/send-digest/invoke', body: { input: { list: 'weekly' } }, wok: w.id, org: w.org,
      lines: [{ at: 4, level: 'info', msg: 'invoking function', fields: { function: 'send-digest', functions_port: w.functionsPort } }],
      fail: { code: 'CP_FUNCTION_RUNTIME_UNAVAILABLE', message: 'the functions runtime of wok inbox is not accepting connections', cause: { message: `connect ECONNREFUSED 172.18.0.9:${w.functionsPort}`, props: { errno: -111, code: 'ECONNREFUSED', syscall: 'connect' }, frames: ['at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16)'] } },
    });
    last = plan.cid;
  }
  return { cid: last, description: 'invoke on wok inbox failed with CP_FUNCTION_RUNTIME_UNAVAILABLE, a code outside the catalogue (the cp\'s hint applies): its runtime crash-loops since RESEND_API_KEY was removed' };
}

export function legacyWok(t: DemoTimeline, s: StoryTimes): void {
  const w = wok(t.world, 'legacy');
  const maria = user(t.world, 'maria@acme.io');
  for (const ago of [50, 15, 4]) {
    t.request({ at: t.now - ago * MIN + t.rng.int(0, 30_000), durationMs: 6, caller: t.as(maria), method: 'POST', path: '/v1/woks/legacy/functions/nightly-sync/invoke', body: { input: {} }, wok: w.id, org: w.org, fail: { code: 'CP_FUNCTIONS_NOT_ENABLED', message: 'wok legacy has no functions_port allocated' } });
  }
  // The reconciler (on cp-1) keeps failing to refresh legacy's status row…
  const lastRefresh = s.legacyRefreshed;
  for (let at = lastRefresh + 5 * MIN; at < t.now; at += 5 * MIN) {
    t.cpLine({ cp: 'cp-1', time: at, level: 'warn', obj: { component: 'reconciler', wok_id: w.id }, msg: 'wok status refresh failed', err: { type: 'TimeoutError', message: 'docker inspect wok-legacy-db timed out after 5000 ms', frames: ['at Timeout._onTimeout (/srv/cp/dist/reconciler/inspect.js:31:18)'] } });
  }
  // …so reads of it are refused as stale.
  for (const ago of [30, 8, 2]) {
    const at = t.now - ago * MIN + t.rng.int(0, 20_000);
    const age = Math.round((at - lastRefresh) / MIN);
    t.request({ at, durationMs: 4, caller: t.as(maria, 'session'), method: 'GET', path: '/v1/woks/legacy', wok: w.id, org: w.org, fail: { code: 'CP_STATUS_STALE', message: `status of wok legacy was last refreshed ${age} minutes ago` } });
  }
}

/** Returns the id of the invoke whose runtime line is split by Docker. */
export function analyticsWebhook(t: DemoTimeline, s: StoryTimes): string {
  const w = wok(t.world, 'analytics');
  const hank = user(t.world, 'hank@globex.com');
  const at = s.trafficFrom + 100 * MIN;
  const events = Array.from({ length: 240 }, (_, i) => ({ id: `evt_${t.rng.hex(12)}`, type: i % 3 ? 'page_view' : 'checkout', path: `/products/${t.rng.int(100, 999)}`, ts: at - i * 1000 }));
  const plan = t.request({ at, durationMs: 380, caller: t.as(hank), method: 'POST', path: '/v1/woks/analytics/functions/ingest-webhook/invoke', body: { input: { events: events.length } }, wok: w.id, org: w.org, lines: [{ at: 4, level: 'info', msg: 'invoking function', fields: { function: 'ingest-webhook', functions_port: w.functionsPort } }] });
  t.fn(w.fn!, at + 6, 'info', { correlation_id: plan.cid, function: 'ingest-webhook' }, 'function invoked');
  // The function logs the whole batch: one line of ~22 KiB, which Docker writes as two records.
  t.fn(w.fn!, at + 40, 'info', { correlation_id: plan.cid, function: 'ingest-webhook', payload: { events } }, 'webhook payload received');
  t.fn(w.fn!, at + 372, 'info', { correlation_id: plan.cid, function: 'ingest-webhook', duration_ms: 366, inserted: events.length }, 'function completed');
  return plan.cid;
}
