/**
 * A support operator in a real browser (Debian's Chromium): signs in through
 * /login, pastes what a customer sent (a whole error envelope, text with two
 * ids, a W3C traceparent) and reads the ticket — status, code, catalogued
 * remediation and fix side, the db shutdown in the context, the stack trace
 * on demand. After every test: no console error, exception or CSP violation
 * (fixtures/browser-session.ts).
 */
import { describe, expect, it } from 'vitest';
import { CP_ERRORS } from '../../scripts/demo/cp-errors.js';
import { catalog } from '../../src/catalog/catalog.js';
import { browserSession } from './fixtures/browser-session.js';
import { eventRows, eventTable, paste } from './fixtures/pages.js';
import { submitSignIn } from './fixtures/sign-in.js';

const s = browserSession();

describe('signing in', () => {
  it('sends a signed-out browser to /login, refuses a wrong password in words, and lands on the page asked for', async () => {
    const cid = s.console.demo.featured[0].cid;
    await s.page.goto(`${s.console.url}/tickets/${cid}`);
    expect(new URL(s.page.url()).pathname).toBe('/login');
    expect(new URL(s.page.url()).searchParams.get('next')).toBe(`/tickets/${cid}`);

    await s.page.fill('.login-form input[name=email]', s.console.operator.email);
    await s.page.fill('.login-form input[name=password]', 'not the password');
    // The refused sign-in answers 401, which Chromium reports on the console for the document.
    s.watch.expect(/\/login: console error: Failed to load resource: the server responded with a status of 401/);
    await s.page.click('.login-form button[type=submit]');
    expect(await s.page.textContent('.login-error[role=alert]')).toMatch(/\S/);
    expect(await s.page.inputValue('.login-form input[name=email]')).toBe(s.console.operator.email);
    expect(await s.page.inputValue('.login-form input[name=password]')).toBe('');

    await submitSignIn(s.page, s.console.operator.email, s.console.operator.password);
    expect(new URL(s.page.url()).pathname).toBe(`/tickets/${cid}`);
    await s.page.waitForSelector('section.ticket-head');
    expect(await s.page.textContent('.who-am-i')).toContain(s.console.operator.email);
  });

  it('signs out with the header button and is asked to sign in again', async () => {
    await s.signIn();
    await Promise.all([s.page.waitForURL(/\/login/), s.page.click('.who-am-i button[type=submit]')]);
    await s.page.goto(`${s.console.url}/`);
    expect(new URL(s.page.url()).pathname).toBe('/login');
  });
});

describe('the paste box', () => {
  it('lists the latest failed requests, each linking to its ticket', async () => {
    await s.signIn();
    const links = s.page.locator('table.recent tbody tr td:last-child a');
    expect(await links.count()).toBeGreaterThanOrEqual(10);
    const first = (await links.first().getAttribute('href'))!;
    expect(first).toMatch(/^\/tickets\/[0-9a-f]{16}$/);
    await Promise.all([s.page.waitForURL(`**${first}`), links.first().click()]);
    await s.page.waitForSelector('.error-box h2 code');
  });

  it('goes straight to the ticket from a whole error envelope', async () => {
    await s.signIn();
    const cid = s.console.demo.featured[0].cid;
    const envelope = JSON.stringify(
      { error: { code: 'CP_EXEC_SQL_FAILED', message: 'docker exec into the db container failed', hint: CP_ERRORS.CP_EXEC_SQL_FAILED!.hint, correlation_id: cid } },
      null,
      2,
    );
    await paste(s.page, `${envelope}\n`);
    expect(new URL(s.page.url()).pathname).toBe(`/tickets/${cid}`);
    expect(await s.page.textContent('#cid')).toBe(cid);
  });

  it('offers the choice when the text holds two ids (one in upper case), and each choice opens its ticket', async () => {
    await s.signIn();
    const [a, , b] = s.console.demo.featured;
    await paste(s.page, `first try failed with ${a.cid}, the retry with X-Correlation-Id: ${b.cid.toUpperCase()}`);
    const finding = s.page.locator('.finding');
    expect(await finding.locator('p').first().textContent()).toContain('2 correlation ids');
    const choices = finding.locator('ul.ids a');
    expect(await choices.evaluateAll((as) => as.map((x) => x.textContent!.trim()))).toEqual([a.cid, b.cid]);
    await Promise.all([s.page.waitForURL(`**/tickets/${b.cid}`), choices.nth(1).click()]);
    expect(await s.page.textContent('#cid')).toBe(b.cid);
  });

  it('explains a W3C traceparent instead of guessing, and keeps the pasted text in the box', async () => {
    await s.signIn();
    const text = 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await paste(s.page, text);
    const finding = s.page.locator('.finding');
    expect(await finding.textContent()).toContain('No correlation id in that text');
    const saw = await finding.locator('li').allTextContents();
    expect(saw).toHaveLength(1);
    expect(saw[0]).toContain('W3C traceparent');
    expect(saw[0]).toContain('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(await s.page.inputValue('section.paste textarea')).toBe(text);
  });

  it('says when an id was found but nothing has been logged with it', async () => {
    await s.signIn();
    await paste(s.page, '{"error":{"code":"CP_INTERNAL","correlation_id":"0123456789abcdef"}}');
    expect(await s.page.textContent('.finding')).toMatch(/Found correlation id\s+0123456789abcdef\s+in the error envelope, but nothing has been logged with it yet/);
  });

  it('opens a ticket from the id box in the header', async () => {
    await s.signIn();
    const cid = s.console.demo.featured[2].cid;
    await s.page.fill('.quick input[name=q]', cid.toUpperCase());
    await Promise.all([s.page.waitForURL(`**/tickets/${cid}`), s.page.press('.quick input[name=q]', 'Enter')]);
    expect(await s.page.textContent('#cid')).toBe(cid);
  });
});

describe('the ticket', () => {
  it('shows the failed exec_sql of the db restart: status, code, catalogued remediation with its fix side, and the shutdown in the context', async () => {
    await s.signIn();
    const cid = s.console.demo.featured[0].cid;
    await s.page.goto(`${s.console.url}/tickets/${cid}`);
    expect(await s.page.textContent('.req .status.s5xx')).toBe('502');
    expect(await s.page.textContent('.req .route')).toBe('POST /v1/woks/ledger/sql');
    expect(await s.page.textContent('.error-box h2 code')).toBe('CP_EXEC_SQL_FAILED');
    expect(await s.page.textContent('.error-box .emsg')).toContain('ECONNREFUSED');
    const entry = catalog.get('CP_EXEC_SQL_FAILED')!;
    expect(await s.page.textContent('.remedy .side')).toBe(`fix: ${entry.fixSide}`);
    // The catalogue's {id} is the request's wok, linked to its page.
    expect(await s.page.textContent('.remedy p')).toBe(entry.remediation.replace('{id}', 'ledger'));
    expect(await s.page.locator('.remedy p a').getAttribute('href')).toBe('/diag/wok/ledger');
    expect(await s.page.locator('.remedy-meta').textContent()).toContain(`HTTP ${entry.http}`);

    const events = await eventRows(eventTable(s.page, 'Everything logged'));
    expect(new Set(events.map((e) => e.source))).toEqual(new Set(['cp', 'audit']));
    expect(events.map((e) => e.time)).toEqual(events.map((e) => e.time).sort());

    const context = await eventRows(s.page.locator('section.context table.events'));
    const shutdown = context.findIndex((e) => e.message === 'database system is shut down');
    const ready = context.findIndex((e) => e.message === 'database system is ready to accept connections');
    expect(shutdown).toBeGreaterThanOrEqual(0);
    expect(ready).toBeGreaterThan(shutdown);
    expect(context[shutdown]!.source).toBe('container');
    const row = s.page.locator('section.context tr', { hasText: 'database system is shut down' });
    expect(await row.locator('.life').textContent()).toBe('shutdown');
    expect(await row.locator('.who').textContent()).toContain('wok-ledger-db (db)');
    // The shutdown came before the request (negative offset from its start).
    expect(await row.locator('.rel').textContent()).toMatch(/^[−-]/);
  });

  it('keeps the stack trace and the stored record behind "details" until asked', async () => {
    await s.signIn();
    await s.page.goto(`${s.console.url}/tickets/${s.console.demo.featured[0].cid}`);
    const row = eventTable(s.page, 'Everything logged').locator('tbody > tr', { hasText: 'request errored' });
    const stack = row.locator('pre.stack');
    expect(await stack.isVisible()).toBe(false);
    expect(await row.locator('pre.raw').isVisible()).toBe(false);
    await row.locator('details.more > summary').click();
    await stack.waitFor({ state: 'visible' });
    expect(await stack.textContent()).toMatch(/^CpError: connection to the wok db was refused[^\n]*\n\s+at execSql \(\/srv\/cp\/dist\/woks\/exec-sql\.js:\d+:\d+\)[\s\S]*\ncaused by: Error: connect ECONNREFUSED/);
    expect(await row.locator('pre.raw').isVisible()).toBe(true);
  });

  it('shows the cp\'s own hint for a code outside the catalogue, and the crash loop in the context', async () => {
    await s.signIn();
    await s.page.goto(`${s.console.url}/tickets/${s.console.demo.featured[2].cid}`);
    expect(await s.page.textContent('.error-box h2 code')).toBe('CP_FUNCTION_RUNTIME_UNAVAILABLE');
    expect(await s.page.textContent('.remedy.uncatalogued .remedy-meta')).toContain('not in the catalogue');
    expect(await s.page.textContent('.remedy.uncatalogued p')).toBe(CP_ERRORS.CP_FUNCTION_RUNTIME_UNAVAILABLE!.hint);
    expect(await s.page.locator('section.context .life-crash').count()).toBeGreaterThanOrEqual(1);
  });

});
