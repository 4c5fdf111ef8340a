// Back-office page of API keys (DSFR, no JavaScript needed): the account's keys with their
// state and a "Révoquer" button each, the creation form, and the new key shown once.
import { Page, type PageContext } from '../../../web/layout/page.tsx';
import { Alert, ProblemAlert } from '../../../web/components/alert.tsx';
import { Badge } from '../../../web/components/badge.tsx';
import { Breadcrumb } from '../../../web/components/breadcrumb.tsx';
import { Button } from '../../../web/components/button.tsx';
import { CheckboxGroup, Input } from '../../../web/components/form.tsx';
import type { FieldError } from '../../../lib/errors.ts';
import type { ApiKey } from '../api-keys.use-cases.ts';

const date = (value: string | null) => (value ? new Date(value).toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' }) : '—');

export interface ApiKeysPageProps {
  ctx: PageContext;
  csrf: string;
  /** Public address of the site, for the example command. */
  baseUrl: string;
  keys: ApiKey[];
  /** The account's sources, for the optional restriction of a new key. */
  sources: { id: string; name: string }[];
  /** The token just created: shown on this response only. */
  created?: { key: ApiKey; token: string };
  notice?: string;
  error?: string;
  errors?: FieldError[];
  values?: { label?: string; source_ids?: string[] };
}

export function ApiKeysPage(p: ApiKeysPageProps) {
  const names = new Map(p.sources.map((s) => [s.id, s.name]));
  const labelError = p.errors?.filter((e) => e.field === 'label').map((e) => e.message).join(' ') || undefined;
  const example = p.sources[0]?.id ?? '<identifiant-de-la-source>';
  return (
    <Page ctx={p.ctx} title="Clés d’API" noindex>
      <div class="fr-container fr-mb-6w">
        <Breadcrumb items={[{ label: 'Mon compte', href: '/compte' }, { label: 'Sources de données', href: '/compte/sources' }, { label: 'Clés d’API' }]} />
        <h1>Clés d’API</h1>
        <p class="maillage-break">
          Une clé d’API permet au système d’information de votre réseau d’envoyer la liste complète des lieux d’une source, sans passer par ce site : <code>PUT /api/v1/sources/&lt;identifiant&gt;/lieux</code> avec l’en-tête{' '}
          <code>Authorization: Bearer &lt;clé&gt;</code>. Voir la <a href="/api/v1/documentation">documentation de l’API</a>.
        </p>
        {p.created ? (
          <Alert type="success" role="status" title="Clé créée">
            <p>Copiez cette clé maintenant et gardez-la en lieu sûr : elle ne sera plus jamais affichée. Maillage n’en conserve qu’une empreinte.</p>
            <div class="fr-input-group">
              <label class="fr-label" for="cle-creee">
                Clé « {p.created.key.label} »
              </label>
              <input class="fr-input" id="cle-creee" readOnly value={p.created.token} autocomplete="off" spellcheck={false} />
            </div>
            <p class="fr-text--sm maillage-break">
              Exemple : <code>curl -X PUT -H "Authorization: Bearer {p.created.token.slice(0, 10)}…" -H "Content-Type: application/json" --data @lieux.json {p.baseUrl}/api/v1/sources/{example}/lieux</code>
            </p>
          </Alert>
        ) : null}
        {p.notice ? (
          <Alert type="success" role="status" small>
            <p>{p.notice}</p>
          </Alert>
        ) : null}

        {p.sources.length > 0 ? (
          <>
            <h2 class="fr-mt-4w">Identifiants de vos sources</h2>
            <p>L’adresse d’envoi d’une source contient son identifiant.</p>
            <ul id="identifiants-sources" class="maillage-break">
              {p.sources.map((s) => (
                <li>
                  {s.name} : <code>{s.id}</code>
                </li>
              ))}
            </ul>
          </>
        ) : null}

        <h2 class="fr-mt-4w">Vos clés</h2>
        {p.keys.length === 0 ? (
          <p>Aucune clé pour l’instant.</p>
        ) : (
          <ul id="cles" class="maillage-list">
            {p.keys.map((k) => (
              <li class="fr-mb-3w">
                <h3 class="fr-h6 fr-mb-1w">{k.label}</h3>
                <p class="fr-mb-1w">
                  {k.revoked_at ? <Badge small label={`Révoquée le ${date(k.revoked_at)}`} type="error" /> : <Badge small label="Active" type="success" />}
                </p>
                <ul class="fr-text--sm">
                  <li>
                    Début de la clé : <code>{k.prefix}…</code>
                  </li>
                  <li>Sources : {k.source_ids === null ? 'toutes vos sources' : k.source_ids.map((id) => names.get(id) ?? id).join(', ')}</li>
                  <li>Créée le {date(k.created_at)}</li>
                  <li class="cle-utilisation">Dernière utilisation : {k.last_used_at ? `le ${date(k.last_used_at)}` : 'jamais'}</li>
                </ul>
                {k.revoked_at ? null : (
                  <form method="post" action={`/compte/cles-api/${k.id}/revoquer`}>
                    <input type="hidden" name="_csrf" value={p.csrf} />
                    <Button kind="secondary">
                      Révoquer<span class="fr-sr-only"> la clé « {k.label} »</span>
                    </Button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        )}

        <h2 class="fr-mt-4w">Créer une clé</h2>
        <ProblemAlert error={p.error} errors={p.errors} />
        <form method="post" action="/compte/cles-api" class="fr-mt-2w">
          <input type="hidden" name="_csrf" value={p.csrf} />
          <Input id="cle-label" name="label" label="Libellé" hint="Pour reconnaître la clé, par exemple « Export nocturne du SI »." value={p.values?.label} error={labelError} required maxLength={100} />
          {p.sources.length > 0 ? (
            <CheckboxGroup
              id="cle-sources"
              name="source_ids"
              legend="Limiter la clé à certaines sources (facultatif : sans choix, la clé sert pour toutes vos sources)"
              options={p.sources.map((s) => ({ value: s.id, label: s.name }))}
              checked={p.values?.source_ids ?? []}
            />
          ) : (
            <p>Vous n’avez encore aucune source : la clé servira pour les sources que vous créerez.</p>
          )}
          <Button>Créer la clé</Button>
        </form>
      </div>
    </Page>
  );
}
