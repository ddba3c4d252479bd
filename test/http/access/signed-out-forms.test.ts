/**
 * A form posted by a browser whose session has ended is sent back to sign-in
 * with what it carried kept in `next`; API callers (JSON, or Authorization)
 * keep getting the 401 envelope. Pages say "signed out" to a browser that was
 * signed in, and nothing to one that never was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOperator } from '../../../src/access/operators.js';
import { call, signIn } from '../../fixtures/http-client.js';
import { tempSqliteStore, type TempSqliteStore } from '../../fixtures/sqlite-store.js';
import { startConsole, type Console } from '../../fixtures/test-server.js';

const EMAIL = 'oncall@tellwang.test';
const PASSWORD = 'a long enough password';
const FORM = 'application/x-www-form-urlencoded';

let t: TempSqliteStore;
let c: Console;
/** A session cookie whose session has been ended by signing out. */
let ended = '';

beforeAll(async () => {
  t = tempSqliteStore();
  await addOperator(t.store, EMAIL, PASSWORD);
  c = await startConsole(t.store);
  const s = await signIn(c.url, EMAIL, PASSWORD);
  ended = s.cookie!;
  const home = await call(c.url, '/', { headers: { cookie: ended, accept: 'text/html' } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(home.text)![1]!;
  const out = await call(c.url, '/logout', { method: 'POST', headers: { cookie: ended, 'content-type': FORM, accept: 'text/html' }, body: `_csrf=${csrf}` });
  expect(out.status).toBe(303);
});

afterAll(async () => {
  await c.close();
  await t.close();
});

describe('a form posted after the session ended', () => {
  const text = 'X-Correlation-Id: 0f1e2d3c4b5a6978\nDate: Tue, 24 Nov 2026 20:22:24 GMT';

  it('from a browser: 303 to /login, the ids of the pasted text kept as a lookup in next (not the whole text)', async () => {
    const r = await call(c.url, '/lookup', { method: 'POST', headers: { cookie: ended, 'content-type': FORM, accept: 'text/html,application/xhtml+xml' }, body: new URLSearchParams({ text, _csrf: 'stale' }).toString() });
    expect(r.status).toBe(303);
    const to = new URL(r.headers.get('location')!, c.url);
    expect(to.pathname).toBe('/login');
    expect(to.searchParams.get('next')).toBe('/?q=0f1e2d3c4b5a6978');
  });

  it('text without an id is kept as it is', async () => {
    const plain = 'the console said something went wrong';
    const r = await call(c.url, '/lookup', { method: 'POST', headers: { cookie: ended, 'content-type': FORM, accept: 'text/html' }, body: new URLSearchParams({ text: plain }).toString() });
    expect(new URL(r.headers.get('location')!, c.url).searchParams.get('next')).toBe(`/?q=${encodeURIComponent(plain)}`);
  });

  it('text too long for a URL keeps the ids it holds', async () => {
    const long = `${'log line '.repeat(400)} 0f1e2d3c4b5a6978 ${'more '.repeat(200)}`;
    const r = await call(c.url, '/lookup', { method: 'POST', headers: { cookie: ended, 'content-type': FORM, accept: 'text/html' }, body: new URLSearchParams({ text: long }).toString() });
    expect(new URL(r.headers.get('location')!, c.url).searchParams.get('next')).toBe('/?q=0f1e2d3c4b5a6978');
  });

  it('from an API client (JSON, or an Authorization header): the 401 envelope', async () => {
    const json = await call(c.url, '/lookup', { method: 'POST', headers: { cookie: ended, 'content-type': FORM, accept: 'application/json' }, body: new URLSearchParams({ text }).toString() });
    expect(json.status).toBe(401);
    expect(json.json().error.code).toBe('DIAG_UNAUTHENTICATED');
    const bearer = await call(c.url, '/lookup', { method: 'POST', headers: { authorization: `Bearer sdo_${'x'.repeat(43)}`, 'content-type': FORM, accept: 'text/html' }, body: new URLSearchParams({ text }).toString() });
    expect(bearer.status).toBe(401);
    expect(bearer.headers.get('location')).toBeNull();
    const api = await call(c.url, '/v1/lookup', { method: 'POST', headers: { cookie: ended, 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
    expect(api.status).toBe(401);
    expect(api.json().error.code).toBe('DIAG_UNAUTHENTICATED');
  });
});

describe('the signed-out banner', () => {
  it('shows on pages to a browser that was signed in, with a sign-in link back to the page', async () => {
    const r = await call(c.url, '/diag', { headers: { cookie: `${ended}; diag_was_signed_in=1`, accept: 'text/html' } });
    expect(r.status).toBe(200);
    expect(r.text).toContain('class="signed-out"');
    expect(r.text).toContain('href="/login?next=%2Fdiag"');
  });

  it('sign-in sets the marker; a browser that never signed in sees no banner', async () => {
    const s = await signIn(c.url, EMAIL, PASSWORD);
    expect(s.answer.headers.getSetCookie().some((x) => x.startsWith('diag_was_signed_in=1;') && /HttpOnly/i.test(x))).toBe(true);
    const r = await call(c.url, '/diag', { headers: { accept: 'text/html' } });
    expect(r.text).not.toContain('class="signed-out"');
  });
});
