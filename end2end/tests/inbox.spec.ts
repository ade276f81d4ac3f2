import { test, expect, open, logIn, jsOn, accountNav, expectAccessible } from './fixtures';
import { waitForMail, linkIn } from './mail';

test('staff answer from the inbox: note, reply and close, assign to a colleague, trash and restore', async ({ page, browser }, info) => {
  const js = jsOn(info.project.name);
  const stamp = `${info.project.name}${Date.now()}`;
  const guestEmail = `gwen-${stamp}@example.com`;
  const subject = `Refund ${stamp}`;

  // A visitor writes in.
  const guestContext = await browser.newContext({ javaScriptEnabled: js });
  const guest = await guestContext.newPage();
  await open(guest, '/contact', js);
  await guest.getByLabel('Your name').fill('Gwen Guest');
  await guest.getByLabel('Email address').fill(guestEmail);
  await guest.getByLabel('Subject').fill(subject);
  await guest.getByLabel('Message', { exact: true }).fill('I would like my money back.');
  await guest.getByRole('button', { name: 'Send message' }).click();
  await expect(guest.getByRole('heading', { name: 'Message received' })).toBeVisible();
  await guestContext.close();

  // The admin sees the badge and the widget, and opens the thread from the widget.
  await open(page, '/login', js);
  await logIn(page, 'admin@example.com', 'admin-password-1');
  await expect(accountNav(page).getByRole('link', { name: /^Admin, \d+ awaiting a reply$/ })).toBeVisible();
  await open(page, '/admin', js);
  await expect(page.getByRole('link', { name: 'Open inbox' })).toBeVisible();
  await page.getByRole('link', { name: subject }).click();
  await expect(page.getByRole('heading', { name: subject })).toBeVisible();
  if (js) await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await expectAccessible(page, js);

  // An internal note, then a reply that closes the thread.
  await page.getByLabel('Message', { exact: true }).fill(`NOTE-${stamp} check the order first`);
  await page.getByLabel(/Internal note/).check();
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByText(`NOTE-${stamp} check the order first`)).toBeVisible();
  await page.getByLabel('Message', { exact: true }).fill('Your refund is on its way.');
  await page.getByLabel('Reply to the customer').check();
  await page.getByLabel('Status after sending').selectOption('closed');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByText('Your refund is on its way.')).toBeVisible();
  await expect(page.locator('.thread-meta .status')).toHaveText('Closed');

  // Assigned to a colleague, who is emailed.
  await page.getByRole('combobox', { name: 'Assignee' }).selectOption({ label: 'Sam Staff' });
  // With JavaScript the choice applies at once; without it, by its button.
  if (!js) await page.getByRole('button', { name: 'Assign', exact: true }).click();
  await expect(page.getByText('assigned this thread to Sam Staff')).toBeVisible();
  const assigned = await waitForMail('staff@example.com', `Assigned to you: ${subject}`);
  expect(linkIn(assigned, '/admin/pigeon/threads/')).toContain('/admin/pigeon/threads/');

  // The guest gets the reply, never the note.
  const reply = await waitForMail(guestEmail, 'Your refund is on its way.');
  expect(reply.text).not.toContain('NOTE-');

  // The inbox finds it by the guest's address; it goes to the Trash and comes back.
  await open(page, `/admin/pigeon?source=all&q=${encodeURIComponent(guestEmail)}`, js);
  await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: subject });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Closed');
  await expect(row).toContainText('Sam Staff');
  await expectAccessible(page, js);
  await page.getByRole('checkbox', { name: `Choose “${subject}”` }).check();
  await page.getByLabel('Action').selectOption('trash');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('No threads match your search.')).toBeVisible();
  await expect(page).toHaveURL(/q=gwen/);

  await page.getByRole('navigation', { name: 'Inbox views' }).getByRole('link', { name: 'Trash' }).click();
  await expect(page.getByRole('heading', { name: 'Trash' })).toBeVisible();
  await page.getByLabel('Search').fill(guestEmail);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('row').filter({ hasText: subject })).toHaveCount(1);
  await page.getByRole('checkbox', { name: `Choose “${subject}”` }).check();
  await page.getByLabel('Action').selectOption('restore');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('No threads match your search.')).toBeVisible();

  await open(page, `/admin/pigeon?source=closed&q=${encodeURIComponent(subject)}`, js);
  await expect(page.getByRole('row').filter({ hasText: subject })).toHaveCount(1);
});
