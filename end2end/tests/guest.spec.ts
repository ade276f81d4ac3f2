import { test, expect, open, accountNav, jsOn, staffSession } from './fixtures';
import { waitForMail, linkIn } from './mail';

test('a guest writes in, reads the answer through the emailed link, and replies; the old link still works', async ({ page, browser }, info) => {
  const js = jsOn(info.project.name);
  const stamp = `${info.project.name}-${Date.now()}`;
  const email = `gus-${stamp}@example.com`;
  const subject = `Parcel ${stamp}`;

  // The guest writes in without an account.
  await open(page, '/contact', js);
  await page.getByLabel('Your name').fill('Gus Guest');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Subject').fill(subject);
  await page.getByLabel('Message', { exact: true }).fill('Where is my <parcel>?');
  // The honeypot is out of the accessibility tree and out of sight.
  await expect(page.getByRole('textbox', { name: 'Leave this field empty' })).toHaveCount(0);
  const trap = await page.locator('input[name="pigeon_hp"]').boundingBox();
  expect(trap!.x + trap!.width).toBeLessThanOrEqual(0);
  await page.getByRole('button', { name: 'Send message' }).click();
  await expect(page.getByRole('heading', { name: 'Message received' })).toBeVisible();
  expect(await page.content()).not.toContain('/pigeon/t/');

  const received = await waitForMail(email, 'We received your message');
  expect(received.subject).toBe(`We received your message: ${subject}`);
  const firstLink = linkIn(received, '/pigeon/t/');
  await open(page, firstLink, js);
  await expect(page.getByRole('heading', { name: subject })).toBeVisible();
  await expect(page.getByText('Where is my <parcel>?')).toBeVisible();

  // The team is alerted and answers from the staff inbox, with an internal note first.
  const alert = await waitForMail('staff@example.com', subject);
  const { context: staffContext, page: staff, errors: staffErrors } = await staffSession(browser, js);
  // The nav badge counts it, and the dashboard's widget lists it among the newest.
  await expect(accountNav(staff).getByRole('link', { name: /^Admin, \d+ awaiting a reply$/ })).toBeVisible();
  await open(staff, '/admin', js);
  await expect(staff.getByRole('heading', { name: 'Pigeon Inbox' })).toBeVisible();
  await expect(staff.getByText(/\d+ threads? awaiting a reply/)).toBeVisible();
  await expect(staff.getByRole('link', { name: subject })).toBeVisible();
  await open(staff, linkIn(alert, '/admin/pigeon/threads/'), js);
  await expect(staff.getByRole('heading', { name: subject })).toBeVisible();
  await staff.getByLabel('Message', { exact: true }).fill(`NOTE-${stamp} check the courier`);
  await staff.getByLabel(/Internal note/).check();
  await staff.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(staff.getByText(`NOTE-${stamp} check the courier`)).toBeVisible();
  await staff.getByLabel('Message', { exact: true }).fill('It ships tomorrow, Gus.');
  await staff.getByLabel('Reply to the customer').check();
  await staff.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(staff.getByText('It ships tomorrow, Gus.')).toBeVisible();
  expect(staffErrors).toEqual([]);
  await staffContext.close();

  // The guest is emailed a fresh link; it shows the answer and never the note.
  const answer = await waitForMail(email, 'It ships tomorrow');
  expect(answer.subject).toBe(`Re: ${subject}`);
  expect(answer.text).not.toContain('NOTE-');
  const secondLink = linkIn(answer, '/pigeon/t/');
  expect(secondLink).not.toBe(firstLink);
  await open(page, secondLink, js);
  await expect(page.getByText('It ships tomorrow, Gus.')).toBeVisible();
  await expect(page.getByText(`NOTE-${stamp}`)).toHaveCount(0);
  await page.getByLabel('Your message').fill('Thank you!');
  await page.getByRole('button', { name: 'Send reply' }).click();
  await expect(page.getByRole('status')).toContainText('Your reply was sent.');
  await expect(page.getByText('Thank you!')).toBeVisible();

  // The first link still works.
  await open(page, firstLink, js);
  await expect(page.getByText('Thank you!')).toBeVisible();
});

test('a dead link keeps an unsent reply on screen and offers a fresh link by email', async ({ page }, info) => {
  const js = jsOn(info.project.name);
  await open(page, '/pigeon/t/no-such-link-at-all', js);
  await expect(page.getByRole('heading', { name: 'This link no longer works' })).toBeVisible();
  await page.getByLabel('Email address').fill(`nobody-${info.project.name}-${Date.now()}@example.com`);
  await page.getByRole('button', { name: 'Email me a link' }).click();
  await expect(page.getByRole('status')).toContainText('If that address has conversations with us');
});

test('a link scanner opening the guest link leaves "Seen" unset until the guest sees the page', async ({ page, browser, request }, info) => {
  const js = jsOn(info.project.name);
  const stamp = `${info.project.name}-${Date.now()}`;
  const email = `sia-${stamp}@example.com`;
  const subject = `Scanned ${stamp}`;
  await open(page, '/contact', js);
  await page.getByLabel('Your name').fill('Sia Scanned');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Subject').fill(subject);
  await page.getByLabel('Message', { exact: true }).fill('Is my order late?');
  await page.getByRole('button', { name: 'Send message' }).click();
  await expect(page.getByRole('heading', { name: 'Message received' })).toBeVisible();

  const alert = await waitForMail('staff@example.com', subject);
  const { context: staffContext, page: staff, errors: staffErrors } = await staffSession(browser, js);
  const staffLink = linkIn(alert, '/admin/pigeon/threads/');
  await open(staff, staffLink, js);
  await staff.getByLabel('Message', { exact: true }).fill(`Not late ${stamp}.`);
  await staff.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(staff.getByText(`Not late ${stamp}.`)).toBeVisible();

  // A mail scanner fetches the link in the answer, as scanners do: HEAD, then GET.
  const answer = await waitForMail(email, `Not late ${stamp}`);
  const link = linkIn(answer, '/pigeon/t/');
  const scanner = { 'user-agent': 'Mozilla/5.0 (compatible; LinkScanner/1.0)' };
  expect((await request.head(link, { headers: scanner })).status()).toBe(200);
  expect((await request.get(link, { headers: scanner })).status()).toBe(200);
  await open(staff, staffLink, js);
  await expect(staff.getByText('Seen by Sia Scanned')).toHaveCount(0);

  // The guest's own browser shows the page: with JavaScript it says so at once; without,
  // the guest's reply does.
  await open(page, link, js);
  await expect(page.getByText(`Not late ${stamp}.`)).toBeVisible();
  if (!js) {
    await page.getByLabel('Your message').fill('Thanks!');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await expect(page.getByRole('status')).toContainText('Your reply was sent.');
  }
  await expect(async () => {
    await open(staff, staffLink, js);
    await expect(staff.getByText('Seen by Sia Scanned')).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  expect(staffErrors).toEqual([]);
  await staffContext.close();
});
