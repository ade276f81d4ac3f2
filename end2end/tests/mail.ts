import * as fs from 'fs';
import * as path from 'path';
import { expect } from '@playwright/test';

const mailDir = () => process.env.PIGEON_E2E_MAILDIR ?? '/tmp/pigeon-e2e-mail-3100';

/** An email as the SMTP server received it, with its body decoded enough to read. */
export interface Mail {
  raw: string;
  headers: string;
  text: string;
}

function decode(raw: string): Mail {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
  const text = raw
    .slice(split)
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  return { raw, headers, text };
}

/** Waits for an email to `to` whose text contains `needle`. */
export async function waitForMail(to: string, needle: string): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(
      () => {
        const dir = mailDir();
        if (!fs.existsSync(dir)) return false;
        for (const file of fs.readdirSync(dir).sort()) {
          const mail = decode(fs.readFileSync(path.join(dir, file), 'utf8'));
          if (mail.headers.includes(`<${to}>`) && (mail.headers + mail.text).includes(needle)) {
            found = mail;
            return true;
          }
        }
        return false;
      },
      { timeout: 15_000, message: `an email to ${to} about ${needle}` },
    )
    .toBe(true);
  return found!;
}

/** Every email the SMTP server has received so far. */
export function allMail(): Mail[] {
  const dir = mailDir();
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).map((f) => decode(fs.readFileSync(path.join(dir, f), 'utf8')));
}
