import { test, expect, open, logIn, jsOn, accountNav, staffSession } from './fixtures';

async function contact(browser: any, js: boolean, email: string, subject: string, text: string, site?: string) {
  const context = await browser.newContext({ javaScriptEnabled: js, ...(site ? { baseURL: site } : {}) });
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

// Without JavaScript a page stays as it was sent: the next load shows what changed.
test('without JavaScript the inbox shows new conversations on the next load', async ({ page, browser }, info) => {
  const js = jsOn(info.project.name);
  const stamp = `${info.project.name}${Date.now()}`;
  await open(page, '/login', js);
  await logIn(page, 'admin@example.com', 'admin-password-1');
  await expect(accountNav(page)).toContainText('Ada Admin');
  await open(page, '/admin/pigeon?source=all', js);
  await contact(browser, js, `ivy-${stamp}@example.com`, `Later ${stamp}`, 'A question');
  if (!js) {
    await page.waitForTimeout(1500);
    await expect(page.getByRole('link', { name: `Later ${stamp}` })).toHaveCount(0);
    await page.reload();
  }
  await expect(page.getByRole('link', { name: `Later ${stamp}` })).toBeVisible({ timeout: 5000 });
});

// Open pages update by themselves (JavaScript on): the inbox and the tab title when a customer
// writes in, a conversation when a colleague writes, without losing a half-written reply.
test('the inbox and an open conversation update by themselves', async ({ page, browser }, info) => {
  const js = jsOn(info.project.name);
  if (!js) return; // Live updates need JavaScript: the journey above covers pages without it.
  const stamp = `${info.project.name}${Date.now()}`;
  await contact(browser, js, `gwen-${stamp}@example.com`, `Live one ${stamp}`, 'First question');

  await open(page, '/login', js);
  await logIn(page, 'admin@example.com', 'admin-password-1');
  await expect(accountNav(page).getByRole('link', { name: /^Admin, \d+ awaiting a reply$/ })).toBeVisible();
  await open(page, '/admin/pigeon?source=all', js);
  await expect(page.getByRole('link', { name: `Live one ${stamp}` })).toBeVisible();
  await expect(page).toHaveTitle(/^\(\d+\) Inbox — /);
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

// On PostgreSQL a second instance serves the same database: a customer writing in through it
// reaches the inbox open on the first (LISTEN/NOTIFY between instances).
test('a message posted through another instance reaches a page open on this one', async ({ page, browser }, info) => {
  const js = jsOn(info.project.name);
  const second = process.env.PIGEON_E2E_SECOND_URL;
  if (!js || !second) return; // One instance on SQLite; live updates need JavaScript.
  const stamp = `${info.project.name}${Date.now()}`;
  await open(page, '/login', js);
  await logIn(page, 'admin@example.com', 'admin-password-1');
  await expect(accountNav(page)).toContainText('Ada Admin');
  await open(page, '/admin/pigeon?source=all', js);
  await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible();
  await contact(browser, js, `otto-${stamp}@example.com`, `Other instance ${stamp}`, 'Hello', second);
  await expect(page.getByRole('link', { name: `Other instance ${stamp}` })).toBeVisible({ timeout: 5000 });
});
