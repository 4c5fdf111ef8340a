// JSON routes of accounts: sign-up, e-mail verification, sign-in/out, password reset, and
// the current account. Also installs cookies, sessions and rate limiting for the whole app,
// so it must be the first route module.
import { ProblemSchema } from '../../server/plugins/errors.ts';
import { Type } from 'typebox';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { createMailer } from '../../lib/mailer.ts';
import { authRateLimit, clearSessionCookie, registerAuth, requireAccount, setSessionCookie } from '../../server/plugins/auth.ts';
import { findSession, login, logout, requestPasswordReset, resetPassword, signUp, verifyEmail, type AccountsDeps } from './accounts.use-cases.ts';
import { listAudit } from '../audit/audit.use-cases.ts';
import { UnauthorizedError } from './authorize.ts';
import { registerAccountPages } from './accounts.pages.ts';

const Credentials = Type.Object({
  email: Type.String({ maxLength: 254, description: 'Adresse e-mail' }),
  password: Type.String({ maxLength: 256, description: 'Mot de passe (12 caractères au moins)' }),
});
const Scope = Type.Object({ kind: Type.String(), code: Type.String() });
const CurrentAccount = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: Type.String(),
  scopes: Type.Array(Scope),
  csrf_token: Type.String({ description: 'À renvoyer dans l’en-tête x-csrf-token de chaque écriture' }),
});
const Token = Type.String({ minLength: 20, maxLength: 100, description: 'Jeton reçu par e-mail' });

export function accountsDeps(deps: AppDeps): AccountsDeps {
  const mailer = deps.mailer ?? createMailer({ smtpUrl: deps.config.smtpUrl, from: deps.config.mailFrom, logger: deps.logger });
  return { db: deps.db, clock: deps.clock, mailer, publicUrl: deps.config.publicUrl };
}

export async function registerAccountsApi(app: App, deps: AppDeps): Promise<void> {
  await registerAuth(app, deps);
  const accounts = accountsDeps(deps);
  app.addHook('onClose', async () => accounts.mailer.close());
  await registerAccountPages(app, deps, accounts);
  const tags = ['comptes'];

  app.post(
    '/api/v1/compte/inscription',
    {
      config: authRateLimit(deps),
      schema: { tags, summary: 'Créer un compte (un e-mail de confirmation est envoyé)', body: Credentials, response: { 201: Type.Object({ id: Type.String() }), 400: ProblemSchema, 429: ProblemSchema } },
    },
    async (request, reply) => reply.code(201).send(await signUp(accounts, request.body)),
  );

  app.post(
    '/api/v1/compte/verification',
    { schema: { tags, summary: 'Confirmer l’adresse e-mail avec le jeton reçu', body: Type.Object({ jeton: Token }), response: { 204: Type.Null(), 400: ProblemSchema } } },
    async (request, reply) => {
      await verifyEmail(accounts, request.body.jeton);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/compte/connexion',
    {
      config: authRateLimit(deps),
      schema: { tags, summary: 'Se connecter (ouvre une session par cookie)', body: Credentials, response: { 200: CurrentAccount, 401: ProblemSchema, 403: ProblemSchema, 429: ProblemSchema } },
    },
    async (request, reply) => {
      const session = await login(accounts, request.body.email, request.body.password);
      setSessionCookie(request, reply, session);
      const account = await findSession(accounts, session.sessionId);
      if (!account) throw new UnauthorizedError();
      return { id: account.id, email: account.email, role: account.role, scopes: account.scopes, csrf_token: session.csrfToken };
    },
  );

  app.post(
    '/api/v1/compte/deconnexion',
    { schema: { tags, summary: 'Se déconnecter (ferme la session)', response: { 204: Type.Null(), 401: ProblemSchema, 403: ProblemSchema } } },
    async (request, reply) => {
      requireAccount(request);
      await logout(accounts, request.sessionId!);
      clearSessionCookie(request, reply);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/compte/mot-de-passe-oublie',
    {
      config: authRateLimit(deps),
      schema: {
        tags,
        summary: 'Recevoir un lien pour choisir un nouveau mot de passe',
        description: 'Répond 202 que l’adresse ait un compte ou non.',
        body: Type.Object({ email: Type.String({ maxLength: 254 }) }),
        response: { 202: Type.Object({ message: Type.String() }), 400: ProblemSchema, 429: ProblemSchema },
      },
    },
    async (request, reply) => {
      await requestPasswordReset(accounts, request.body.email);
      return reply.code(202).send({ message: 'Si un compte existe pour cette adresse, un lien vient de lui être envoyé.' });
    },
  );

  app.post(
    '/api/v1/compte/mot-de-passe',
    {
      config: authRateLimit(deps),
      schema: { tags, summary: 'Choisir un nouveau mot de passe avec le jeton reçu', body: Type.Object({ jeton: Token, password: Type.String({ maxLength: 256 }) }), response: { 204: Type.Null(), 400: ProblemSchema, 429: ProblemSchema } },
    },
    async (request, reply) => {
      await resetPassword(accounts, request.body.jeton, request.body.password);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/compte',
    { schema: { tags, summary: 'Le compte connecté', response: { 200: CurrentAccount, 401: ProblemSchema } } },
    async (request) => {
      const account = requireAccount(request);
      return { id: account.id, email: account.email, role: account.role, scopes: account.scopes, csrf_token: account.csrfToken };
    },
  );

  app.get(
    '/api/v1/audit',
    {
      schema: {
        tags,
        summary: 'Journal d’audit des écritures faites par des comptes (modérateurs et administrateurs)',
        querystring: Type.Object({
          avant: Type.Optional(Type.Integer({ minimum: 1, description: 'Entrées antérieures à ce numéro' })),
          limite: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
        }),
        response: {
          200: Type.Array(
            Type.Object({
              seq: Type.Integer(),
              account_id: Type.Union([Type.String(), Type.Null()]),
              action: Type.String(),
              target_type: Type.String(),
              target_id: Type.Union([Type.String(), Type.Null()]),
              ip: Type.Union([Type.String(), Type.Null()]),
              at: Type.String(),
            }),
          ),
          401: ProblemSchema,
          403: ProblemSchema,
        },
      },
    },
    async (request) => listAudit(deps.db, requireAccount(request), { before: request.query.avant, limit: request.query.limite }),
  );
}
