/**
 * /diag and /diag/wok/<id> in a real browser over the demo: every subsystem
 * with its status (readings for operators only), the page refreshing itself
 * (public/diag.js) and marking what changed since the last look, the wok view
 * with its containers, errors by code, health strips and timeline. After
 * every test: no console error, exception or CSP violation
 * (fixtures/browser-session.ts).
 */
import { describe, expect, it } from 'vitest';
import { catalog } from '../../src/catalog/catalog.js';
import { ALL_CHECKS } from '../../src/diag/checks/all-checks.js';
import { startHealthLoop } from '../../src/diag/health-loop.js';
import { silentLogger } from '../../src/logging/logger.js';
import { WAIT_MS } from './fixtures/chromium.js';
import { browserSession } from './fixtures/browser-session.js';

const s = browserSession();

const STATUSES = ['pass', 'warn', 'fail'];

/** Each subsystem row's name and status, in page order. */
async function subsystems(): Promise<[string, string][]> {
  const rows = s.page.locator('table.diag-table > tbody > tr[id^="check-"]');
  const out: [string, string][] = [];
  for (const row of await rows.all()) out.push([(await row.getAttribute('id'))!.slice('check-'.length), (await row.locator('.hs').first().textContent())!.trim()]);
  return out;
}

describe('/diag', () => {
  it('shows anyone every subsystem with its status and history strip, and no readings', async () => {
    await s.page.goto(`${s.console.url}/diag`);
    const rows = await subsystems();
    expect(rows.map(([name]) => name).sort()).toEqual(ALL_CHECKS.map((k) => k.name).sort());
    for (const [, status] of rows) expect(STATUSES).toContain(status);
    expect(await s.page.locator('svg.strip').count()).toBe(ALL_CHECKS.length);
    expect(await s.page.locator('.readings-table').count()).toBe(0);
    expect(await s.page.textContent('.diag-head')).toContain('sign in as an operator');
  });

  it('shows an operator the readings: the demo\'s crash-looping runtime fails functions, the unconfigured cp database warns', async () => {
    await s.signIn();
    await s.page.goto(`${s.console.url}/diag`);
    const status = Object.fromEntries(await subsystems());
    expect(status).toMatchObject({ functions: 'fail', cp_db: 'warn' });
    // The page's overall status is the worst of them.
    expect(await s.page.textContent('.diag-head h1 .hs')).toBe('fail');
    const fnReadings = s.page.locator('#check-functions + tr.readings');
    expect(await fnReadings.textContent()).toContain('wok-inbox-fn');
    expect(await fnReadings.locator('tr.rd-fail').count()).toBeGreaterThanOrEqual(1);
    expect(await s.page.locator('#check-cp_db + tr.readings').textContent()).toContain('not configured');
  });

  it('puts the failing subsystems first, under a one-line summary, and the "not configured" ones last', async () => {
    await s.signIn();
    await s.page.goto(`${s.console.url}/diag`);
    const rows = await subsystems();
    // The demo: the runtime crash-loops and the LLM upstream is out; the cp database is not configured.
    expect(rows.slice(0, 2)).toEqual([
      ['functions', 'fail'],
      ['llm_upstream', 'fail'],
    ]);
    const standings = await s.page.locator('table.diag-table > tbody > tr[id^="check-"]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-standing')));
    const rank = { fail: 0, warn: 1, pass: 2, 'not configured': 3 } as Record<string, number>;
    expect(standings.map((x) => rank[x!])).toEqual(standings.map((x) => rank[x!]).sort());
    expect(standings[standings.length - 1]).toBe('not configured');
    expect(rows[rows.length - 1]![0]).toBe('cp_db');

    const summary = (await s.page.textContent('.diag-head .diag-summary'))!.replace(/\s+/g, ' ').trim();
    expect(summary).toMatch(/^2 failing: functions, llm_upstream · .*1 not configured: cp_db$/);
    // Both failures, with their readings, are on the first screen.
    const llm = (await s.page.locator('#check-llm_upstream').boundingBox())!;
    expect(llm.y + llm.height).toBeLessThan(900);
    await Promise.all([s.page.waitForURL('**/diag#check-functions'), s.page.click('.diag-summary a.sum-fail')]);
  });

  it('shows the platform\'s status in one line on the home page, linking to /diag', async () => {
    await s.signIn();
    expect(new URL(s.page.url()).pathname).toBe('/');
    const line = s.page.locator('.platform-line');
    expect((await line.textContent())!.replace(/\s+/g, ' ').trim()).toMatch(/^Platform fail 2 failing: functions, llm_upstream · .* · \/diag$/);
    expect(await line.getAttribute('class')).toContain('pl-fail');
    await Promise.all([s.page.waitForURL('**/diag'), line.locator('a[href="/diag"]').click()]);
    expect(await s.page.textContent('.diag-head h1 .hs')).toBe('fail');
  });

  it('refreshes itself while visible and marks what changed since the last look', async () => {
    await s.signIn();
    // The functions check passed half a minute ago (as the background loop would have stored it).
    await s.console.store.store.recordChecks([{ check: 'functions', status: 'pass', time: Date.now() - 30_000, output: null }]);
    await s.page.clock.install();
    await s.page.goto(`${s.console.url}/diag`);
    const head = s.page.locator('[data-diag-refresh]');
    const renderedAt = (await head.getAttribute('data-diag-now'))!;
    const every = Number(await head.getAttribute('data-diag-refresh'));
    expect(await s.page.textContent('.diag-changes h2')).toBe('Changes');

    // A round of the background loop now stores functions = fail: a change after the page was read.
    const loop = startHealthLoop({ runner: s.console.diag.runner, store: s.console.store.store, logger: silentLogger(), intervalMs: 0, retentionMs: 86_400_000 });
    await loop.tick();
    await loop.stop();

    await s.page.clock.runFor(every * 1000 - 1000);
    expect(new URL(s.page.url()).searchParams.get('since')).toBeNull();
    await Promise.all([s.page.waitForURL((u) => u.searchParams.get('since') === renderedAt, { timeout: WAIT_MS }), s.page.clock.runFor(2000)]);
    await s.page.waitForSelector('.diag-changes ul.changes li.new');
    expect(await s.page.textContent('.diag-changes h2')).toContain('Since your last look');
    const change = (await s.page.locator('.diag-changes li.new', { hasText: 'functions' }).textContent())!.replace(/\s+/g, ' ');
    expect(change).toMatch(/functions pass → fail/);
    expect(await s.page.getAttribute('[data-diag-refresh]', 'data-diag-since')).toBe(renderedAt);
  });
});

describe('/diag/wok/<id>', () => {
  it('shows wok ledger: its containers\' last states, errors by code with remediation, health strips and a newest-first timeline with the db restart', async () => {
    await s.signIn();
    await s.page.goto(`${s.console.url}/diag/wok/ledger`);
    expect(await s.page.textContent('.wok-head h1 code')).toBe('ledger');
    expect(await s.page.textContent('.wok-head .ws')).toBe('active');

    const containers = s.page.locator('table.wok-containers > tbody > tr:has(.cond)');
    const states = await containers.evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent!.trim())));
    expect(states).toEqual([
      ['wok-ledger-db', 'db', 'ready'],
      ['wok-ledger-fn', 'functions', 'ready'],
    ]);
    expect(await containers.first().textContent()).toContain('2 boots in the logs');

    const exec = s.page.locator('table.wok-errors tbody tr', { hasText: 'CP_EXEC_SQL_FAILED' });
    expect(await exec.locator('.side').textContent()).toBe(`fix: ${catalog.get('CP_EXEC_SQL_FAILED')!.fixSide}`);
    expect(Number(await exec.locator('td').nth(1).textContent())).toBeGreaterThanOrEqual(1);

    expect(await s.page.locator('table.wok-health svg.strip').count()).toBeGreaterThanOrEqual(2);
    // The db's restart (seconds in hours) stays visible: the point at its middle shows the shutdown, not the green after it.
    const dbStrip = s.page.locator('table.wok-health tr', { hasText: 'db container' }).locator('svg.strip');
    await dbStrip.scrollIntoViewIfNeeded();
    const restart = await dbStrip.evaluate((svg) => {
      const fail = [...svg.querySelectorAll('rect.sb-fail')];
      return fail.map((r) => {
        const b = r.getBoundingClientRect();
        const doc = (globalThis as unknown as { document: { elementFromPoint(x: number, y: number): unknown } }).document;
        const hit = doc.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2);
        return { title: r.querySelector("title")!.textContent, width: b.width, onTop: hit === r || (hit as { parentElement?: unknown } | null)?.parentElement === r };
      });
    });
    expect(restart).toEqual([{ title: expect.stringMatching(/ fail: shutdown: database system is shut down$/), width: expect.any(Number), onTop: true }]);
    expect(restart[0]!.width).toBeGreaterThanOrEqual(2);

    const timeline = await s.page.locator('table.timeline tbody tr').evaluateAll((rows) =>
      rows.map((r) => ({ time: r.querySelector('td.t')!.firstChild!.textContent!.trim(), kind: r.querySelector('.tk')!.textContent!.trim(), text: r.textContent!.replace(/\s+/g, ' ') })),
    );
    expect(timeline.map((t) => t.time)).toEqual(timeline.map((t) => t.time).sort().reverse());
    const shutdown = timeline.findIndex((t) => t.kind === 'lifecycle' && t.text.includes('database system is shut down'));
    const failed = timeline.findIndex((t) => t.kind === 'request' && t.text.includes(s.console.demo.featured[0].cid));
    const ready = timeline.findIndex((t) => t.kind === 'lifecycle' && t.text.includes('database system is ready to accept connections'));
    // Newest first: the db came back after the exec_sql that failed, which came after the db shut down; the restart is audited.
    expect(ready).toBeGreaterThanOrEqual(0);
    expect(failed).toBeGreaterThan(ready);
    expect(shutdown).toBeGreaterThan(failed);
    expect(timeline.some((t) => t.kind === 'audit' && t.text.includes('wok.restart (success)'))).toBe(true);
  });

  it('opens a container\'s log tail on demand and follows a sample id to its ticket', async () => {
    await s.signIn();
    await s.page.goto(`${s.console.url}/diag/wok/ledger`);
    const tail = s.page.locator('details.more', { has: s.page.locator('summary', { hasText: 'lines of wok-ledger-db' }) }).first();
    expect(await tail.locator('table.events').isVisible()).toBe(false);
    await tail.locator('summary').first().click();
    await tail.locator('table.events').waitFor({ state: 'visible' });
    expect(await tail.locator('table.events .msg .text').allTextContents()).toContain('database system is ready to accept connections');

    const sample = s.page.locator('table.wok-errors tbody tr', { hasText: 'CP_EXEC_SQL_FAILED' }).locator('a[href^="/tickets/"]');
    const href = (await sample.getAttribute('href'))!;
    await Promise.all([s.page.waitForURL(`**${href}`), sample.click()]);
    expect(await s.page.textContent('.error-box h2 code')).toBe('CP_EXEC_SQL_FAILED');
  });

  it('shows the crash loop of wok inbox\'s runtime, and the guidance for destroyed wok oldcrm', async () => {
    await s.signIn();
    await s.page.goto(`${s.console.url}/diag/wok/inbox`);
    const fn = s.page.locator('table.wok-containers > tbody > tr', { hasText: 'wok-inbox-fn' }).first();
    expect(await fn.locator('.cond').textContent()).toBe('crash-looping');
    expect(await fn.locator('.cond').getAttribute('class')).toContain('cond-bad');

    await s.page.goto(`${s.console.url}/diag/wok/oldcrm`);
    expect(await s.page.textContent('.wok-head .ws')).toBe('destroyed');
    expect(await s.page.textContent('.guidance p')).toBe(catalog.get('CP_NOT_ACTIVE')!.remediation);
  });
});
