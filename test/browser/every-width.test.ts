/**
 * Every width and every person, in a real browser over the demo: no page is
 * wider than a 390 px phone, text (status badges included) keeps a contrast
 * of at least 4.5:1 against what is behind it, and an operator completes
 * "paste an envelope, open the ticket, open its wok" with the keyboard alone
 * (skip link, Ctrl+Enter in the paste box, Tab and Enter).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { browserSession } from './fixtures/browser-session.js';
import { lowContrast, overflow, stripRects } from './fixtures/layout-probes.js';

const s = browserSession();

const PHONE = { width: 390, height: 844 };

/** The element that has the keyboard's focus. */
const focused = () => s.page.locator(':focus');

/** The lines around the hostile ticket's first line (an event id is only known once the demo is stored). */
let aroundPage = '';
beforeAll(async () => {
  const [first] = await s.console.store.store.eventsByCid(s.console.hostile.cid);
  aroundPage = `/events/${encodeURIComponent(first!.id)}/around`;
});

/** The pages an operator reads, signed in. */
function operatorPages(): string[] {
  const [restart, crossSource, uncatalogued] = s.console.demo.featured;
  return ['/', '/diag', '/diag/wok/inbox', '/diag/wok/ledger', '/diag/wok/oldcrm', `/tickets/${restart.cid}`, `/tickets/${crossSource.cid}`, `/tickets/${uncatalogued.cid}`, `/tickets/${s.console.hostile.cid}`, '/unparsed', '/audit', aroundPage, '/incidents', '/incidents?window=7d', '/catalog', '/search', '/search?failed=1&q=error'];
}

describe('at 390 px', () => {
  it('no page an operator reads is wider than the screen, and the header search and Sign out stay on it', async () => {
    await s.page.setViewportSize(PHONE);
    await s.signIn();
    const wide: string[] = [];
    for (const p of operatorPages()) {
      await s.page.goto(`${s.console.url}${p}`);
      const o = await overflow(s.page);
      if (o.width > PHONE.width || o.out.length) wide.push(`${p}: ${o.width} px ${o.out.join(' ')}`);
      for (const sel of ['.quick input', '.who-am-i button']) {
        const box = (await s.page.locator(sel).boundingBox())!;
        if (box.x < 0 || box.x + box.width > PHONE.width) wide.push(`${p}: ${sel} off-screen at x=${box.x}`);
      }
    }
    expect(wide).toEqual([]);
  });

  it('nor are the pages a signed-out visitor sees', async () => {
    await s.page.setViewportSize(PHONE);
    for (const p of ['/login', '/diag']) {
      await s.page.goto(`${s.console.url}${p}`);
      const o = await overflow(s.page);
      expect({ p, width: o.width, out: o.out }).toEqual({ p, width: PHONE.width, out: [] });
    }
  });

  it('stacks each /diag subsystem so its status badge never overlaps its strip', async () => {
    await s.page.setViewportSize(PHONE);
    await s.signIn();
    await s.page.goto(`${s.console.url}/diag`);
    const rows = s.page.locator('table.diag-table > tbody > tr[id^="check-"]');
    expect(await rows.count()).toBeGreaterThan(3);
    for (const row of await rows.all()) {
      const badge = (await row.locator('.hs').first().boundingBox())!;
      const strip = (await row.locator('svg.strip').boundingBox())!;
      const apart = badge.y + badge.height <= strip.y || strip.y + strip.height <= badge.y || badge.x + badge.width <= strip.x || strip.x + strip.width <= badge.x;
      expect(apart).toBe(true);
    }
  });
});

describe('contrast', () => {
  it('keeps every text, status badges included, at 4.5:1 or more on every page', async () => {
    await s.signIn();
    const low: string[] = [];
    for (const p of operatorPages()) {
      await s.page.goto(`${s.console.url}${p}`);
      for (const l of await lowContrast(s.page)) low.push(`${p}: ${l}`);
    }
    expect(low).toEqual([]);
  });
});

describe('the keyboard alone', () => {
  it('skips to the content, pastes an envelope, opens the ticket with Ctrl+Enter and its wok with Tab and Enter', async () => {
    await s.signIn();
    const [restart] = s.console.demo.featured;
    // On a page without a focused box, the first Tab stop is the skip link; following it puts focus on the content.
    await s.page.goto(`${s.console.url}/diag`);
    await s.page.keyboard.press('Tab');
    expect((await focused().textContent())?.trim()).toBe('Skip to content');
    await s.page.keyboard.press('Enter');
    expect(await focused().getAttribute('id')).toBe('main');

    await s.page.goto(`${s.console.url}/`);
    // Into the paste box, paste the customer's envelope, submit with Ctrl+Enter.
    // The box has the focus when the page opens (autofocus); else Tab reaches it.
    let onBox = (await focused().getAttribute('name')) === 'text';
    for (let i = 0; i < 10 && !onBox; i++) {
      await s.page.keyboard.press('Tab');
      onBox = (await focused().getAttribute('name')) === 'text';
    }
    expect(onBox).toBe(true);
    const envelope = JSON.stringify({ error: { code: 'CP_EXEC_SQL_FAILED', message: 'exec_sql failed', hint: 'retry', correlation_id: restart.cid } });
    await s.page.keyboard.insertText(envelope);
    await Promise.all([s.page.waitForURL(`**/tickets/${restart.cid}`), s.page.keyboard.press('Control+Enter')]);

    // Tab to the wok's link and follow it.
    let onWok = false;
    for (let i = 0; i < 40 && !onWok; i++) {
      await s.page.keyboard.press('Tab');
      onWok = ((await focused().getAttribute('href')) ?? '').startsWith('/diag/wok/');
    }
    expect(onWok).toBe(true);
    await Promise.all([s.page.waitForURL(/\/diag\/wok\/[a-z]/), s.page.keyboard.press('Enter')]);
    expect(await s.page.textContent('h1')).toContain('ledger');
  });
});

describe('history strips', () => {
  it('do not tell states by colour alone: warnings are hatched, no reading is a thin line', async () => {
    await s.signIn();
    await s.page.goto(`${s.console.url}/diag/wok/ledger`);
    const rects = await stripRects(s.page);
    const of = (status: string) => rects.filter((r) => r.cls.split(' ').includes(`sb-${status}`));
    expect(of('warn').length).toBeGreaterThan(0);
    for (const r of of('warn')) expect(r.fill).toMatch(/^url\(/);
    for (const r of of('unknown')) expect(r.height).toBeLessThan(14);
    for (const r of [...of('pass'), ...of('fail')]) expect(r.height).toBe(14);
  });

  it('list their periods with dates to the keyboard as to a pointer', async () => {
    await s.signIn();
    await s.page.goto(`${s.console.url}/diag`);
    const first = s.page.locator('.strip-details').first();
    expect(await first.locator('.strip-list').isVisible()).toBe(false);
    // Tab until the first strip has the focus, then open it with Enter.
    let onStrip = false;
    for (let i = 0; i < 40 && !onStrip; i++) {
      await s.page.keyboard.press('Tab');
      onStrip = (await first.locator('summary:focus').count()) === 1;
    }
    expect(onStrip).toBe(true);
    await s.page.keyboard.press('Enter');
    const items = first.locator('.strip-list li');
    expect(await first.locator('.strip-list').isVisible()).toBe(true);
    expect(await items.count()).toBe(await first.locator('rect.sb').count());
    for (const t of await items.locator('time').all()) {
      expect(await t.getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
      expect(await t.textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d–/);
    }
  });
});
