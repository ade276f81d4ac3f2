import { test, expect, open, jsOn, expectAccessible, staffSession } from './fixtures';
import { waitForMail, linkIn } from './mail';

// A real 1×1 PNG and a small PDF.
const png = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f0005000100ff89993d1d0000000049454e44ae426082',
  'hex',
);
const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

test('a guest attaches files, a refused one is named, staff answer with a file, and downloads follow the rules', async ({ page, browser }, info) => {
  const js = jsOn(info.project.name);
  const stamp = `${info.project.name}-${Date.now()}`;
  const email = `fay-${stamp}@example.com`;
  const subject = `Broken print ${stamp}`;

  // A file that is not what its name says is refused by name; the typed text stays.
  await open(page, '/contact', js);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Subject').fill(subject);
  await page.getByLabel('Message', { exact: true }).fill('The printout is garbled, see attached.');
  await expect(page.getByText(/Up to 5 files of at most 10 MB each/)).toBeVisible();
  const files = page.getByLabel('Attach files');
  await files.setInputFiles([
    { name: 'page.txt', mimeType: 'text/plain', buffer: Buffer.from('<html><script>alert(1)</script></html>') },
  ]);
  if (js) {
    // The chosen files are listed with their sizes before anything is sent.
    await expect(page.getByRole('list', { name: 'Chosen files' })).toContainText('page.txt');
    await expect(page.getByRole('list', { name: 'Chosen files' })).toContainText('bytes');
  }
  await page.getByRole('button', { name: 'Send message' }).click();
  await expect(page.getByRole('alert')).toContainText('\u201cpage.txt\u201d is not plain text as its name says');
  await expect(page.getByLabel('Message', { exact: true })).toHaveValue('The printout is garbled, see attached.');
  await expect(page.getByLabel('Email address')).toHaveValue(email);

  // With good files it goes through.
  await page.getByLabel('Attach files').setInputFiles([
    { name: 'screen shot.png', mimeType: 'image/png', buffer: png },
    { name: 'invoice.pdf', mimeType: 'application/pdf', buffer: pdf },
  ]);
  await page.getByRole('button', { name: 'Send message' }).click();
  await expect(page.getByRole('heading', { name: 'Message received' })).toBeVisible();

  // The receipt goes to whatever address was typed: it repeats nothing the sender wrote,
  // files and their names included; they are behind the private link.
  const received = await waitForMail(email, 'We received your message');
  expect(received.text).not.toContain('screen shot.png');
  expect(received.raw).not.toContain('Content-Disposition: attachment');
  await open(page, linkIn(received, '/pigeon/t/'), js);
  const attached = page.getByRole('list', { name: 'Attached files' });
  await expect(attached).toContainText('invoice.pdf');
  // The image shows as a thumbnail, loaded through the authorised route.
  const thumb = attached.locator('img.thumb');
  await expect(thumb).toHaveCount(1);
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
  // A download keeps its name.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    attached.getByRole('link', { name: /invoice\.pdf/ }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('invoice.pdf');
  await expectAccessible(page, js);

  // Staff see the files and answer with one (with JavaScript: with a progress bar).
  const alert = await waitForMail('staff@example.com', subject);
  const { context: staffContext, page: staff, errors: staffErrors } = await staffSession(browser, js);
  await open(staff, linkIn(alert, '/admin/pigeon/threads/'), js);
  await expect(staff.getByRole('list', { name: 'Attached files' })).toContainText('screen shot.png');
  await staff.getByLabel('Message', { exact: true }).fill('Try these settings.');
  await staff.getByLabel('Attach files').setInputFiles([
    { name: 'settings.txt', mimeType: 'text/plain', buffer: Buffer.from('dpi=300\nmode=colour\n') },
  ]);
  if (js) {
    // Hold the upload a moment to see the progress bar.
    await staff.route('**/actions/pigeon/admin/reply', async (route) => {
      await new Promise((r) => setTimeout(r, 600));
      await route.continue();
    });
  }
  await staff.getByRole('button', { name: 'Send', exact: true }).click();
  if (js) await expect(staff.getByRole('progressbar', { name: 'Sending' })).toBeVisible();
  await expect(staff.getByText('Try these settings.')).toBeVisible();
  await expect(staff.getByRole('link', { name: /settings\.txt/ })).toBeVisible();
  expect(staffErrors).toEqual([]);
  await staffContext.close();

  // The guest's email links to the staff's file; the link works with their token only.
  const answer = await waitForMail(email, 'Try these settings');
  const fileLink = answer.text.match(/settings\.txt \(\d+ bytes\): (\S+)/)![1];
  const ok = await page.request.get(fileLink);
  expect(ok.status()).toBe(200);
  expect(ok.headers()['content-type']).toBe('text/plain; charset=utf-8');
  expect(ok.headers()['content-disposition']).toContain('attachment;');
  expect(ok.headers()['x-content-type-options']).toBe('nosniff');
  expect(ok.headers()['content-security-policy']).toContain('sandbox');
  expect(await ok.text()).toBe('dpi=300\nmode=colour\n');
  const withoutToken = await page.request.get(fileLink.replace(/\?t=.*/, ''));
  expect(withoutToken.status()).toBe(401);
});
