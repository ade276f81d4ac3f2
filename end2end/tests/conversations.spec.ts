import { test, expect, open, logIn, accountNav, jsOn, collectErrors } from './fixtures';
import type { Browser, Page } from '@playwright/test';

async function member(browser: Browser, js: boolean, email: string, errors: string[]): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: js });
  const page = await context.newPage();
  collectErrors(page, errors);
  await open(page, '/login', js);
  await logIn(page, email, 'member-password-1');
  await expect(accountNav(page).getByRole('link', { name: /^Messages/ })).toBeVisible();
  return page;
}

test('a member starts a direct thread, the other reads and replies, and the first sees it was seen', async ({ browser, pageErrors }, info) => {
  const js = jsOn(info.project.name);
  const subject = `Lunch plans ${info.project.name} ${Date.now()}`;

  const ann = await member(browser, js, 'ann@example.com', pageErrors);
  await open(ann, '/pigeon/threads', js);
  // With JavaScript the matches come as the name is typed; without it, by the search button.
  await ann.getByLabel('Find members by name').fill('Bob');
  if (!js) {
    await ann.getByRole('button', { name: 'Search' }).click();
    await expect(ann).toHaveURL(/q=Bob/);
  }
  await expect(ann.getByRole('checkbox', { name: 'Bob Member' })).toBeVisible();
  await ann.getByLabel('Members I choose').check();
  await ann.getByRole('checkbox', { name: 'Bob Member' }).check();
  await ann.getByLabel('Subject').fill(subject);
  await ann.getByLabel('Message', { exact: true }).fill('Noon at the usual place?\nhttps://example.com/menu');
  await ann.getByRole('button', { name: 'Send' }).click();
  await expect(ann.getByRole('heading', { name: subject })).toBeVisible();
  await expect(ann.getByRole('link', { name: 'https://example.com/menu' })).toBeVisible();

  const bob = await member(browser, js, 'bob@example.com', pageErrors);
  await expect(accountNav(bob).getByRole('link', { name: /Messages, \d+ unread/ })).toBeVisible();
  await accountNav(bob).getByRole('link', { name: /^Messages/ }).click();
  const row = bob.getByRole('listitem').filter({ hasText: subject });
  await expect(row).toContainText('Unread');
  await row.getByRole('link').click();
  await expect(bob.getByRole('heading', { name: subject })).toBeVisible();
  await expect(bob.getByText('Noon at the usual place?')).toBeVisible();
  await expect(accountNav(bob).getByRole('link', { name: 'Messages', exact: true })).toBeVisible();
  if (js) await bob.evaluate(() => ((window as any).__samePage = true));
  await bob.getByLabel('Your message').fill('Sounds good, see you there.');
  await bob.getByRole('button', { name: 'Send reply' }).click();
  await expect(bob.getByRole('listitem').filter({ hasText: 'Sounds good, see you there.' })).toBeVisible();
  if (js) {
    expect(await bob.evaluate(() => (window as any).__samePage)).toBe(true);
    await expect(bob.getByLabel('Your message')).toHaveValue('');
  }

  await ann.reload();
  await expect(ann.getByText('Sounds good, see you there.')).toBeVisible();
  const first = ann.getByRole('listitem').filter({ hasText: 'Noon at the usual place?' });
  await expect(first).toContainText('Seen by Bob Member');
  await ann.screenshot({ path: `test-results/conversation-${info.project.name}.png`, fullPage: true });
});

test('a member cannot open a conversation they are not part of', async ({ page }, info) => {
  const js = jsOn(info.project.name);
  await open(page, '/login', js);
  await logIn(page, 'staff@example.com', 'staff-password-1');
  await expect(page).toHaveURL(/\/admin/);
  const response = await page.goto('/pigeon/threads/1');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});
