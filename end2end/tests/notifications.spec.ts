import { test, expect, open, logIn, jsOn, accountNav } from './fixtures';
import { waitForMail, linkIn } from './mail';

test('a new direct message is emailed to the recipient with a link that opens it', async ({ page }, info) => {
  const js = jsOn(info.project.name);
  const subject = `Invoice question ${info.project.name} ${Date.now()}`;
  await open(page, '/login', js);
  await logIn(page, 'ann@example.com', 'member-password-1');
  await expect(accountNav(page)).toContainText('Ann Member');
  await open(page, '/pigeon/threads?q=Bob', js);
  await page.getByLabel('Members I choose').check();
  await page.getByRole('checkbox', { name: 'Bob Member' }).check();
  await page.getByLabel('Subject').fill(subject);
  await page.getByLabel('Message', { exact: true }).fill('Could you check <b>this</b> & that?');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByRole('heading', { name: subject })).toBeVisible();

  const mail = await waitForMail('bob@example.com', subject);
  expect(mail.subject).toMatch(/^Re: /);
  expect(mail.headers).toMatch(/In-Reply-To: <pigeon\.thread\.\d+@127\.0\.0\.1>/);
  expect(mail.headers).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
  expect(mail.text).toContain('Could you check <b>this</b> & that?');
  expect(mail.html).toContain('Could you check &lt;b&gt;this&lt;/b&gt; &amp; that?');
  const link = linkIn(mail, '/pigeon/threads/');

  const bob = await page.context().browser()!.newContext({ javaScriptEnabled: js });
  const bobPage = await bob.newPage();
  await bobPage.goto(link);
  await expect(bobPage).toHaveURL(/\/login/);
  await logIn(bobPage, 'bob@example.com', 'member-password-1');
  await expect(accountNav(bobPage)).toContainText('Bob Member');
  await bobPage.goto(link);
  await expect(bobPage.getByRole('heading', { name: subject })).toBeVisible();
  await expect(bobPage.getByText('Could you check <b>this</b> & that?')).toBeVisible();
});
