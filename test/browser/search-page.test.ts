/**
 * /search in a real browser over the demo: the count and rows, a cell that
 * narrows the search, older pages, the filter form by keyboard alone, and
 * filters kept in the URL.
 */
import { describe, expect, it } from 'vitest';
import { browserSession } from './fixtures/browser-session.js';

const s = browserSession();

async function column(cls: number): Promise<string[]> {
  return (await s.page.locator(`table.search-results > tbody > tr > td:nth-child(${cls})`).allTextContents()).map((t) => t.trim());
}

describe('the search page', () => {
  it('lists requests newest first with the count, and the header links to it', async () => {
    await s.signIn();
    await s.page.goto(`${s.console.url}/`);
    await Promise.all([s.page.waitForURL(/\/search$/), s.page.click('header nav a[href="/search"]')]);
    expect(await s.page.locator('.search-count').textContent()).toMatch(/^[\d,]+\+? matching requests$/);
    const times = await column(1);
    expect(times.length).toBe(50);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('a cell narrows the search: clicking an org keeps only that org, in the URL', async () => {
    await s.signIn();
    await s.page.goto(`${s.console.url}/search?failed=1`);
    const org = s.page.locator('table.search-results > tbody > tr > td:nth-child(5) a').first();
    const name = (await org.textContent())!.trim();
    await Promise.all([s.page.waitForURL(/org=/), org.click()]);
    const url = new URL(s.page.url());
    expect([url.searchParams.get('org'), url.searchParams.get('failed')]).toEqual([name, '1']);
    expect(new Set(await column(5))).toEqual(new Set([name]));
    expect((await column(2)).every((st) => Number(st) >= 400)).toBe(true);
  });

  it('pages to older results and back to the newest', async () => {
    await s.signIn();
    await s.page.goto(`${s.console.url}/search?limit=5`);
    const first = await column(8);
    const times = await column(1);
    await Promise.all([s.page.waitForURL(/cursor=/), s.page.click('.search-pages a[rel=next]')]);
    const second = await column(8);
    expect(second).toHaveLength(5);
    expect(second.filter((c) => first.includes(c))).toEqual([]);
    // Older means older: the second page starts no later than the first ends.
    expect((await column(1))[0]! <= times.at(-1)!).toBe(true);
    expect(new URL(s.page.url()).searchParams.get('limit')).toBe('5');
    await Promise.all([s.page.waitForURL((u) => !u.searchParams.has('cursor')), s.page.click('.search-pages a:text("newest")')]);
    expect(await column(8)).toEqual(first);
  });

  it('the form works by keyboard: a code typed and Enter searches, and the field keeps it', async () => {
    await s.signIn();
    await s.page.goto(`${s.console.url}/search?failed=1`);
    const code = (await s.page.locator('table.search-results a.code').first().textContent())!.trim();
    await s.page.getByLabel('Code').focus();
    await s.page.keyboard.type(code);
    await Promise.all([s.page.waitForURL(/code=/), s.page.keyboard.press('Enter')]);
    expect(new URL(s.page.url()).searchParams.get('code')).toBe(code);
    expect(new Set(await column(3))).toEqual(new Set([code]));
    expect(await s.page.getByLabel('Code').inputValue()).toBe(code);
    await s.page.getByLabel('Fix side').selectOption('platform');
    await s.page.getByLabel('Text in a message').focus();
    await Promise.all([s.page.waitForURL(/fix_side=platform/), s.page.keyboard.press('Enter')]);
    expect(await s.page.locator('.search-count').textContent()).toMatch(/matching request/);
  });
});
