// HTML account pages (DSFR, no JavaScript needed): sign-in, sign-up, forgotten password,
// e-mail verification and new password (the targets of the e-mailed links), my account.
// Anonymous forms use the double-submit CSRF cookie; signed-in ones the session's token.
import { h } from 'preact';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { pageContext } from '../../server/plugins/static.ts';
import { authRateLimit, clearSessionCookie, requireAccount, setSessionCookie } from '../../server/plugins/auth.ts';
import { csrfTokenFor, verifyAnonymousCsrf } from '../../server/plugins/csrf.ts';
import { sendHtml } from '../../web/render.ts';
import { DomainError, ValidationError } from '../../lib/errors.ts';
import { login, logout, requestPasswordReset, resetPassword, signUp, verifyEmail, type AccountsDeps } from './accounts.use-cases.ts';
import { AccountPage, FormPage, type FormPageProps } from './accounts.views.tsx';
import { ProConnectButton } from './proconnect.views.tsx';

type Form = Record<string, string>;
const formOf = (request: FastifyRequest): Form => (request.body ?? {}) as Form;
const query = (request: FastifyRequest, name: string) => {
  const value = (request.query as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
};

export async function registerAccountPages(app: App, deps: AppDeps, accounts: AccountsDeps): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8192 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    const hide = { schema: { hide: true } };
    const limited = { ...hide, config: authRateLimit(deps) };
    const render = (request: FastifyRequest, reply: FastifyReply, props: Omit<FormPageProps, 'ctx' | 'csrf'>, status = 200) =>
      sendHtml(reply, h(FormPage, { ...props, ctx: pageContext(request), csrf: csrfTokenFor(request, reply) }), status);

    /** Runs a form action; a domain error re-renders the form with its French message. */
    const handle = async (request: FastifyRequest, reply: FastifyReply, props: Omit<FormPageProps, 'ctx' | 'csrf'>, run: () => Promise<FastifyReply>) => {
      try {
        if (request.account) requireAccount(request);
        else verifyAnonymousCsrf(request);
        return await run();
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const errors = error instanceof ValidationError ? error.errors : undefined;
        return render(request, reply, { ...props, error: error.message, errors }, error.status);
      }
    };

    const signIn = (email = ''): Omit<FormPageProps, 'ctx' | 'csrf'> => ({
      title: 'Se connecter',
      action: '/connexion',
      fields: [
        { name: 'email', label: 'Adresse e-mail', type: 'email', autocomplete: 'email', value: email },
        { name: 'password', label: 'Mot de passe', type: 'password', autocomplete: 'current-password' },
      ],
      submit: 'Se connecter',
      extra: app.proconnect ? h(ProConnectButton, {}) : undefined,
      links: [
        { href: '/mot-de-passe-oublie', label: 'Mot de passe oublié ?' },
        { href: '/inscription', label: 'Créer un compte' },
      ],
    });
    scope.get('/connexion', hide, async (request, reply) => (request.account ? reply.redirect('/compte', 303) : render(request, reply, signIn())));
    scope.post('/connexion', limited, async (request, reply) => {
      const form = formOf(request);
      return handle(request, reply, signIn(form.email), async () => {
        const session = await login(accounts, form.email, form.password);
        setSessionCookie(request, reply, session);
        return reply.redirect('/compte', 303);
      });
    });

    const signUpForm = (email = ''): Omit<FormPageProps, 'ctx' | 'csrf'> => ({
      title: 'Créer un compte',
      intro: 'Pour tenir à jour les informations d’un lieu de médiation numérique. Un e-mail de confirmation vous sera envoyé.',
      action: '/inscription',
      fields: [
        { name: 'email', label: 'Adresse e-mail', type: 'email', autocomplete: 'email', value: email },
        { name: 'password', label: 'Mot de passe', type: 'password', hint: '12 caractères au moins', autocomplete: 'new-password' },
      ],
      submit: 'Créer mon compte',
      links: [{ href: '/connexion', label: 'J’ai déjà un compte' }],
    });
    scope.get('/inscription', hide, async (request, reply) => render(request, reply, signUpForm()));
    scope.post('/inscription', limited, async (request, reply) => {
      const form = formOf(request);
      return handle(request, reply, signUpForm(form.email), async () => {
        await signUp(accounts, { email: form.email, password: form.password });
        return render(request, reply, { ...signUpForm(), fields: [], submit: 'Créer un autre compte', success: 'Votre compte est créé : ouvrez le lien que nous venons de vous envoyer par e-mail pour l’activer.' }, 201);
      });
    });

    const forgotten: Omit<FormPageProps, 'ctx' | 'csrf'> = {
      title: 'Mot de passe oublié',
      intro: 'Indiquez l’adresse de votre compte : nous vous enverrons un lien pour choisir un nouveau mot de passe.',
      action: '/mot-de-passe-oublie',
      fields: [{ name: 'email', label: 'Adresse e-mail', type: 'email', autocomplete: 'email' }],
      submit: 'Recevoir le lien',
    };
    scope.get('/mot-de-passe-oublie', hide, async (request, reply) => render(request, reply, forgotten));
    scope.post('/mot-de-passe-oublie', limited, async (request, reply) =>
      handle(request, reply, forgotten, async () => {
        await requestPasswordReset(accounts, formOf(request).email);
        return render(request, reply, { ...forgotten, success: 'Si un compte existe pour cette adresse, un lien vient de lui être envoyé.' });
      }),
    );

    // The e-mailed link shows a button: a GET never consumes the token (link scanners).
    const verify = (jeton: string): Omit<FormPageProps, 'ctx' | 'csrf'> => ({
      title: 'Confirmer mon adresse e-mail',
      action: '/compte/verifier',
      fields: [],
      hidden: { jeton },
      submit: 'Confirmer mon adresse',
    });
    scope.get('/compte/verifier', hide, async (request, reply) => render(request, reply, verify(query(request, 'jeton'))));
    scope.post('/compte/verifier', hide, async (request, reply) => {
      const form = formOf(request);
      return handle(request, reply, verify(form.jeton ?? ''), async () => {
        await verifyEmail(accounts, form.jeton);
        return render(request, reply, { ...signIn(), success: 'Votre adresse est confirmée : vous pouvez vous connecter.' });
      });
    });

    const newPassword = (jeton: string): Omit<FormPageProps, 'ctx' | 'csrf'> => ({
      title: 'Choisir un nouveau mot de passe',
      action: '/mot-de-passe/nouveau',
      fields: [{ name: 'password', label: 'Nouveau mot de passe', type: 'password', hint: '12 caractères au moins', autocomplete: 'new-password' }],
      hidden: { jeton },
      submit: 'Enregistrer',
    });
    scope.get('/mot-de-passe/nouveau', hide, async (request, reply) => render(request, reply, newPassword(query(request, 'jeton'))));
    scope.post('/mot-de-passe/nouveau', limited, async (request, reply) => {
      const form = formOf(request);
      return handle(request, reply, newPassword(form.jeton ?? ''), async () => {
        await resetPassword(accounts, form.jeton, form.password);
        return render(request, reply, { ...signIn(), success: 'Votre mot de passe est enregistré : vous pouvez vous connecter.' });
      });
    });

    scope.get('/compte', hide, async (request, reply) =>
      request.account ? sendHtml(reply, h(AccountPage, { ctx: pageContext(request), account: request.account })) : reply.redirect('/connexion', 303),
    );
    scope.post('/deconnexion', hide, async (request, reply) => {
      if (!request.account) return reply.redirect('/connexion', 303);
      requireAccount(request);
      // Opened through ProConnect: sign out there too (read before the session row goes).
      const providerLogout = (await app.proconnect?.logoutUrl(request.sessionId!)) ?? null;
      await logout(accounts, request.sessionId!);
      clearSessionCookie(request, reply);
      return reply.redirect(providerLogout ?? '/', 303);
    });
  });
}
