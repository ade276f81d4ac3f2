import { defineConfig } from '@playwright/test';

// Every journey runs twice: with JavaScript (hydrated app) and without (plain HTML forms).
const port = Number(process.env.PIGEON_E2E_PORT ?? 3100);
const smtpPort = Number(process.env.PIGEON_E2E_SMTP_PORT ?? 2525);
const baseURL = `http://127.0.0.1:${port}`;
// Where the SMTP sink writes every email it accepts; the tests read them there.
export const mailDir = process.env.PIGEON_E2E_MAILDIR ?? `/tmp/pigeon-e2e-mail-${port}`;
process.env.PIGEON_E2E_MAILDIR = mailDir;
// On PostgreSQL a second instance serves the same database (journeys about more than one).
const shared = (process.env.PIGEON_E2E_DATABASE_URL ?? '').startsWith('postgres');
const secondPort = port + 1;
if (shared) process.env.PIGEON_E2E_SECOND_URL = `http://127.0.0.1:${secondPort}`;
// Replies by email: every instance takes the same reply domain and support address (the
// first also runs the SMTP receiver, on PIGEON_E2E_INBOUND_PORT).
process.env.PIGEON_REPLY_DOMAIN = 'reply.pigeon.test';
process.env.PIGEON_SUPPORT_ADDRESS = 'help@pigeon.test';
process.env.PIGEON_E2E_INBOUND_PORT = String(port + 1626);
// Every instance signs with the same secret, as the README asks of a cluster.
const secret = 'e2e-shared-secret-0123456789abcdef0123456789abcdef';

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
        PIGEON_SECRET: secret,
      },
    },
    ...(shared
      ? [
          {
            command: 'bash ./start-second-server.sh',
            url: `http://127.0.0.1:${secondPort}/healthz`,
            timeout: 90_000,
            reuseExistingServer: false,
            stdout: 'pipe' as const,
            stderr: 'pipe' as const,
            env: {
              PIGEON_E2E_PORT: String(secondPort),
              PIGEON_E2E_FIRST_PORT: String(port),
              PIGEON_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
              PIGEON_SECRET: secret,
            },
          },
        ]
      : []),
  ],
});
