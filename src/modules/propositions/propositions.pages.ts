// "Proposer un lieu" (/lieux/proposer): the form (GET) and its plain POST, which works
// without JavaScript; a refused proposal re-renders the form with each field's message and a
// summary. Also registers the JSON routes (propositions.api.ts).
import { h } from 'preact';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { pageContext } from '../../server/plugins/static.ts';
import { requireAccount } from '../../server/plugins/auth.ts';
import { sendHtml } from '../../web/render.ts';
import { DomainError, ValidationError } from '../../lib/errors.ts';
import { accountsDeps } from '../accounts/accounts.api.ts';
import { isMultiValuedField } from '../lieux/lieux.validation.ts';
import { mapSettingsOf } from '../search/search.pages.ts';
import { PROPOSAL_RATE_LIMIT, registerPropositionsApi } from './propositions.api.ts';
import { proposeLieu, type PropositionDeps } from './propositions.use-cases.ts';
import { ProposerPage, type ProposalForm, type ProposerPageProps } from './views/proposer-page.tsx';

/** A urlencoded body; repeated names (checkboxes) become lists. */
export function parseForm(body: string): ProposalForm {
  const form: ProposalForm = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const previous = form[name];
    form[name] = previous === undefined ? (isMultiValuedField(name) ? [value] : value) : ([] as string[]).concat(previous, value);
  }
  return form;
}

// Multi-valued fields typed in one text box rather than ticked: their separators.
const typedLists: Record<string, RegExp> = { typologie: /[,;|]/, autres_formations_labels: /[\n|]/ };

/** The form as a record of the standard: every non-empty field but the CSRF token. */
export function recordOfForm(form: ProposalForm): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(form)) {
    if (name === '_csrf') continue;
    const separator = typedLists[name];
    if (separator) {
      const items = ([] as string[]).concat(value).flatMap((v) => v.split(separator)).map((v) => v.trim()).filter((v) => v !== '');
      if (items.length > 0) record[name] = items;
    } else if (Array.isArray(value)) record[name] = value;
    else if (value.trim() !== '') record[name] = value;
  }
  return record;
}

export async function registerPropositionPages(app: App, deps: AppDeps): Promise<void> {
  const { mailer, publicUrl } = accountsDeps(deps);
  app.addHook('onClose', async () => mailer.close());
  const props: PropositionDeps = { db: deps.db, clock: deps.clock, territories: deps.territories, mailer, publicUrl };
  registerPropositionsApi(app, deps, props);

  const render = (request: FastifyRequest, reply: FastifyReply, extra: Partial<ProposerPageProps> = {}, status = 200) =>
    sendHtml(reply, h(ProposerPage, { ctx: pageContext(request), csrf: request.account?.csrfToken ?? null, map: mapSettingsOf(request, deps.config), ...extra }), status);

  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 32_768 }, (_req, body, done) => {
      done(null, parseForm(String(body)));
    });
    const hide = { schema: { hide: true } };

    scope.get<{ Querystring: { envoyee?: string } }>('/lieux/proposer', hide, async (request, reply) => render(request, reply, { sent: request.query.envoyee === '1' }));

    scope.post('/lieux/proposer', { ...hide, config: PROPOSAL_RATE_LIMIT }, async (request, reply) => {
      if (!request.account) return reply.redirect('/connexion', 303);
      const account = requireAccount(request);
      const form = (request.body ?? {}) as ProposalForm;
      try {
        await proposeLieu(props, recordOfForm(form), { account, ip: request.ip });
      } catch (error) {
        // A refusal of this person (unconfirmed address, too many pending) keeps what was typed.
        if (!(error instanceof DomainError) || error.status >= 500) throw error;
        return render(request, reply, { values: form, error: error.message, errors: error instanceof ValidationError ? error.errors : undefined }, error.status);
      }
      return reply.redirect('/lieux/proposer?envoyee=1', 303);
    });
  });
}
