import { test, expect, open, logIn, jsOn, staffSession, accountNav } from './fixtures';
import { waitForMail, linkIn, sendToPigeon } from './mail';

async function contact(browser: any, js: boolean, email: string, subject: string, text: string) {
  const context = await browser.newContext({ javaScriptEnabled: js });
  const guest = await context.newPage();
  await open(guest, '/contact', js);
  await guest.getByLabel('Your name').fill('Rita Replier');
  await guest.getByLabel('Email address').fill(email);
  await guest.getByLabel('Subject').fill(subject);
  await guest.getByLabel('Message', { exact: true }).fill(text);
  await guest.getByRole('button', { name: 'Send message' }).click();
  await expect(guest.getByRole('heading', { name: 'Message received' })).toBeVisible();
  await context.close();
}

function reply(from: string, to: string, subject: string, text: string, quoted: string) {
  return [
    `From: ${from}`,
    `To: ${to}`,
    `Subject: Re: ${subject}`,
    `Message-ID: <${Date.now()}.${Math.random().toString(36).slice(2)}@mail.example.com>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    text,
    '',
    'On Wed, Dec 2, 2026 at 10:00 AM Pigeon <pigeon@localhost> wrote:',
    `> ${quoted}`,
  ].join('\n');
}

// Pressing Reply in a mail client: the customer's answer appears on the staff page, the
// staff member's answer on the customer's page; only the new text, never the quote.
test('replies by email reach the conversation from both sides', async ({ page, browser }, info) => {
  const js = jsOn(info.project.name);
  const stamp = `${info.project.name}${Date.now()}`;
  const email = `rita-${stamp}@example.com`;
  const subject = `Mailed ${stamp}`;
  await contact(browser, js, email, subject, 'My order is late');

  // The team's alert can be answered: Sam replies from his mail client.
  const alert = await waitForMail('staff@example.com', subject);
  expect(alert.replyTo).toMatch(/^reply\+.+@reply\.pigeon\.test$/);
  expect(alert.text).toContain('Reply to this email');
  const sent = await sendToPigeon('staff@example.com', alert.replyTo,
    reply('Sam Staff <staff@example.com>', alert.replyTo, subject, `It left today, Rita ${stamp}.`, 'My order is late'));
  expect(sent).toMatch(/^250/);

  // Rita reads it through her link, then answers the email she got.
  const answer = await waitForMail(email, `It left today, Rita ${stamp}`);
  expect(answer.replyTo).toMatch(/^reply\+.+@reply\.pigeon\.test$/);
  await open(page, linkIn(answer, '/pigeon/t/'), js);
  await expect(page.getByText(`It left today, Rita ${stamp}.`)).toBeVisible();
  await expect(page.getByText('My order is late')).toHaveCount(1);
  await sendToPigeon(email, answer.replyTo,
    reply(`Rita <${email}>`, answer.replyTo, subject, `Thanks, it arrived ${stamp}!`, `It left today, Rita ${stamp}.`));

  // Sam sees it on the conversation, marked as come by email.
  const { context, page: staff } = await staffSession(browser, js);
  await open(staff, linkIn(alert, '/admin/pigeon/threads/'), js);
  await expect(staff.getByText(`Thanks, it arrived ${stamp}!`)).toBeVisible({ timeout: 10_000 });
  await expect(staff.getByText('by email ·').first()).toBeVisible();
  await context.close();
  // The quoted text was not posted again.
  await open(page, linkIn(answer, '/pigeon/t/'), js);
  await expect(page.getByText(`Thanks, it arrived ${stamp}!`)).toBeVisible();
  await expect(page.getByText(`It left today, Rita ${stamp}.`)).toHaveCount(1);
});

// A reply sent with someone else's reply address is held; an admin attaches it.
test('an admin attaches a held message from the Inbound page', async ({ page, browser }, info) => {
  const js = jsOn(info.project.name);
  const stamp = `${info.project.name}${Date.now()}`;
  const email = `tom-${stamp}@example.com`;
  const subject = `Held ${stamp}`;
  await contact(browser, js, email, subject, 'First question');
  const received = await waitForMail(email, 'We received your message');
  expect(received.replyTo).not.toBe('');
  await sendToPigeon('tom.at.work@example.org', received.replyTo,
    reply(`Tom <tom.at.work@example.org>`, received.replyTo, subject, `From my work address ${stamp}`, 'First question'));

  await open(page, '/login', js);
  await logIn(page, 'admin@example.com', 'admin-password-1');
  await expect(accountNav(page)).toContainText('Ada Admin');
  await open(page, '/admin/pigeon/inbound?state=held', js);
  const item = page.locator('li.inbound-item', { hasText: `Re: ${subject}` });
  await expect(item).toBeVisible({ timeout: 10_000 });
  await expect(item).toContainText('Held for review');
  await expect(item).toContainText(`belongs to ${email}`);
  const thread = await item.getByRole('link', { name: /^conversation #\d+$/ }).textContent();
  const id = thread!.replace(/\D/g, '');
  await item.getByLabel('Conversation #').fill(id);
  await item.getByRole('button', { name: 'Attach' }).click();
  await expect(page.getByText('Done: the message shows what became of it.')).toBeVisible();
  await open(page, `/admin/pigeon/threads/${id}`, js);
  await expect(page.getByText(`From my work address ${stamp}`)).toBeVisible();
});
