import { test, expect, open, logIn, accountNav, jsOn, collectErrors } from './fixtures';
import { waitForMail, linkIn, allMail } from './mail';
import type { Page } from '@playwright/test';

async function register(page: Page, js: boolean, name: string, email: string, password: string) {
  await open(page, '/register', js);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('status')).toContainText('Thanks for registering');
}

test('a new member confirms the address from the email, then starts a conversation that alerts the team', async ({ page }, info) => {
  const js = jsOn(info.project.name);
  const email = `nia-${info.project.name}-${Date.now()}@example.com`;
  await register(page, js, 'Nia Member', email, 'member-password-9');
  await logIn(page, email, 'member-password-9');
  await expect(accountNav(page)).toContainText('Nia Member');

  await open(page, '/pigeon/threads', js);
  await expect(page.getByRole('heading', { name: 'Confirm your email address' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send' })).toHaveCount(0);

  const mail = await waitForMail(email, 'Confirm your email address');
  expect(mail.subject).toBe('Confirm your email address for Pigeon');
  expect(mail.html).toContain('Confirm my address');
  const link = linkIn(mail, '/verify/');
  await open(page, link, js);
  await expect(page.getByRole('heading', { name: 'Address confirmed' })).toBeVisible();

  const subject = `Shipping ${info.project.name} ${Date.now()}`;
  await open(page, '/pigeon/threads', js);
  await page.getByLabel('The support team').check();
  await page.getByLabel('Subject').fill(subject);
  await page.getByLabel('Message', { exact: true }).fill('Where is my <parcel>?');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByRole('heading', { name: subject })).toBeVisible();

  // Nobody is assigned: every staff user who manages threads is alerted, once.
  const alert = await waitForMail('staff@example.com', subject);
  expect(alert.subject).toBe(`New message: ${subject}`);
  expect(alert.text).toContain('Where is my <parcel>?');
  expect(alert.html).toContain('Where is my &lt;parcel&gt;?');
  expect(linkIn(alert, '/admin/pigeon/threads/')).toMatch(/\/admin\/pigeon\/threads\/\d+$/);
  await waitForMail('admin@example.com', subject);
  const toStaff = (await allMail()).filter((m) => m.to === 'staff@example.com' && m.subject.includes(subject));
  expect(toStaff).toHaveLength(1);

  // The link works once.
  await open(page, link, js);
  await expect(page.getByRole('heading', { name: 'This link no longer works' })).toBeVisible();
});

test('a forgotten password is reset through the emailed link, which ends the other sessions', async ({ page, browser }, info) => {
  const js = jsOn(info.project.name);
  const email = `rue-${info.project.name}-${Date.now()}@example.com`;
  await register(page, js, 'Rue Member', email, 'old-password-1');

  // Logged in elsewhere with the old password.
  const other = await browser.newContext({ javaScriptEnabled: js });
  const otherPage = await other.newPage();
  const otherErrors: string[] = [];
  collectErrors(otherPage, otherErrors);
  await open(otherPage, '/login', js);
  await logIn(otherPage, email, 'old-password-1');
  await expect(accountNav(otherPage)).toContainText('Rue Member');

  await open(page, '/login', js);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { name: 'Forgot your password?' })).toBeVisible();
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Email me a link' }).click();
  await expect(page.getByRole('status')).toContainText('If an account uses that address');

  const mail = await waitForMail(email, 'Reset your password');
  const link = linkIn(mail, '/password/reset/');
  await open(page, link, js);
  await page.getByLabel('New password').fill('short');
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await expect(page.getByRole('alert')).toContainText('at least 8');
  await page.getByLabel('New password').fill('new-password-22');
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await expect(page.getByRole('status')).toContainText('Your new password is saved');
  await expect(accountNav(page)).toContainText('Rue Member');

  await open(otherPage, '/pigeon/threads', js);
  await expect(otherPage).toHaveURL(/\/login/);
  await logIn(otherPage, email, 'old-password-1');
  await expect(otherPage.getByRole('alert')).toContainText('do not match');
  await logIn(otherPage, email, 'new-password-22');
  await expect(accountNav(otherPage)).toContainText('Rue Member');
  expect(otherErrors).toEqual([]);
  await other.close();

  await open(page, link, js);
  await expect(page.getByRole('heading', { name: 'This link no longer works' })).toBeVisible();
});

test('asking to reset an unknown address answers the same and sends nothing', async ({ page }, info) => {
  const js = jsOn(info.project.name);
  const email = `nobody-${info.project.name}-${Date.now()}@example.com`;
  await open(page, '/password/forgot', js);
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Email me a link' }).click();
  await expect(page.getByRole('status')).toContainText('If an account uses that address');
  await page.waitForTimeout(1500);
  expect((await allMail()).filter((m) => m.to === email)).toHaveLength(0);
});
