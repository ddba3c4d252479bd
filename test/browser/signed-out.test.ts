/**
 * A browser whose session ended in another tab: a pasted form goes back to
 * sign-in with the text kept and, once signed in, to the ticket; /diag left
 * open says it is signed out, with a link that signs in and comes back.
 */
import { describe, expect, it } from 'vitest';
import { browserSession } from './fixtures/browser-session.js';
import { submitSignIn } from './fixtures/sign-in.js';

const s = browserSession();

/** Signs out from a second tab of the same browser, as an operator does in another window. */
async function signOutElsewhere(): Promise<void> {
  const other = await s.page.context().newPage();
  await other.goto(`${s.console.url}/`);
  await Promise.all([other.waitForURL(/\/login/), other.click('.who-am-i button[type=submit]')]);
  await other.close();
}

describe('after the session ended', () => {
  it('a pasted envelope goes back to sign-in with its id kept, then to its ticket', async () => {
    const cid = s.console.demo.featured[0].cid;
    await s.signIn();
    await signOutElsewhere();
    const envelope = JSON.stringify({ error: { code: 'CP_EXEC_SQL_FAILED', message: 'docker exec into the db container failed', hint: 'retry', correlation_id: cid } });
    await s.page.fill('section.paste textarea[name=text]', envelope);
    await Promise.all([s.page.waitForURL(/\/login\?/), s.page.click('section.paste button[type=submit]')]);
    const url = new URL(s.page.url());
    expect(url.searchParams.get('next')).toBe(`/?q=${cid}`);
    expect(await s.page.textContent('.signed-out')).toContain('You are signed out');
    expect(await s.page.locator('.login-error').count()).toBe(0);

    await submitSignIn(s.page, s.console.operator.email, s.console.operator.password);
    expect(new URL(s.page.url()).pathname).toBe(`/tickets/${cid}`);
    await s.page.waitForSelector('section.ticket-head');
    expect(await s.page.locator('.signed-out').count()).toBe(0);
  });

  it('/diag left open says it is signed out, and its link signs in and comes back', async () => {
    await s.signIn();
    await s.page.goto(`${s.console.url}/diag`);
    expect(await s.page.locator('.signed-out').count()).toBe(0);
    await signOutElsewhere();
    await s.page.reload();
    const banner = s.page.locator('.signed-out');
    expect(await banner.textContent()).toContain('You are signed out');
    const link = banner.locator('a.sign-in');
    expect(await link.getAttribute('href')).toBe('/login?next=%2Fdiag');
    await Promise.all([s.page.waitForURL(/\/login/), link.click()]);
    await submitSignIn(s.page, s.console.operator.email, s.console.operator.password);
    expect(new URL(s.page.url()).pathname).toBe('/diag');
    expect(await s.page.locator('.signed-out').count()).toBe(0);
    expect(await s.page.locator('.readings-table').count()).toBeGreaterThan(0);
  });

  it('a browser that never signed in sees no banner', async () => {
    await s.page.goto(`${s.console.url}/diag`);
    expect(await s.page.locator('.signed-out').count()).toBe(0);
  });
});
