import { test, expect, open, logIn, jsOn, accountNav, expectAccessible } from './fixtures';
import { allMail, waitForMail } from './mail';
import type { Browser, Page } from '@playwright/test';

/** A guest writes in through the contact form (in a context of their own). */
async function guestWritesIn(browser: Browser, name: string, email: string, subject: string) {
  const context = await browser.newContext();
  const guest = await context.newPage();
  await open(guest, '/contact', false);
  await guest.getByLabel('Your name').fill(name);
  await guest.getByLabel('Email address').fill(email);
  await guest.getByLabel('Subject').fill(subject);
  await guest.getByLabel('Message', { exact: true }).fill('Hello, a question for you.');
  await guest.getByRole('button', { name: 'Send message' }).click();
  await expect(guest.getByRole('heading', { name: 'Message received' })).toBeVisible();
  await context.close();
}

/** Ada Admin logs in; the inbox's search finds `subject`, whose conversation opens. */
async function adaOpens(page: Page, subject: string, js: boolean) {
  await open(page, '/login', js);
  await logIn(page, 'admin@example.com', 'admin-password-1');
  await expect(accountNav(page)).toContainText('Ada Admin');
  await open(page, `/admin/pigeon?source=all&q=${encodeURIComponent(subject)}`, js);
  await page.getByRole('link', { name: subject }).click();
  await expect(page.getByRole('heading', { name: subject })).toBeVisible();
  if (js) await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

test('a saved reply is inserted, filled for the customer, and sent', async ({ page, browser }, info) => {
  const js = jsOn(info.project.name);
  const stamp = `${info.project.name}${Date.now()}`;
  const subject = `Saved ${stamp}`;
  const guestEmail = `gwen-${stamp}@example.com`;
  await guestWritesIn(browser, 'Gwen Saved', guestEmail, subject);
  await adaOpens(page, subject, js);

  // Two saved replies: one every conversation can fill, one a guest's cannot.
  await open(page, '/admin/pigeon/saved-replies', js);
  await expect(page.getByRole('heading', { name: 'Saved replies', exact: true })).toBeVisible();
  for (const [title, body] of [
    [`Ships ${stamp}`, 'Hi {{customer_first_name}}, it ships in 2 days. {{agent_name}}'],
    [`Link ${stamp}`, 'Read it at {{conversation_link}}'],
  ]) {
    // (Each saved reply's own edit form, folded away, has fields of the same names.)
    await page.getByRole('textbox', { name: 'Title', exact: true }).fill(title);
    await page.getByRole('textbox', { name: 'Text', exact: true }).fill(body);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByRole('heading', { name: title })).toBeVisible();
  }
  await expectAccessible(page, js);

  await open(page, `/admin/pigeon?source=all&q=${encodeURIComponent(subject)}`, js);
  await page.getByRole('link', { name: subject }).click();
  await expect(page.getByRole('heading', { name: subject })).toBeVisible();
  if (js) await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  const box = page.getByLabel('Message', { exact: true });
  const insert = async (title: string) => {
    if (js) {
      await page.getByLabel('Insert a saved reply').fill(title.slice(0, 5));
      await page.getByRole('button', { name: title }).click();
    } else {
      await page.getByLabel('Insert a saved reply').selectOption({ label: title });
      await page.getByRole('button', { name: 'Insert' }).click();
    }
  };
  // A variable without a value stays visible, and the reply is refused until it is fixed.
  await insert(`Link ${stamp}`);
  await expect(box).toHaveValue('Read it at {{conversation_link}}');
  await expectAccessible(page, js);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByText('{{conversation_link}} has no value in this conversation')).toBeVisible();
  await expect(box).toHaveValue('Read it at {{conversation_link}}');

  await box.fill('');
  await insert(`Ships ${stamp}`);
  await expect(box).toHaveValue('Hi Gwen, it ships in 2 days. Ada Admin');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.locator('.message').getByText('Hi Gwen, it ships in 2 days. Ada Admin')).toBeVisible();
  const mail = await waitForMail(guestEmail, 'it ships in 2 days');
  expect(mail.text).toContain('Hi Gwen, it ships in 2 days. Ada Admin');
});

test('a mention in a note emails the colleague who may read it, and only them', async ({ page, browser }, info) => {
  const js = jsOn(info.project.name);
  const stamp = `${info.project.name}${Date.now()}`;
  const subject = `Mention ${stamp}`;
  await guestWritesIn(browser, 'Mia Mention', `mia-${stamp}@example.com`, subject);
  await adaOpens(page, subject, js);
  await page.getByLabel('Internal note').check();
  const box = page.getByLabel('Message', { exact: true });
  if (js) {
    // @ suggests the colleagues who may read conversations; Sky may not.
    await box.pressSequentially('NOTE-' + stamp + ' ask @Sa');
    await page.getByRole('button', { name: '@Sam Staff' }).click();
    await expect(box).toHaveValue(`NOTE-${stamp} ask @Sam Staff `);
    await box.pressSequentially('and @Sk');
    await expect(page.getByRole('button', { name: '@Sky Settings' })).toHaveCount(0);
    await box.pressSequentially('y Settings too');
    await expectAccessible(page, js);
  } else {
    await box.fill(`NOTE-${stamp} ask @Sam Staff and @Sky Settings too`);
  }
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByText('not everyone you mentioned was told')).toBeVisible();
  await expect(page.locator('.message.note').getByText(`NOTE-${stamp}`)).toBeVisible();
  const sam = await waitForMail('staff@example.com', `NOTE-${stamp}`);
  expect(sam.text).toContain('ask @Sam Staff');
  const others = (await allMail()).filter((m) => m.text.includes(`NOTE-${stamp}`) && m.to !== 'staff@example.com');
  expect(others.map((m) => m.to)).toEqual([]);
});

test('Trash and bulk changes can be undone', async ({ page, browser }, info) => {
  const js = jsOn(info.project.name);
  const stamp = `${info.project.name}${Date.now()}`;
  const subject = `Undo ${stamp}`;
  await guestWritesIn(browser, 'Uma Undo', `uma-${stamp}@example.com`, subject);
  await adaOpens(page, subject, js);
  await page.getByRole('button', { name: 'Move to the Trash' }).click();
  await expect(page.getByText('This thread is in the Trash.').first()).toBeVisible();
  await expectAccessible(page, js);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByText('Undone: everything is back as it was.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Move to the Trash' })).toBeVisible();
  await expect(page.locator('.message.event').getByText('restored this thread from the Trash')).toBeVisible();

  // A bulk close from the inbox, undone: the conversation needs a reply again.
  await open(page, `/admin/pigeon?source=all&q=${encodeURIComponent(subject)}`, js);
  const row = page.getByRole('row').filter({ hasText: subject });
  await expect(row).toContainText('Needs reply');
  await page.getByRole('checkbox', { name: `Choose “${subject}”` }).check();
  if (js) await expect(page.getByText('1 chosen')).toBeVisible();
  await page.getByLabel('Action').selectOption('closed');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('Done: the chosen threads were updated.')).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: subject })).toContainText('Closed');
  await expectAccessible(page, js);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByText('Undone: everything is back as it was.')).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: subject })).toContainText('Needs reply');
});

test('a 200-message conversation opens at its newest message with the reply box in view', async ({ page, browser, baseURL }, info) => {
  const js = jsOn(info.project.name);
  const stamp = `${info.project.name}${Date.now()}`;
  const subject = `Long ${stamp}`;
  await guestWritesIn(browser, 'Lon Long', `lon-${stamp}@example.com`, subject);
  await open(page, '/login', js);
  await logIn(page, 'admin@example.com', 'admin-password-1');
  await expect(accountNav(page)).toContainText('Ada Admin');
  await open(page, `/admin/pigeon?source=all&q=${encodeURIComponent(subject)}`, js);
  const href = await page.getByRole('link', { name: subject }).getAttribute('href');
  expect(href).toMatch(/#latest$/);
  const id = href!.match(/threads\/(\d+)/)![1];
  for (let n = 1; n <= 199; n++) {
    const res = await page.request.post('/actions/pigeon/admin/reply', {
      form: { thread_id: id, body: `Reply number ${n} of the long one`, is_internal_note: n % 10 === 0 ? 'true' : 'false' },
      headers: { Origin: baseURL!, Accept: 'application/json' },
      maxRedirects: 0,
    });
    expect(res.status(), await res.text()).toBeLessThan(400);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByRole('link', { name: subject }).click();
  await expect(page.getByRole('heading', { name: subject })).toBeAttached();
  await expect(page.getByText('Reply number 199 of the long one')).toBeInViewport();
  await expect(page.getByRole('link', { name: /Show 1\d\d earlier messages/ })).toBeAttached();
  const composerTop = await page.locator('#composer').evaluate((el) => el.getBoundingClientRect().top);
  expect(composerTop).toBeLessThan(900);
});

test('on a 390 px phone the inbox and the conversation fit the screen, light and dark', async ({ page, browser }, info) => {
  const js = jsOn(info.project.name);
  const stamp = `${info.project.name}${Date.now()}`;
  const subject = `Phone ${stamp} with a subject long enough to need the whole width of a small screen`;
  await guestWritesIn(browser, 'Pia Phone', `pia-${stamp}@example.com`, subject);
  await page.setViewportSize({ width: 390, height: 844 });
  await adaOpens(page, subject, js);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    // Status and assignee come before the conversation on a phone.
    const controls = await page.locator('.staff-thread-controls').boundingBox();
    const messages = await page.locator('.messages').boundingBox();
    expect(controls!.y).toBeLessThan(messages!.y);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: info.outputPath(`phone-thread-${scheme}.png`), fullPage: true });
    await expectAccessible(page, js);
    await open(page, '/admin/pigeon?source=all', js);
    await expect(page.getByRole('link', { name: subject })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: info.outputPath(`phone-inbox-${scheme}.png`) });
    await expectAccessible(page, js);
    await page.getByRole('link', { name: subject }).click();
    await expect(page.getByRole('heading', { name: subject })).toBeVisible();
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await open(page, '/admin/pigeon?source=all', js);
    await page.screenshot({ path: info.outputPath(`desktop-inbox-${scheme}.png`) });
  }
});

test('times are the viewer’s own on the server render too, so nothing changes at hydration', async ({ browser }, info) => {
  const js = jsOn(info.project.name);
  if (!js) return; // the zone is learnt by the page's first script
  const stamp = `${info.project.name}${Date.now()}`;
  const subject = `Zone ${stamp}`;
  await guestWritesIn(browser, 'Zed Zone', `zed-${stamp}@example.com`, subject);
  const context = await browser.newContext({ timezoneId: 'Asia/Tokyo' });
  const page = await context.newPage();
  await adaOpens(page, subject, true);
  expect((await context.cookies()).find((c) => c.name === 'pigeon_tz')?.value).toBe('Asia%2FTokyo');
  const shown = (await page.locator('.message-meta time').first().textContent())!.trim();
  expect(shown).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
  // What the server sends is what the page shows: nothing to change once it is hydrated.
  const html = await (await page.request.get(page.url())).text();
  expect(html).toContain(`>${shown}<`);
  expect(html).not.toContain(`>${shown} UTC<`);
  // A browser the server knows nothing of yet gets UTC, labelled.
  await context.clearCookies({ name: 'pigeon_tz' });
  const utc = await (await page.request.get(page.url())).text();
  expect(utc).toMatch(/>\d{4}-\d\d-\d\d \d\d:\d\d UTC(<!>)?<\/time>/);
  await context.close();
});
