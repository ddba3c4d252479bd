/**
 * The platform's upstreams failing, each with the shape /diag must tell apart:
 *  - the LLM upstream down for the last ten minutes (a burst: failing), one of
 *    the failures reached through a function, so it spans cp and container;
 *  - Resend refusing northwind's unverified domain now and then (sparse: a warning);
 *  - Cloudflare rejecting a DNS record once, long ago;
 *  - the cp's own PostgreSQL out of connections for three minutes an hour ago.
 */
import type { ErrSpec } from './cp-errors.js';
import type { StoryTimes } from './story-times.js';
import { MIN, type DemoTimeline } from './timeline.js';
import { user, wok } from './world.js';

const DEEPSEEK_503: ErrSpec = { type: 'UpstreamError', message: 'POST https://api.deepseek.com/v1/chat/completions returned 503 Service Unavailable', props: { upstream_status: 503 } };
const DEEPSEEK_TIMEOUT: ErrSpec = { type: 'TimeoutError', message: 'upstream api.deepseek.com did not answer within 30000 ms', props: { code: 'UND_ERR_HEADERS_TIMEOUT' } };

export function llmOutage(t: DemoTimeline, s: StoryTimes): void {
  const span = t.now - 40_000 - s.llmOutageFrom;
  for (let i = 0; i < 22; i++) {
    const k = t.rng.pick(t.world.llmKeys);
    const u = user(t.world, k.user);
    const timeout = t.rng.chance(0.3);
    const ms = timeout ? 30_000 + t.rng.int(1, 40) : t.rng.int(280, 900);
    const at = Math.min(s.llmOutageFrom + Math.round((i / 22) * span) + t.rng.int(0, 15_000), t.now - ms - 1000);
    t.request({
      at, durationMs: ms, caller: { ...t.as(u), authorization: `Bearer ${k.key.key}` }, method: 'POST', path: '/v1/llm/chat/completions', org: k.org,
      body: { model: 'deepseek-chat', stream: false, messages: [{ role: 'user', content: 'Classify this message: "where is my order?"' }] },
      headers: { 'X-LLM-Source': 'platform' },
      lines: [{ at: ms - 2, level: 'warn', msg: 'llm upstream failed', fields: { upstream: 'api.deepseek.com', model: 'deepseek-chat', attempt: 2 } }],
      fail: { code: 'CP_LLM_UPSTREAM_FAILED', message: timeout ? 'LLM upstream timed out after 30000 ms' : 'LLM upstream returned 503', cause: timeout ? DEEPSEEK_TIMEOUT : DEEPSEEK_503 },
    });
  }
}

/** A function on shopfront calls the LLM gateway and fails: cp and functions runtime lines share the id. */
export function llmThroughFunction(t: DemoTimeline): { cid: string; description: string } {
  const w = wok(t.world, 'shopfront');
  const maria = user(t.world, 'maria@acme.io');
  const at = t.now - 6 * MIN - 12_000;
  const plan = t.request({
    at, durationMs: 1460, caller: { ...t.as(maria), userAgent: 'tellwang-sdk-js/1.4.0 node/20.18.0' }, method: 'POST', path: '/v1/woks/shopfront/functions/summarize-ticket/invoke', body: { input: { ticket: 48213 } }, wok: w.id, org: w.org,
    lines: [{ at: 4, level: 'info', msg: 'invoking function', fields: { function: 'summarize-ticket', functions_port: w.functionsPort } }],
    fail: { code: 'CP_LLM_UPSTREAM_FAILED', message: 'function summarize-ticket failed: LLM upstream returned 503', cause: { type: 'FunctionError', message: 'summarize-ticket threw PlatformError CP_LLM_UPSTREAM_FAILED', props: { function: 'summarize-ticket' }, frames: ['at invokeFunction (/srv/cp/dist/functions/invoke.js:74:11)'] } },
  });
  const fn = w.fn!;
  t.fn(fn, at + 7, 'info', { correlation_id: plan.cid, function: 'summarize-ticket' }, 'function invoked');
  t.fn(fn, at + 19, 'info', { correlation_id: plan.cid, function: 'summarize-ticket', model: 'deepseek-chat' }, 'calling llm gateway');
  t.fn(fn, at + 1441, 'error', { correlation_id: plan.cid, function: 'summarize-ticket', code: 'CP_LLM_UPSTREAM_FAILED', status: 502 }, 'llm call failed', {
    type: 'PlatformError', message: 'LLM upstream returned 503 (X-LLM-Source: platform)', props: { code: 'CP_LLM_UPSTREAM_FAILED', status: 502 },
    frames: ['at TellwangClient.request (/app/node_modules/@tellwang/sdk/dist/client.js:118:15)', 'at async summarize (/app/functions/summarize-ticket.js:22:19)'],
  });
  t.fn(fn, at + 1447, 'info', { correlation_id: plan.cid, function: 'summarize-ticket', duration_ms: 1440, ok: false }, 'function completed');
  return { cid: plan.cid, description: 'function summarize-ticket on wok shopfront hit the LLM outage (CP_LLM_UPSTREAM_FAILED): cp and functions-runtime lines under one id' };
}

export function emailAndDns(t: DemoTimeline): void {
  const li = user(t.world, 'li.wei@northwind.dev');
  const maria = user(t.world, 'maria@acme.io');
  const invite = (at: number, u: typeof li, to: string, failed: boolean) => {
    const plan = t.request({
      at, durationMs: failed ? 611 : 402, caller: t.as(u, 'session'), method: 'POST', path: `/v1/orgs/${u.org}/invites`, body: { email: to, role: 'member' }, org: u.org,
      ...(failed ? { fail: { code: 'CP_EMAIL_UPSTREAM_FAILED', message: 'Resend returned 403: The northwind.dev domain is not verified. Please, add and verify your domain on https://resend.com/domains', cause: { type: 'ResendError', message: 'The northwind.dev domain is not verified', props: { statusCode: 403, name: 'validation_error' } } } } : {}),
    });
    t.audit({ time: at + plan.durationMs - 1, actor: u.email, org: u.org, action: 'org.invite', outcome: failed ? 'failure' : 'success', correlationId: plan.cid, ip: u.ip, extra: { invitee: to, ...(failed ? { code: 'CP_EMAIL_UPSTREAM_FAILED' } : {}) } });
  };
  // Now and then, the latest a few minutes ago: one in /diag's window is a warning, not a failure.
  invite(t.now - 170 * MIN, li, 'ops@northwind.dev', true);
  invite(t.now - 160 * MIN, maria, 'jon@acme.io', false);
  invite(t.now - 95 * MIN, li, 'sara@northwind.dev', true);
  invite(t.now - 41 * MIN, li, 'sara@northwind.dev', true);
  invite(t.now - 4 * MIN - 30_000, li, 'sara@northwind.dev', true);

  const hank = user(t.world, 'hank@globex.com');
  const at = t.now - 150 * MIN;
  const plan = t.request({
    at, durationMs: 844, caller: t.as(hank), method: 'POST', path: '/v1/woks/analytics/domains', body: { hostname: 'status.globex.com' }, wok: 'analytics', org: 'globex',
    fail: { code: 'CP_DOMAIN_UPSTREAM_FAILED', message: 'Cloudflare API returned 400: [1004] DNS Validation Error: CNAME content cannot reference itself', cause: { type: 'CloudflareError', message: '[1004] DNS Validation Error', props: { statusCode: 400 } } },
  });
  t.audit({ time: at + 843, actor: hank.email, org: 'globex', action: 'wok.domain.attach', outcome: 'failure', correlationId: plan.cid, ip: hank.ip, wokId: 'analytics', extra: { hostname: 'status.globex.com', code: 'CP_DOMAIN_UPSTREAM_FAILED' } });
}

export function cpDbOutage(t: DemoTimeline, s: StoryTimes): void {
  const slots: ErrSpec = { type: 'DatabaseError', message: 'remaining connection slots are reserved for roles with the SUPERUSER attribute', props: { code: '53300', severity: 'FATAL' }, frames: ['at Parser.parseErrorMessage (/srv/cp/node_modules/pg-protocol/dist/parser.js:283:98)'] };
  for (const cp of ['cp-1', 'cp-2'] as const) {
    for (let at = s.cpDbFrom + (cp === 'cp-1' ? 3000 : 41_000); at < s.cpDbTo; at += 55_000) {
      t.cpLine({ cp, time: at, level: 'error', obj: { component: 'db' }, msg: 'cp db pool error', err: slots });
    }
  }
  const span = s.cpDbTo - s.cpDbFrom;
  for (let i = 0; i < 9; i++) {
    const u = t.rng.pick(t.world.users);
    const at = s.cpDbFrom + Math.round((i / 9) * span) + t.rng.int(0, 10_000);
    const [method, path, op] = t.rng.pick([['GET', '/v1/woks', 'woks'], ['GET', `/v1/orgs/${u.org}/usage`, 'usage'], ['POST', '/v1/login', 'login']] as const);
    t.request({ at, durationMs: t.rng.int(40, 2100), caller: op === 'login' ? { ip: u.ip, userAgent: u.userAgent } : t.as(u), method, path, ...(op === 'login' ? { body: { email: u.email, password: 'correct horse battery' } } : { org: u.org }), fail: { code: 'CP_DB_QUERY_FAILED', message: 'the control plane database did not answer the query', cause: slots } });
  }
}
