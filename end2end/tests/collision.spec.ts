import { test, expect, open, logIn, jsOn, accountNav, staffSession } from './fixtures';

// Two agents answer the same customer: the second is told before anything is sent, sees the
// first one's answer above their own kept text, and sends anyway only if they still mean to.
test('a colleague answered first: the reply is held with its text, then sent anyway', async ({ page, browser }, info) => {
  const js = jsOn(info.project.name);
  const stamp = `${info.project.name}${Date.now()}`;
  const subject = `Double answer ${stamp}`;

  const guestContext = await browser.newContext({ javaScriptEnabled: js });
  const guest = await guestContext.newPage();
  await open(guest, '/contact', js);
  await guest.getByLabel('Your name').fill('Gwen Guest');
  await guest.getByLabel('Email address').fill(`gwen-${stamp}@example.com`);
  await guest.getByLabel('Subject').fill(subject);
  await guest.getByLabel('Message', { exact: true }).fill('Where is my parcel?');
  await guest.getByRole('button', { name: 'Send message' }).click();
  await expect(guest.getByRole('heading', { name: 'Message received' })).toBeVisible();
  await guestContext.close();

  // Both agents open the conversation.
  await open(page, '/login', js);
  await logIn(page, 'admin@example.com', 'admin-password-1');
  await expect(accountNav(page).getByRole('link', { name: /^Admin, \d+ awaiting a reply$/ })).toBeVisible();
  await open(page, `/admin/pigeon?source=all&q=${encodeURIComponent(subject)}`, js);
  await page.getByRole('link', { name: subject }).click();
  await expect(page.getByRole('heading', { name: subject })).toBeVisible();
  const threadUrl = page.url();
  const sam = await staffSession(browser, js);
  // Sam's live connection is down (with it, the answer would appear on Sam's page as it is
  // sent: live.spec.ts), so the page still shows the conversation as it was.
  if (js) await sam.context.route('**/pigeon/live**', (route) => route.abort());
  await open(sam.page, threadUrl, js);
  await expect(sam.page.getByRole('heading', { name: subject })).toBeVisible();

  // The admin answers first.
  if (js) await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Message', { exact: true }).fill(`ADMIN-${stamp} it left today`);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByText(`ADMIN-${stamp} it left today`)).toBeVisible();

  // Sam, on the page as it was, answers too: held, with the admin's answer shown.
  await sam.page.getByLabel('Message', { exact: true }).fill(`SAM-${stamp} it is on its way`);
  await sam.page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(sam.page.getByText('Someone else wrote while you were writing')).toBeVisible();
  await expect(sam.page.getByText(`ADMIN-${stamp} it left today`)).toBeVisible();
  await expect(sam.page.getByLabel('Message', { exact: true })).toHaveValue(`SAM-${stamp} it is on its way`);
  await expect(sam.page.locator('.message').filter({ hasText: `SAM-${stamp} it is on its way` })).toHaveCount(0);

  // Sending anyway is a deliberate second step.
  await sam.page.getByRole('button', { name: 'Send anyway' }).click();
  await expect(sam.page.locator('.message').filter({ hasText: `SAM-${stamp} it is on its way` })).toHaveCount(1);
  await expect(sam.page.getByText('Someone else wrote while you were writing')).toHaveCount(0);
  expect(sam.errors.filter((e) => !e.includes('/pigeon/live'))).toEqual([]);
  await sam.context.close();
});
