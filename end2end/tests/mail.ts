import * as fs from 'fs';
import * as path from 'path';
import { expect } from '@playwright/test';
import { simpleParser } from 'mailparser';

const mailDir = () => process.env.PIGEON_E2E_MAILDIR ?? '/tmp/pigeon-e2e-mail-3100';

/** An email as the SMTP server received it, MIME-parsed. */
export interface Mail {
  raw: string;
  /** Header lines, unfolded, as received. */
  headers: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

async function parse(raw: string): Promise<Mail> {
  const parsed = await simpleParser(raw);
  const split = raw.search(/\r?\n\r?\n/);
  const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
  return {
    raw,
    headers: raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' '),
    to: to?.value?.[0]?.address ?? '',
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
  };
}

/** Every email the SMTP server has received so far, oldest first. */
export async function allMail(): Promise<Mail[]> {
  const dir = mailDir();
  if (!fs.existsSync(dir)) return [];
  const files = fs.readdirSync(dir).sort();
  return Promise.all(files.map((f) => parse(fs.readFileSync(path.join(dir, f), 'utf8'))));
}

/** Waits for an email to `to` whose subject or text contains `needle`; the newest wins. */
export async function waitForMail(to: string, needle: string): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(
      async () => {
        const matching = (await allMail()).filter(
          (m) => m.to === to && (m.subject + '\n' + m.text).includes(needle),
        );
        found = matching[matching.length - 1];
        return found !== undefined;
      },
      { timeout: 15_000, message: `an email to ${to} about ${needle}` },
    )
    .toBe(true);
  return found!;
}

/** The first link in the email's text that starts with the site's address and `pathPrefix`. */
export function linkIn(mail: Mail, pathPrefix: string): string {
  const escaped = pathPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = mail.text.match(new RegExp(`http://127\\.0\\.0\\.1:\\d+${escaped}[^\\s]*`));
  expect(match, `a ${pathPrefix} link in:\n${mail.text}`).not.toBeNull();
  return match![0];
}
