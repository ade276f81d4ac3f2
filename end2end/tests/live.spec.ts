import { test, expect, open, logIn, jsOn, accountNav, staffSession } from './fixtures';

async function contact(browser: any, js: boolean, email: string, subject: string, text: string) {
  const context = await browser.newContext({ javaScriptEnabled: js });
  const guest = await context.newPage();
  await open(guest, '/contact', js);
  await guest.getByLabel('Your name').fill('Gwen Guest');
  await guest.getByLabel('Email address').fill(email);
  await guest.getByLabel('Subject').fill(subject);
  await guest.getByLabel('Message', { exact: true }).fill(text);
  await guest.getByRole('button', { name: 'Send message' }).click();
  await expect(guest.getByRole('heading', { name: 'Message received' })).toBeVisible();
  await context.close();
}

// Open pages update by themselves (JavaScript on): the inbox and the tab title when a customer
// writes in, a conversation when a colleague writes, without losing a half-written reply.
// Without JavaScript pages stay as they were sent, which the other journeys cover.
test('the inbox and an open conversation update by themselves', async ({ page, browser }, info) => {
  const js = jsOn(info.project.name);
  test.skip(!js, 'live updates need JavaScript');
  const stamp = `${info.project.name}${Date.now()}`;
  await contact(browser, js, `gwen-${stamp}@example.com`, `Live one ${stamp}`, 'First question');

  await open(page, '/login', js);
  await logIn(page, 'admin@example.com', 'admin-password-1');
  await expect(accountNav(page).getByRole('link', { name: /^Admin, \d+ awaiting a reply$/ })).toBeVisible();
  await open(page, '/admin/pigeon?source=all', js);
  await expect(page.getByRole('link', { name: `Live one ${stamp}` })).toBeVisible();
  await expect(page).toHaveTitle(/^\(\d+\) /);
  const before = await page.title();

  // A second customer writes in: the open inbox shows it, and the count moves.
  await contact(browser, js, `hal-${stamp}@example.com`, `Live two ${stamp}`, 'Second question');
  await expect(page.getByRole('link', { name: `Live two ${stamp}` })).toBeVisible({ timeout: 5000 });
  await expect(page).not.toHaveTitle(before, { timeout: 5000 });

  // The admin opens the first and starts a reply; a colleague adds a note meanwhile.
  await page.getByRole('link', { name: `Live one ${stamp}` }).click();
  await expect(page.getByRole('heading', { name: `Live one ${stamp}` })).toBeVisible();
  const url = page.url();
  await page.getByLabel('Message', { exact: true }).fill('Half-written answer');
  const sam = await staffSession(browser, js);
  await open(sam.page, url, js);
  await expect(page.getByText('Sam Staff is viewing')).toBeVisible({ timeout: 8000 });
  await sam.page.getByLabel('Message', { exact: true }).fill(`SAM-NOTE-${stamp} I am on it`);
  await expect(page.getByText('Sam Staff is replying…')).toBeVisible({ timeout: 8000 });
  await sam.page.getByLabel(/Internal note/).check();
  await expect(page.getByText('Sam Staff is writing a note…')).toBeVisible({ timeout: 8000 });
  await sam.page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(sam.page.locator('.message').filter({ hasText: `SAM-NOTE-${stamp}` })).toHaveCount(1);

  await expect(page.locator('.message').filter({ hasText: `SAM-NOTE-${stamp}` })).toHaveCount(1, { timeout: 5000 });
  await expect(page.getByLabel('Message', { exact: true })).toHaveValue('Half-written answer');
  await expect(page.getByText('Reconnecting')).toHaveCount(0);
  expect(sam.errors).toEqual([]);
  // Sam leaves: the admin no longer sees them there.
  await sam.context.close();
  await expect(page.getByText(/Sam Staff is/)).toHaveCount(0, { timeout: 15000 });
});
