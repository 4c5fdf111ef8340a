import type { ComponentChildren } from 'preact';
import { Page, type PageContext } from '../../web/layout/page.tsx';
import { Alert } from '../../web/components/alert.tsx';
import { Button } from '../../web/components/button.tsx';
import { Input } from '../../web/components/form.tsx';
import type { FieldError } from '../../lib/errors.ts';
import { roleLabels, territoryKinds } from './authorize.ts';
import type { SessionAccount } from './accounts.use-cases.ts';

// Account pages: plain forms that work without JavaScript, each with its hidden CSRF token.

export interface FieldSpec {
  name: string;
  label: string;
  type?: 'email' | 'password';
  hint?: string;
  autocomplete?: string;
  value?: string;
}

export interface FormPageProps {
  ctx: PageContext;
  title: string;
  intro?: string;
  action: string;
  csrf: string;
  fields: FieldSpec[];
  hidden?: Record<string, string>;
  submit: string;
  error?: string;
  errors?: FieldError[];
  success?: string;
  links?: { href: string; label: string }[];
  /** Shown above the form (the ProConnect button on the sign-in page). */
  extra?: ComponentChildren;
}

function Shell(p: { ctx: PageContext; title: string; children: ComponentChildren }) {
  return (
    <Page ctx={p.ctx} title={p.title} noindex>
      <div class="fr-container fr-my-6w">
        <div class="fr-grid-row fr-grid-row--center">
          <div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
            <h1>{p.title}</h1>
            {p.children}
          </div>
        </div>
      </div>
    </Page>
  );
}

export function FormPage(p: FormPageProps) {
  const fieldError = (name: string) => p.errors?.find((e) => e.field === name)?.message;
  return (
    <Shell ctx={p.ctx} title={p.title}>
      {p.success ? (
        <Alert type="success" role="status">
          <p>{p.success}</p>
        </Alert>
      ) : null}
      {p.error ? (
        <Alert type="error" role="alert">
          <p>{p.error}</p>
        </Alert>
      ) : null}
      {p.intro ? <p class="fr-mt-2w">{p.intro}</p> : null}
      {p.extra}
      <form method="post" action={p.action} class="fr-mt-3w">
        <input type="hidden" name="_csrf" value={p.csrf} />
        {Object.entries(p.hidden ?? {}).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        {p.fields.map((f) =>
          f.type === 'password' ? (
            <PasswordInput id={`champ-${f.name}`} name={f.name} label={f.label} hint={f.hint} autocomplete={f.autocomplete} error={fieldError(f.name)} />
          ) : (
            <Input id={`champ-${f.name}`} name={f.name} label={f.label} hint={f.hint} type="email" autocomplete={f.autocomplete} value={f.value} error={fieldError(f.name)} required />
          ),
        )}
        <Button>{p.submit}</Button>
      </form>
      {p.links?.length ? (
        <ul class="fr-mt-3w">
          {p.links.map((l) => (
            <li>
              <a href={l.href}>{l.label}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </Shell>
  );
}

function PasswordInput(p: { id: string; name: string; label: string; hint?: string; autocomplete?: string; error?: string }) {
  const messagesId = `${p.id}-messages`;
  return (
    <div class={`fr-input-group${p.error ? ' fr-input-group--error' : ''}`}>
      <label class="fr-label" for={p.id}>
        {p.label}
        {p.hint ? <span class="fr-hint-text">{p.hint}</span> : null}
      </label>
      <input class={`fr-input${p.error ? ' fr-input--error' : ''}`} id={p.id} name={p.name} type="password" autocomplete={p.autocomplete} required aria-describedby={messagesId} />
      <div class="fr-messages-group" id={messagesId} aria-live="polite">
        {p.error ? <p class="fr-message fr-message--error">{p.error}</p> : null}
      </div>
    </div>
  );
}

export function AccountPage(p: { ctx: PageContext; account: SessionAccount }) {
  return (
    <Shell ctx={p.ctx} title="Mon compte">
      <dl>
        <dt class="fr-text--bold">Adresse e-mail</dt>
        <dd>{p.account.email}</dd>
        <dt class="fr-text--bold">Rôle</dt>
        <dd>{roleLabels[p.account.role]}</dd>
        {p.account.scopes.length ? (
          <>
            <dt class="fr-text--bold">Périmètre</dt>
            <dd>
              <ul>
                {p.account.scopes.map((s) => (
                  <li>
                    {s.kind} {s.code}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>
      {p.account.scopes.some((s) => s.kind === 'lieu') ? (
        <p>
          <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href="/compte/lieux">
            Mes lieux : modifier, historique, valeurs des sources
          </a>
          <br />
          <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href="/compte/fraicheur">
            Fraîcheur et complétude de mes lieux
          </a>
        </p>
      ) : null}
      {p.account.role === 'agent_territorial' && p.account.scopes.some((s) => territoryKinds.includes(s.kind)) ? (
        <p>
          <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href="/compte/territoire">
            Les lieux de mon territoire : fraîcheur, validation, export
          </a>
        </p>
      ) : null}
      {p.account.role === 'agent_territorial' && !p.account.scopes.length ? (
        <Alert type="info">
          <p>Votre territoire n’est pas encore défini : un modérateur ou un administrateur de Maillage l’ajoutera à votre compte. En attendant, vous ne pouvez pas modifier de lieu.</p>
        </Alert>
      ) : null}
      {p.account.role === 'reseau' || p.account.role === 'administrateur' ? (
        <p>
          <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href="/compte/sources">
            Sources de données
          </a>
          <br />
          <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href="/compte/cles-api">
            Clés d’API
          </a>
        </p>
      ) : null}
      {p.account.role === 'moderateur' || p.account.role === 'administrateur' ? (
        <p>
          <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href="/moderation">
            File de modération
          </a>
        </p>
      ) : null}
      <p>
        <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href="/lieux/proposer">
          Proposer un nouveau lieu
        </a>
      </p>
      <p>
        <a class="fr-link fr-icon-download-line fr-link--icon-right" href="/compte/donnees">
          Télécharger mes données (JSON)
        </a>
        <br />
        <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href="/compte/suppression">
          Supprimer mon compte
        </a>
      </p>
      <form method="post" action="/deconnexion">
        <input type="hidden" name="_csrf" value={p.account.csrfToken} />
        <Button kind="secondary">Se déconnecter</Button>
      </form>
    </Shell>
  );
}
