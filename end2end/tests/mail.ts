import * as fs from 'fs';
import * as net from 'net';
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
  /** The Reply-To address, if any. */
  replyTo: string;
}

async function parse(raw: string): Promise<Mail> {
  const parsed = await simpleParser(raw);
  const split = raw.search(/\r?\n\r?\n/);
  const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
  const replyTo = parsed.replyTo?.value?.[0]?.address ?? '';
  return {
    raw,
    headers: raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' '),
    to: to?.value?.[0]?.address ?? '',
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    replyTo,
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

/**
 * Sends an email to Pigeon's SMTP receiver the way a mail server does (plain SMTP on
 * loopback); resolves with the server's answer to the message (e.g. `250 …`).
 */
export async function sendToPigeon(from: string, to: string, headersAndBody: string): Promise<string> {
  const port = Number(process.env.PIGEON_E2E_INBOUND_PORT ?? 4726);
  const socket = net.connect(port, '127.0.0.1');
  let buffer = '';
  const answer = () =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const lines = buffer.split('\r\n');
        const done = lines.findIndex((l) => /^\d{3} /.test(l));
        if (done >= 0) {
          buffer = lines.slice(done + 1).join('\r\n');
          socket.off('data', onData);
          resolve(lines[done]);
        }
      };
      const onData = (d: Buffer) => {
        buffer += d.toString('utf8');
        check();
      };
      socket.on('data', onData);
      socket.once('error', reject);
      check();
    });
  const say = async (line: string) => {
    socket.write(line + '\r\n');
    return answer();
  };
  await answer();
  await say('EHLO mail.example.com');
  await say(`MAIL FROM:<${from}>`);
  const rcpt = await say(`RCPT TO:<${to}>`);
  expect(rcpt, `RCPT TO:<${to}>`).toMatch(/^250/);
  await say('DATA');
  const body = headersAndBody.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
  const result = await say(body + '\r\n.');
  await say('QUIT');
  socket.end();
  return result;
}
