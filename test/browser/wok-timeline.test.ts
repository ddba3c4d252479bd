/**
 * The wok timeline in a real browser over the demo's crash-looping inbox wok:
 * the loop folded into one row so the env change that caused it is near the
 * top, filters by kind and time kept in the URL, an anchor per row, and from
 * a lifecycle row the container's lines around that moment.
 */
import { describe, expect, it } from 'vitest';
import { browserSession } from './fixtures/browser-session.js';

const s = browserSession();

/** The timeline's top-level rows: kind and text. */
async function rows(): Promise<{ kind: string; text: string; id: string }[]> {
  const out: { kind: string; text: string; id: string }[] = [];
  for (const row of await s.page.locator('#timeline > table.timeline > tbody > tr').all()) {
    out.push({ kind: (await row.locator('.tk').first().textContent())!.trim(), text: (await row.locator('.tl-text').first().textContent())!.trim(), id: (await row.getAttribute('id'))! });
  }
  return out;
}

describe('the wok timeline', () => {
  it('folds the crash loop into one row, so the env change that set it off is near the top', async () => {
    await s.signIn();
    await s.page.goto(`${s.console.url}/diag/wok/inbox`);
    const all = await rows();
    const loop = all.find((r) => r.kind === 'repeat')!;
    expect(loop.text).toMatch(/^wok-inbox-fn \(functions\): crash ↔ start ×\d{2}, \d\d:\d\d:\d\d–\d\d:\d\d:\d\d$/);
    expect(Number(/×(\d+)/.exec(loop.text)![1])).toBeGreaterThanOrEqual(20);
    // Outside the fold: only the runtime's first start of the day, hours before the loop.
    expect(all.filter((r) => r.kind === 'lifecycle' && /^wok-inbox-fn \(functions\): (crash|start) — /.test(r.text)).length).toBeLessThanOrEqual(1);
    const change = s.page.locator('#timeline > table.timeline > tbody > tr', { hasText: 'wok.env.delete' });
    const box = (await change.boundingBox())!;
    const top = (await s.page.locator('#timeline').boundingBox())!;
    expect(box.y - top.y).toBeLessThan(800);
    // The folded rows are one click away.
    const members = s.page.locator('#timeline details.tl-members').first();
    await members.locator('summary').click();
    expect(await members.locator('tr').count()).toBeGreaterThanOrEqual(40);
  });

  it('shows every row on request, kept in the URL', async () => {
    await s.signIn();
    await s.page.goto(`${s.console.url}/diag/wok/inbox`);
    await Promise.all([s.page.waitForURL(/repeats=all/), s.page.click('a.tl-toggle')]);
    const all = await rows();
    expect(all.some((r) => r.kind === 'repeat')).toBe(false);
    expect(all.filter((r) => r.kind === 'lifecycle').length).toBeGreaterThanOrEqual(40);
  });

  it('filters by kind and time with the form, and the URL keeps the filter', async () => {
    await s.signIn();
    await s.page.goto(`${s.console.url}/diag/wok/inbox`);
    await s.page.check('.tl-filter input[name=kind][value=audit]');
    await s.page.fill('.tl-filter input[name=from]', '3h');
    await Promise.all([s.page.waitForURL(/kind=audit/), s.page.click('.tl-filter button[type=submit]')]);
    const url = new URL(s.page.url());
    expect(url.searchParams.getAll('kind')).toEqual(['audit']);
    expect(url.searchParams.get('from')).toBe('3h');
    const all = await rows();
    expect(all.length).toBeGreaterThan(0);
    expect(new Set(all.map((r) => r.kind))).toEqual(new Set(['audit']));
    expect(all.some((r) => r.text.includes('wok.env.delete'))).toBe(true);
    expect(await s.page.isChecked('.tl-filter input[name=kind][value=audit]')).toBe(true);
    expect(await s.page.inputValue('.tl-filter input[name=from]')).toBe('3h');
    // Reloading the URL gives the same rows.
    await s.page.reload();
    expect(await rows()).toEqual(all);
  });

  it('has an anchor per row that a link lands on', async () => {
    await s.signIn();
    await s.page.goto(`${s.console.url}/diag/wok/inbox`);
    const all = await rows();
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    const change = all.find((r) => r.text.includes('wok.env.delete'))!;
    await s.page.goto(`${s.console.url}/diag/wok/inbox#${change.id}`);
    expect(await s.page.evaluate('document.querySelector(":target")?.id')).toBe(change.id);
  });

  it("links a lifecycle row to its container's lines around that moment", async () => {
    await s.signIn();
    await s.page.goto(`${s.console.url}/diag/wok/inbox`);
    const stopping = s.page.locator('#timeline > table.timeline > tbody > tr', { hasText: 'SIGTERM received' });
    await Promise.all([s.page.waitForURL(/\/diag\/wok\/inbox\/lines\?/), stopping.locator('a.tl-lines').click()]);
    expect(await s.page.textContent('h1')).toContain('wok-inbox-fn (functions)');
    const lines = s.page.locator('table.events tbody > tr');
    expect(await lines.count()).toBeGreaterThan(1);
    for (const who of await lines.locator('td.who').allTextContents()) expect(who).toContain('wok-inbox-fn');
    expect(await s.page.textContent('table.events tr.at-moment .text')).toContain('SIGTERM received');
    // The loop starts right after: its first start and crash are in the window.
    const texts = await lines.locator('.text').allTextContents();
    expect(texts.some((t) => t.includes('uncaught exception while loading functions'))).toBe(true);
  });
});
