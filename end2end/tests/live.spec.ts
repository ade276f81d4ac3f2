import { test, expect, open, logIn, jsOn, accountNav, staffSession, collectErrors } from './fixtures';

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

/** Holds the page's posts to `path` until `release` is called; `held` resolves once one is held. */
async function holdPosts(page: any, path: string) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let held!: () => void;
  const heldOne = new Promise<void>((r) => (held = r));
  await page.route(`**${path}`, async (route: any) => {
    if (route.request().method() !== 'POST') return route.continue();
    held();
    await gate;
    await route.continue();
  });
  return { held: heldOne, release };
}

// A reply still on its way when a colleague's message redraws the conversation lands, and the
// page stays whole (the answer reaches the page, not the form that was redrawn away).
test('a reply sent while the conversation is redrawn lands once, on the staff and the member page', async ({ page, browser }, info) => {
  const js = jsOn(info.project.name);
  if (!js) return; // Without JavaScript nothing redraws a page.
  const stamp = `${info.project.name}${Date.now()}`;

  // Staff: the admin's reply is held while Sam's note redraws the conversation.
  await contact(browser, js, `rita-${stamp}@example.com`, `Redrawn ${stamp}`, 'A question');
  await open(page, '/login', js);
  await logIn(page, 'admin@example.com', 'admin-password-1');
  await expect(accountNav(page)).toContainText('Ada Admin');
  await open(page, '/admin/pigeon?source=all', js);
  await page.getByRole('link', { name: `Redrawn ${stamp}` }).click();
  await expect(page.getByRole('heading', { name: `Redrawn ${stamp}` })).toBeVisible();
  const url = page.url();
  const sam = await staffSession(browser, js);
  await open(sam.page, url, js);
  const hold = await holdPosts(page, '/actions/pigeon/admin/reply');
  await page.getByLabel('Message', { exact: true }).fill(`ADA-${stamp} on its way`);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await hold.held;
  await sam.page.getByLabel(/Internal note/).check();
  await sam.page.getByLabel('Message', { exact: true }).fill(`SAM-${stamp} meanwhile`);
  await sam.page.getByRole('button', { name: 'Send', exact: true }).click();
  // The page redraws once nothing is being chosen: the focus leaves the Send button.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await expect(page.locator('.message').filter({ hasText: `SAM-${stamp}` })).toHaveCount(1, { timeout: 8000 });
  hold.release();
  await expect(page.locator('.message').filter({ hasText: `ADA-${stamp}` })).toHaveCount(1, { timeout: 8000 });
  await expect(page.getByLabel('Message', { exact: true })).toHaveValue('');
  expect(sam.errors).toEqual([]);
  await sam.context.close();

  // Member: Bob's reply is held while Ann's redraws their direct conversation.
  const member = async (email: string) => {
    const context = await browser.newContext();
    const p = await context.newPage();
    await open(p, '/login', js);
    await logIn(p, email, 'member-password-1');
    await expect(accountNav(p).getByRole('link', { name: /^Messages/ })).toBeVisible();
    return { context, p };
  };
  const ann = await member('ann@example.com');
  await open(ann.p, '/pigeon/threads', js);
  await ann.p.getByLabel('Find members by name').fill('Bob');
  await ann.p.getByLabel('Members I choose').check();
  await ann.p.getByRole('checkbox', { name: 'Bob Member' }).check();
  await ann.p.getByLabel('Subject').fill(`Redrawn ${stamp}`);
  await ann.p.getByLabel('Message', { exact: true }).fill('Are you there?');
  await ann.p.getByRole('button', { name: 'Send' }).click();
  await expect(ann.p.getByRole('heading', { name: `Redrawn ${stamp}` })).toBeVisible();
  const bob = await member('bob@example.com');
  const annErrors: string[] = [];
  const bobErrors: string[] = [];
  collectErrors(ann.p, annErrors);
  collectErrors(bob.p, bobErrors);
  await open(bob.p, ann.p.url().replace(/^https?:\/\/[^/]+/, ''), js);
  const bobHold = await holdPosts(bob.p, '/actions/pigeon/messages/reply');
  await bob.p.getByLabel('Your message').fill(`BOB-${stamp} on its way`);
  await bob.p.getByRole('button', { name: 'Send reply' }).click();
  await bobHold.held;
  await ann.p.getByLabel('Your message').fill(`ANN-${stamp} meanwhile`);
  await ann.p.getByRole('button', { name: 'Send reply' }).click();
  await bob.p.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await expect(bob.p.getByRole('listitem').filter({ hasText: `ANN-${stamp}` })).toHaveCount(1, { timeout: 8000 });
  bobHold.release();
  await expect(bob.p.getByRole('listitem').filter({ hasText: `BOB-${stamp}` })).toHaveCount(1, { timeout: 8000 });
  await expect(bob.p.getByLabel('Your message')).toHaveValue('');
  expect(annErrors).toEqual([]);
  expect(bobErrors).toEqual([]);
  await ann.context.close();
  await bob.context.close();
});
