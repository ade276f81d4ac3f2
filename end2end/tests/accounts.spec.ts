import { test, expect, open, logIn, accountNav, jsOn } from './fixtures';

test('a visitor registers, logs out, logs in again and never sees the staff link', async ({ page }, info) => {
  const js = jsOn(info.project.name);
  const email = `mia-${info.project.name}-${Date.now()}@example.com`;
  await open(page, '/register', js);
  // With JavaScript, the journey must not reload the page: this marker would vanish.
  if (js) await page.evaluate(() => ((window as any).__samePage = true));
  await page.getByLabel('Your name').fill('Mia Member');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill('member-password-1');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/login(\?.*)?$/);
  await expect(page.getByRole('status')).toContainText('Thanks for registering');

  await logIn(page, email, 'member-password-1');
  await expect(accountNav(page)).toContainText('Mia Member');
  await expect(page.getByRole('status')).toContainText('Welcome back, Mia Member.');
  await expect(accountNav(page).getByRole('link', { name: 'Admin' })).toHaveCount(0);
  if (js) expect(await page.evaluate(() => (window as any).__samePage)).toBe(true);

  await accountNav(page).getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('status')).toContainText('You have logged out.');
  await expect(accountNav(page).getByRole('link', { name: 'Log in' })).toBeVisible();
  await expect(accountNav(page)).not.toContainText('Mia Member');

  await accountNav(page).getByRole('link', { name: 'Log in' }).click();
  await logIn(page, email, 'member-password-1');
  await expect(accountNav(page)).toContainText('Mia Member');
});

test('a member is refused the staff dashboard', async ({ page }, info) => {
  const js = jsOn(info.project.name);
  const email = `max-${info.project.name}-${Date.now()}@example.com`;
  await open(page, '/register', js);
  await page.getByLabel('Your name').fill('Max Member');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill('member-password-2');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/login(\?.*)?$/);
  await logIn(page, email, 'member-password-2');
  await expect(accountNav(page)).toContainText('Max Member');
  const response = await page.goto('/admin');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'Staff only' })).toBeVisible();
});

test('staff see the staff link and reach the dashboard', async ({ page }, info) => {
  const js = jsOn(info.project.name);
  await open(page, '/login', js);
  await logIn(page, 'staff@example.com', 'staff-password-1');
  await expect(page).toHaveURL(/\/admin(\?.*)?$/);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(accountNav(page).getByRole('link', { name: 'Admin' })).toBeVisible();
  await expect(page.getByText('manage_threads')).toBeVisible();
});

test('a wrong password shows one clear message and keeps the email typed', async ({ page }, info) => {
  const js = jsOn(info.project.name);
  await open(page, '/login', js);
  await logIn(page, 'staff@example.com', 'not-the-password');
  await expect(page.getByRole('alert')).toHaveText(
    'That email and password do not match an active account.',
  );
  await expect(page.getByLabel('Email address')).toHaveValue('staff@example.com');
  await expect(accountNav(page).getByRole('link', { name: 'Log in' })).toBeVisible();
});

test('visitors are sent to the login page from the dashboard', async ({ page }, info) => {
  await open(page, '/admin', jsOn(info.project.name));
  await expect(page).toHaveURL(/\/login(\?.*)?$/);
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
});
