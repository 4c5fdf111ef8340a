// A real SMTP server on 127.0.0.1 for tests: it accepts every message and keeps it, so tests
// can read what the platform's SMTP client really sent.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  from: string;
  to: string[];
  /** The raw message: headers, blank line, body. */
  data: string;
}

export interface TestSmtpServer {
  /** `smtp://127.0.0.1:<port>`, for createMailer's smtpUrl. */
  url: string;
  captured: CapturedMail[];
  close(): Promise<void>;
}

/** Starts the server; messages are pushed onto `captured` (a new list unless one is given). */
export async function startSmtpServer(captured: CapturedMail[] = []): Promise<TestSmtpServer> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        captured.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    captured,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The body of a captured message, quoted-printable decoded enough to read links and accents. */
export function mailBody(data: string): string {
  const body = data.split(/\r?\n\r?\n/).slice(1).join('\n\n');
  if (!/quoted-printable/i.test(data)) return body;
  return Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');
}
