import { test, expect, open, logIn, jsOn, accountNav, expectAccessible } from './fixtures';

/** Leaves the field being typed in (as Tab would, without landing in another field). */
async function blur(page: any) {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

// Triage with the keyboard only (the shortcuts need JavaScript; without it the pages are
// plain links and forms, which the other journeys cover).
test('staff triage a conversation with the keyboard alone', async ({ page, browser }, info) => {
  const js = jsOn(info.project.name);
  if (!js) return;
  const stamp = `${info.project.name}${Date.now()}`;
  const subject = `Keys ${stamp}`;
  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await open(guest, '/contact', true);
  await guest.getByLabel('Your name').fill('Kay Keys');
  await guest.getByLabel('Email address').fill(`kay-${stamp}@example.com`);
  await guest.getByLabel('Subject').fill(subject);
  await guest.getByLabel('Message', { exact: true }).fill('Typed on a keyboard.');
  await guest.getByRole('button', { name: 'Send message' }).click();
  await expect(guest.getByRole('heading', { name: 'Message received' })).toBeVisible();
  await guestContext.close();

  await open(page, '/login', true);
  await logIn(page, 'admin@example.com', 'admin-password-1');
  await expect(accountNav(page)).toContainText('Ada Admin');
  await open(page, '/admin/pigeon?source=all&sort=activity', true);
  await expect(page.getByText('Press ? for keyboard shortcuts.')).toBeVisible();
  // ? lists the shortcuts; Esc hides them.
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await expectAccessible(page, true);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);
  // / searches; typing there is typing, not shortcuts.
  await page.keyboard.press('/');
  await expect(page.getByLabel('Search')).toBeFocused();
  await page.keyboard.type('jk');
  await expect(page.getByLabel('Search')).toHaveValue('jk');
  await page.getByLabel('Search').fill('');
  await blur(page);
  // j chooses the first conversation (the newest: this one), o opens it.
  await page.keyboard.press('j');
  await expect(page.getByRole('link', { name: subject })).toBeFocused();
  await page.keyboard.press('o');
  await expect(page.getByRole('heading', { name: subject })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  // a assigns it to me, c closes it.
  await page.keyboard.press('a');
  await expect(page.locator('#assignee-select')).toHaveValue(/\d+/);
  await expect(page.locator('#assignee-select option:checked')).toHaveText('Ada Admin');
  await page.keyboard.press('c');
  await expect(page.locator('.thread-meta .status')).toHaveText('Closed');
  // n starts a note, r a reply, in the message box.
  await page.keyboard.press('n');
  await expect(page.getByLabel('Message', { exact: true })).toBeFocused();
  await expect(page.getByLabel(/Internal note/)).toBeChecked();
  await blur(page);
  await page.keyboard.press('r');
  await expect(page.getByLabel(/Internal note/)).not.toBeChecked();
  await expect(page.getByLabel('Message', { exact: true })).toBeFocused();
  // g then i goes back to the inbox.
  await blur(page);
  await page.keyboard.press('g');
  await page.keyboard.press('i');
  await expect(page).toHaveURL(/\/admin\/pigeon$/);
});
