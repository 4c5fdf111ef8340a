// The SMTP client against a real SMTP server on 127.0.0.1 that captures each message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailBody, startSmtpServer, type CapturedMail, type TestSmtpServer } from '../../test/helpers/smtp-server.ts';
import { pino } from 'pino';
import { createMailer } from './mailer.ts';
import { createLogger } from './logger.ts';
import { createTestDatabase } from '../../test/helpers/db.ts';
import type { DbHandle } from '../db/kysely.ts';
import { systemClock } from './clock.ts';
import { createAccountByOperator, requestPasswordReset, signUp, type AccountsDeps } from '../modules/accounts/accounts.use-cases.ts';

const captured: CapturedMail[] = [];
let server: TestSmtpServer;

beforeAll(async () => {
  server = await startSmtpServer(captured);
});
afterAll(async () => server?.close());


describe('SMTP mailer', () => {
  it('delivers a message to the configured server', async () => {
    const mailer = createMailer({ smtpUrl: server.url, from: 'Maillage <ne-pas-repondre@maillage.test>', logger: createLogger('silent') });
    await mailer.send({ to: 'destinataire@example.org', subject: 'Essai', text: 'Bonjour, voici un essai accentué : été.' });
    mailer.close();
    const message = captured.at(-1)!;
    expect(message.from).toBe('ne-pas-repondre@maillage.test');
    expect(message.to).toEqual(['destinataire@example.org']);
    expect(message.data).toContain('Subject: Essai');
    expect(mailBody(message.data)).toContain('essai accentué : été');
  });

  it('fails loudly when the server is unreachable', async () => {
    const mailer = createMailer({ smtpUrl: 'smtp://127.0.0.1:1', from: 'x@maillage.test', logger: createLogger('silent') });
    await expect(mailer.send({ to: 'a@example.org', subject: 's', text: 't' })).rejects.toThrow();
    mailer.close();
  });

  it('logs instead of sending when no server is configured, without the recipient', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const mailer = createMailer({ smtpUrl: undefined, from: 'x@maillage.test', logger });
    await mailer.send({ to: 'secret@example.org', subject: 'Sujet', text: 'Lien https://exemple/lien' });
    const all = lines.join('');
    expect(all).toContain('MAILLAGE_SMTP_URL');
    expect(all).toContain('https://exemple/lien');
    expect(all).not.toContain('secret@example.org');
  });
});

describe('account e-mails through SMTP', () => {
  let handle: DbHandle;
  let deps: AccountsDeps;
  beforeAll(async () => {
    handle = await createTestDatabase();
    deps = {
      db: handle.db,
      clock: systemClock,
      mailer: createMailer({ smtpUrl: server.url, from: 'Maillage <ne-pas-repondre@maillage.test>', logger: createLogger('silent') }),
      publicUrl: 'https://maillage.test',
    };
  });
  afterAll(async () => {
    deps?.mailer.close();
    await handle?.close();
  });

  it('sends the French verification e-mail with its link', async () => {
    await signUp(deps, { email: 'nouveau@example.org', password: 'un mot de passe solide' });
    const message = captured.at(-1)!;
    expect(message.to).toEqual(['nouveau@example.org']);
    const text = mailBody(message.data);
    expect(text).toContain('confirmez votre adresse e-mail');
    expect(text).toMatch(/https:\/\/maillage\.test\/compte\/verifier\?jeton=[A-Za-z0-9_-]{43}/);
  });

  it('sends the French reset e-mail with its link, and nothing for an unknown address', async () => {
    const before = captured.length;
    await requestPasswordReset(deps, 'inconnu@example.org');
    expect(captured.length).toBe(before);
    await requestPasswordReset(deps, 'nouveau@example.org');
    const text = mailBody(captured.at(-1)!.data);
    expect(text).toContain('choisir un nouveau mot de passe');
    expect(text).toMatch(/https:\/\/maillage\.test\/mot-de-passe\/nouveau\?jeton=[A-Za-z0-9_-]{43}/);
  });

  it('sends the operator-created account its set-password link', async () => {
    const { resetLink } = await createAccountByOperator(deps, { email: 'moderation@example.org', role: 'moderateur', scopes: [] });
    const message = captured.at(-1)!;
    expect(message.to).toEqual(['moderation@example.org']);
    expect(mailBody(message.data)).toContain(resetLink);
  });
});
