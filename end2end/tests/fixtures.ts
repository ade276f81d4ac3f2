import { test as base, expect, Page } from '@playwright/test';

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
