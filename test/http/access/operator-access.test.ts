/**
 * Operators over real HTTP: sign-in with the real form, the session cookie's
 * flags, CSRF on every state-changing request, sign-out, the
 * redirect of browsers and the 401 of programs, security headers, body caps.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../src/access/api-tokens.js';
import { sha256Hex } from '../../../src/access/digest.js';
import { addOperator, setDisabled } from '../../../src/access/operators.js';
import { bearer, call, cookiePair, signIn } from '../../fixtures/http-client.js';
import { startConsole, type Console } from '../../fixtures/test-server.js';
import { buildWorld, type World } from './fixtures/world.js';

const EMAIL = 'oncall@tellwang.test';
const PASSWORD = 'a long enough passphrase';
const html = { accept: 'text/html' };
const form = (cookie: string, fields: Record<string, string>) => ({
  method: 'POST',
  headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...html },
  body: new URLSearchParams(fields).toString(),
});

let w: World;
let c: Console;

beforeAll(async () => {
  w = await buildWorld();
  await addOperator(w.store, EMAIL, PASSWORD);
  c = await startConsole(w.store);
});

afterAll(async () => {
  await c?.close();
  await w?.remove();
});

describe('who is refused, and how', () => {
  const operatorRoutes = ['/', '/?q=abc', '/unparsed', '/v1/search', '/v1/unparsed', '/v1/stats', '/v1/no-such-route', '/search', '/search?q=abc'];

  it('browsers are sent to /login and back; programs get 401 DIAG_UNAUTHENTICATED in the envelope', async () => {
    for (const path of [...operatorRoutes, '/tickets/0123456789abcdef']) {
      const b = await call(c.url, path, { headers: html });
      if (path.startsWith('/v1/')) {
        expect([path, b.status]).toEqual([path, 401]);
      } else {
        expect([path, b.status, b.headers.get('location')]).toEqual([path, 303, `/login?next=${encodeURIComponent(path)}`]);
      }
      const api = await call(c.url, path);
      expect([path, api.status, api.json().error.code]).toEqual([path, 401, 'DIAG_UNAUTHENTICATED']);
      expect(api.json().error.correlation_id).toMatch(/^[0-9a-f]{16}$/);
    }
    for (const [path, body, type] of [
      ['/lookup', 'text=abc', 'application/x-www-form-urlencoded'],
      ['/v1/lookup', '{"text":"abc"}', 'application/json'],
    ] as const) {
      const r = await call(c.url, path, { method: 'POST', headers: { 'content-type': type }, body });
      expect([path, r.status, r.json().error.code]).toEqual([path, 401, 'DIAG_UNAUTHENTICATED']);
    }
  });

  it('never sends the browser elsewhere after sign-in (next is a local path only)', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
      const page = await call(c.url, `/login?next=${encodeURIComponent(next)}`);
      expect(page.text).toContain('name="next" value="/"');
    }
  });
});

describe('signing in', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie (not Secure over plain HTTP) whose value is stored only as its hash', async () => {
    const s = await signIn(c.url, EMAIL, PASSWORD);
    expect(s.status).toBe(303);
    const raw = s.answer.headers.getSetCookie().find((x) => x.startsWith('diag_session='))!;
    expect(raw).toMatch(/; HttpOnly/);
    expect(raw).toMatch(/; SameSite=Lax/);
    expect(raw).toMatch(/; Path=\//);
    expect(raw).not.toMatch(/; Secure/);
    const value = s.cookie!.split('=')[1]!;
    const rows = w.store.db.prepare('SELECT id_hash FROM sessions').all() as { id_hash: string }[];
    expect(rows.map((r) => r.id_hash)).toContain(sha256Hex(value));
    const bytes = Buffer.concat([readFileSync(w.dbFile), readFileSync(`${w.dbFile}-wal`)]);
    expect(bytes.includes(value)).toBe(false);
    const page = await call(c.url, '/', { headers: { cookie: s.cookie!, ...html } });
    expect(page.status).toBe(200);
    expect(page.text).toContain(EMAIL);
    expect(page.text).toMatch(/<form method="post" action="\/logout"><input type="hidden" name="_csrf" value="[A-Za-z0-9_-]{43}">/);
  });

  it('behind a trusted proxy that says https: Secure, under the __Host- name', async () => {
    const proxied = await startConsole(w.store, { trustProxy: true });
    try {
      const s = await signIn(proxied.url, EMAIL, PASSWORD, { 'x-forwarded-proto': 'https' });
      const raw = s.answer.headers.getSetCookie().find((x) => x.startsWith('__Host-diag_session='));
      expect(raw).toMatch(/; Secure/);
      expect(raw).toMatch(/; HttpOnly/);
      expect((await call(proxied.url, '/v1/stats', { headers: { cookie: s.cookie!, 'x-forwarded-proto': 'https' } })).status).toBe(200);
    } finally {
      await proxied.close();
    }
  });

  it('a wrong password or an unknown email: the form again with 401, the same words', async () => {
    const wrong = await signIn(c.url, EMAIL, 'not the password at all');
    const unknown = await signIn(c.url, 'nobody@tellwang.test', PASSWORD);
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.cookie).toBeNull();
    const said = (t: string) => /<p class="login-error" role="alert">([^<]*)</.exec(t)?.[1];
    expect(said(wrong.answer.text)).toBe(said(unknown.answer.text));
  });

  it('a sign-in form not from this site (no login token) is refused', async () => {
    const r = await call(c.url, '/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: EMAIL, password: PASSWORD, _csrf: 'guessed' }).toString(),
    });
    expect([r.status, r.json().error.code]).toEqual([403, 'DIAG_CSRF_REJECTED']);
  });

  it('a disabled operator cannot sign in, and their open sessions end', async () => {
    await addOperator(w.store, 'leaver@tellwang.test', PASSWORD);
    const s = await signIn(c.url, 'leaver@tellwang.test', PASSWORD);
    expect((await call(c.url, '/v1/stats', { headers: { cookie: s.cookie! } })).status).toBe(200);
    await setDisabled(w.store, 'leaver@tellwang.test', true);
    expect((await call(c.url, '/v1/stats', { headers: { cookie: s.cookie! } })).status).toBe(401);
    expect((await signIn(c.url, 'leaver@tellwang.test', PASSWORD)).status).toBe(401);
  });

  it('an expired session is no session', async () => {
    const short = await startConsole(w.store, { access: { sessionTtlMs: 1 } });
    try {
      const s = await signIn(short.url, EMAIL, PASSWORD);
      await new Promise((r) => setTimeout(r, 5));
      expect((await call(short.url, '/v1/stats', { headers: { cookie: s.cookie! } })).status).toBe(401);
    } finally {
      await short.close();
    }
  });
});

describe('CSRF', () => {
  it('refuses a state-changing request made with the session cookie and no or a wrong form token', async () => {
    const s = await signIn(c.url, EMAIL, PASSWORD);
    const page = await call(c.url, '/', { headers: { cookie: s.cookie!, ...html } });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const none = await call(c.url, '/lookup', form(s.cookie!, { text: 'abc' }));
    expect([none.status, /DIAG_CSRF_REJECTED/.test(none.text)]).toEqual([403, true]);
    const wrong = await call(c.url, '/lookup', form(s.cookie!, { text: 'abc', _csrf: token.replace(/.$/, (x) => (x === 'A' ? 'B' : 'A')) }));
    expect(wrong.status).toBe(403);
    const ok = await call(c.url, '/lookup', form(s.cookie!, { text: 'no id in here', _csrf: token }));
    expect(ok.status).toBe(200);
    // JSON with the cookie needs the token in a header; with a console token, no token is needed.
    const json = { method: 'POST', body: '{"text":"abc"}' };
    expect((await call(c.url, '/v1/lookup', { ...json, headers: { cookie: s.cookie!, 'content-type': 'application/json' } })).status).toBe(403);
    expect((await call(c.url, '/v1/lookup', { ...json, headers: { cookie: s.cookie!, 'content-type': 'application/json', 'x-csrf-token': token } })).status).toBe(200);
    // A cross-site form post cannot choose its content type beyond the simple ones: text/plain is refused too.
    expect((await call(c.url, '/v1/lookup', { ...json, headers: { cookie: s.cookie!, 'content-type': 'text/plain' } })).status).toBe(403);
    const tok = (await createToken(w.store, 'csrf-check', 'operator', Date.now())).secret;
    expect((await call(c.url, '/v1/lookup', { ...json, headers: { ...bearer(tok), 'content-type': 'application/json' } })).status).toBe(200);
  });

  it('signs out only with the form token; afterwards the cookie is cleared and worthless', async () => {
    const s = await signIn(c.url, EMAIL, PASSWORD);
    const page = await call(c.url, '/', { headers: { cookie: s.cookie!, ...html } });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    expect((await call(c.url, '/logout', form(s.cookie!, {}))).status).toBe(403);
    expect((await call(c.url, '/v1/stats', { headers: { cookie: s.cookie! } })).status).toBe(200);
    const out = await call(c.url, '/logout', form(s.cookie!, { _csrf: token }));
    expect([out.status, out.headers.get('location')]).toEqual([303, '/login']);
    expect(cookiePair(out.headers, 'diag_session')).toBe('diag_session=');
    expect((await call(c.url, '/v1/stats', { headers: { cookie: s.cookie! } })).status).toBe(401);
    expect((await call(c.url, '/logout', { method: 'GET' })).status).toBe(405);
  });
});

describe('hardening', () => {
  it('security headers on pages, JSON and errors: CSP without inline script, frame denial, nosniff, no X-Powered-By, no caching', async () => {
    const s = await signIn(c.url, EMAIL, PASSWORD);
    for (const [path, headers] of [
      ['/', { cookie: s.cookie!, ...html }],
      ['/login', html],
      ['/v1/stats', { cookie: s.cookie! }],
      ['/v1/search?limit=0', { cookie: s.cookie! }],
      ['/healthz', {}],
    ] as const) {
      const r = await call(c.url, path, { headers });
      const csp = r.headers.get('content-security-policy') ?? '';
      expect([path, csp]).toEqual([path, expect.stringContaining("script-src 'self'")]);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-powered-by')).toBeNull();
      if (path !== '/healthz') expect(r.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('pages carry no inline script or style (the CSP would block them)', async () => {
    const s = await signIn(c.url, EMAIL, PASSWORD);
    for (const path of ['/', '/login', `/tickets/${w.cids.acme}`, '/unparsed', '/diag', '/diag/wok/alpha']) {
      const page = await call(c.url, path, { headers: path === '/login' ? html : { cookie: s.cookie!, ...html } });
      expect([path, page.status]).toEqual([path, 200]);
      expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)/i);
      expect(page.text).not.toMatch(/\sstyle="/i);
      expect(page.text).not.toMatch(/<style/i);
    }
  });

  it('oversized bodies: 413 DIAG_BODY_TOO_LARGE in the envelope, before and while reading', async () => {
    const tok = (await createToken(w.store, 'big-bodies', 'operator', Date.now())).secret;
    const huge = JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) });
    const r = await call(c.url, '/v1/lookup', { method: 'POST', headers: { ...bearer(tok), 'content-type': 'application/json' }, body: huge });
    expect([r.status, r.json().error.code]).toEqual([413, 'DIAG_BODY_TOO_LARGE']);
    expect(r.json().error.correlation_id).toMatch(/^[0-9a-f]{16}$/);
    // Under the global cap, over the route's own (the paste box takes 64 KiB of text).
    const big = JSON.stringify({ text: 'y'.repeat(300 * 1024) });
    const r2 = await call(c.url, '/v1/lookup', { method: 'POST', headers: { ...bearer(tok), 'content-type': 'application/json' }, body: big });
    expect([r2.status, r2.json().error.code]).toEqual([413, 'DIAG_BODY_TOO_LARGE']);
    // A signed-in form over the form cap.
    const s = await signIn(c.url, EMAIL, PASSWORD);
    const r3 = await call(c.url, '/lookup', form(s.cookie!, { text: 'z'.repeat(200 * 1024) }));
    expect(r3.status).toBe(413);
    expect(r3.text).toContain('DIAG_BODY_TOO_LARGE');
  });
});
