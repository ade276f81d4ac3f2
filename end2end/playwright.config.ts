import { defineConfig } from '@playwright/test';

// Every journey runs twice: with JavaScript (hydrated app) and without (plain HTML forms).
const port = Number(process.env.PIGEON_E2E_PORT ?? 3100);
const smtpPort = Number(process.env.PIGEON_E2E_SMTP_PORT ?? 2525);
const baseURL = `http://127.0.0.1:${port}`;
// Where the SMTP sink writes every email it accepts; the tests read them there.
export const mailDir = process.env.PIGEON_E2E_MAILDIR ?? `/tmp/pigeon-e2e-mail-${port}`;
process.env.PIGEON_E2E_MAILDIR = mailDir;

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 7_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    { name: 'js', use: { javaScriptEnabled: true } },
    { name: 'nojs', use: { javaScriptEnabled: false } },
  ],
  webServer: [
    {
      command: `rm -rf ${mailDir} && ${process.env.PIGEON_E2E_PYTHON ?? 'python3'} ./smtp_sink.py ${mailDir} ${smtpPort}`,
      port: smtpPort,
      timeout: 30_000,
      reuseExistingServer: false,
    },
    {
      command: 'bash ./start-server.sh',
      url: `${baseURL}/healthz`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        PIGEON_E2E_PORT: String(port),
        PIGEON_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      },
    },
  ],
});
