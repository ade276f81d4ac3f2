import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, Browser, BrowserContext, Page } from '@playwright/test';

/** Records the errors a page logs (a CSP refusal, a hydration panic…). */
export function collectErrors(page: Page, errors: string[]) {
  page.on('console', (msg) => {
    // A refused request (4xx) is logged by the browser itself; the test checks the page instead.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
      errors.push(`${page.url()}: ${msg.text()}`);
    }
  });
  page.on('pageerror', (err) => errors.push(`${page.url()}: ${err.message}`));
}

// Fails a test on any error its pages log; pages a test opens itself join with collectErrors.
export const test = base.extend<{ pageErrors: string[] }>({
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      collectErrors(page, errors);
      await use(errors);
      expect(errors, 'the page logged errors').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

export const jsOn = (name: string) => name === 'js';

/** Opens a page; with JavaScript on, waits until the app has hydrated. */
export async function open(page: Page, path: string, js: boolean) {
  const response = await page.goto(path);
  if (js) await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  return response;
}

export async function logIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

export const accountNav = (page: Page) => page.getByRole('navigation', { name: 'Account' });

/** No serious or critical accessibility violations on the page as it is now. axe runs inside
 * the page, so it needs JavaScript: with JavaScript off the same server-rendered page is
 * checked in the other run. */
export async function expectAccessible(page: Page, js: boolean) {
  if (!js) return;
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(bad, 'serious accessibility violations').toEqual([]);
}

/** Sam Staff logged in, in a browser context of their own (JavaScript as given); `errors`
 * collects what their pages log. Close `context` when done. */
export async function staffSession(browser: Browser, js: boolean) {
  const context: BrowserContext = await browser.newContext({ javaScriptEnabled: js });
  const page = await context.newPage();
  const errors: string[] = [];
  collectErrors(page, errors);
  await open(page, '/login', js);
  await logIn(page, 'staff@example.com', 'staff-password-1');
  await expect(accountNav(page)).toContainText('Sam Staff');
  return { context, page, errors };
}
