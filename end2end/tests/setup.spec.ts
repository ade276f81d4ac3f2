import { spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test, expect, open, accountNav, jsOn, expectAccessible } from './fixtures';

// A Pigeon started on an empty data folder, as a newcomer starts it: it prints the setup link.
async function freshPigeon(port: number): Promise<{ server: ChildProcess; link: string; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pigeon-first-run-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PIGEON_DATA_DIR: dir,
    PIGEON_ADDR: `127.0.0.1:${port}`,
    PIGEON_SITE_ROOT: process.env.PIGEON_SITE_ROOT ?? path.resolve('..', 'site'),
    RUST_LOG: 'warn',
  };
  for (const name of ['DATABASE_URL', 'PIGEON_SMTP_URL', 'PIGEON_STORAGE_URL', 'PIGEON_INBOUND_ADDR', 'PIGEON_BASE_URL']) {
    delete env[name];
  }
  const server = spawn(process.env.PIGEON_BIN!, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  server.stdout!.on('data', (d) => (out += d.toString()));
  await expect.poll(() => /\/setup\?code=\S+/.test(out), { timeout: 20_000, message: 'the setup link is printed' }).toBe(true);
  const link = out.match(/http:\/\/\S+\/setup\?code=\S+/)![0];
  return { server, link, dir };
}

test('the first administrator is made in the browser through the printed setup link', async ({ page }, info) => {
  test.setTimeout(60_000);
  const js = jsOn(info.project.name);
  const port = Number(process.env.PIGEON_E2E_PORT ?? 3100) + 50;
  const { server, link, dir } = await freshPigeon(port);
  try {
    expect(link.startsWith(`http://127.0.0.1:${port}/setup?code=`)).toBe(true);
    await open(page, link, js);
    await expect(page.getByRole('heading', { name: 'Set up Pigeon' })).toBeVisible();
    await expectAccessible(page, js);
    await page.getByLabel('Your name').fill('Frieda First');
    await page.getByLabel('Email address').fill('frieda@example.com');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create the administrator' }).click();
    await expect(page.getByText(/at least 8 characters/i).first()).toBeVisible();
    await expect(page.getByLabel('Email address')).toHaveValue('frieda@example.com');
    await page.getByLabel('Password').fill('frieda-password-1');
    await page.getByRole('button', { name: 'Create the administrator' }).click();
    await expect(accountNav(page)).toContainText('Frieda First');
    await expect(page).toHaveURL(/\/admin/);
    // Once only.
    await open(page, link, js);
    await expect(page.getByRole('heading', { name: 'This setup link no longer works' })).toBeVisible();
  } finally {
    // A throwaway server: stopped at once (a graceful stop would wait for the page's open
    // live-update stream).
    await page.close();
    server.kill('SIGKILL');
    await new Promise((resolve) => server.once('exit', resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
