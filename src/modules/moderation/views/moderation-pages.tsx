// Back-office pages (DSFR, no JavaScript needed): the claim of a place ("Je gère ce lieu") and
// the moderation queue, one section per kind of item, each item with its details, a comment
// field and its decision buttons.
import { Page, type PageContext } from '../../../web/layout/page.tsx';
import { Alert, ProblemAlert } from '../../../web/components/alert.tsx';
import { Breadcrumb } from '../../../web/components/breadcrumb.tsx';
import { Button, ButtonLink } from '../../../web/components/button.tsx';
import { Input } from '../../../web/components/form.tsx';
import type { FieldError } from '../../../lib/errors.ts';
import type { ClaimResult } from '../claims.use-cases.ts';
import type { ModerationQueue } from '../moderation.use-cases.ts';
import { PropositionsSection } from '../../propositions/views/proposition-queue.tsx';

const date = (value: string) => new Date(value).toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' });


export interface ClaimPageProps {
  ctx: PageContext;
  csrf: string;
  lieu: { id: string; nom: string; commune: string };
  result?: ClaimResult;
  error?: string;
  errors?: FieldError[];
  message?: string;
}

export function ClaimPage(p: ClaimPageProps) {
  const title = `Je gère ce lieu : ${p.lieu.nom}`;
  return (
    <Page ctx={p.ctx} title={title} noindex>
      <div class="fr-container fr-mb-6w">
        <Breadcrumb items={[{ label: p.lieu.nom, href: `/lieux/${p.lieu.id}` }, { label: 'Je gère ce lieu' }]} />
        <h1>{title}</h1>
        {p.result ? (
          p.result.status === 'accepted' ? (
            <Alert type="success" role="status" title="Vous gérez ce lieu">
              <p>L’adresse de votre compte correspond au site web ou au courriel du lieu : vous pouvez désormais tenir à jour ses informations.</p>
            </Alert>
          ) : (
            <Alert type="info" role="status" title="Demande envoyée à l’équipe de modération">
              <p>{p.result.reason}</p>
              <p>Vous recevrez un e-mail dès que votre demande aura été traitée.</p>
            </Alert>
          )
        ) : (
          <>
            <p>
              Vous travaillez pour « {p.lieu.nom} » ({p.lieu.commune}) et souhaitez tenir ses informations à jour ? Si l’adresse e-mail de votre compte appartient au domaine du site web ou du courriel du lieu, votre demande
              est acceptée tout de suite. Sinon, l’équipe de modération la vérifie.
            </p>
            <ProblemAlert error={p.error} errors={p.errors} />
            <form method="post" action={`/lieux/${p.lieu.id}/revendiquer`}>
              <input type="hidden" name="_csrf" value={p.csrf} />
              <Input
                id="revendication-message"
                name="message"
                label="Message pour l’équipe de modération (facultatif)"
                hint="Votre fonction dans le lieu, un moyen de vérifier votre lien avec lui."
                textarea
                rows={4}
                maxLength={2000}
                value={p.message}
                error={p.errors?.find((e) => e.field === 'message')?.message}
              />
              <Button>Je gère ce lieu</Button>
            </form>
          </>
        )}
        <p class="fr-mt-4w">
          <a class="fr-link" href={`/lieux/${p.lieu.id}`}>
            Retour à la fiche du lieu
          </a>
        </p>
      </div>
    </Page>
  );
}

export interface ModerationPageProps {
  ctx: PageContext;
  csrf: string;
  queue: ModerationQueue;
  notice?: string;
  error?: string;
  errors?: FieldError[];
}

function Comment(p: { id: string; hint: string }) {
  return <Input id={p.id} name="commentaire" label="Commentaire" hint={p.hint} textarea rows={2} maxLength={2000} />;
}

export function ModerationPage(p: ModerationPageProps) {
  const { claims, reports, duplicates, propositions } = p.queue;
  return (
    <Page ctx={p.ctx} title="File de modération" noindex>
      <div class="fr-container fr-mb-6w">
        <Breadcrumb items={[{ label: 'Mon compte', href: '/compte' }, { label: 'File de modération' }]} />
        <h1>File de modération</h1>
        <p>
          {propositions.length} lieu{propositions.length > 1 ? 'x' : ''} proposé{propositions.length > 1 ? 's' : ''}, {claims.length} demande{claims.length > 1 ? 's' : ''} de gestion, {reports.length} signalement{reports.length > 1 ? 's' : ''}, {duplicates.length} doublon{duplicates.length > 1 ? 's' : ''} probable
          {duplicates.length > 1 ? 's' : ''}. Chaque décision est inscrite au journal d’audit ; la personne concernée est prévenue par e-mail.
        </p>
        <p>
          <a class="fr-link" href="/moderation/fusions">Fusions de lieux : séparer une fusion faite par erreur</a>
        </p>
        <p>
          <a class="fr-link" href="/moderation/journal">Journal d’audit : qui a écrit quoi, quand</a>
        </p>
        {p.notice ? (
          <Alert type="success" role="status" small>
            <p>{p.notice}</p>
          </Alert>
        ) : null}
        <ProblemAlert error={p.error} errors={p.errors} />

        <PropositionsSection items={propositions} csrf={p.csrf} />

        <h2 class="fr-mt-4w" id="revendications">
          Demandes de gestion de lieu
        </h2>
        {claims.length === 0 ? <p>Aucune demande en attente.</p> : null}
        <ul class="maillage-list">
          {claims.map((c) => (
            <li class="fr-mb-4w" id={`revendication-${c.id}`}>
              <h3 class="fr-h6 fr-mb-1w">
                <a href={`/lieux/${c.lieu.id}`}>{c.lieu.nom}</a> ({c.lieu.commune})
              </h3>
              <ul class="fr-text--sm maillage-break">
                <li>Demandeur : {c.email}</li>
                <li>Site web du lieu : {c.lieu.site_web.join(', ') || 'aucun'}</li>
                <li>Courriel du lieu : {c.lieu.courriels.join(', ') || 'aucun'}</li>
                <li>Pourquoi elle n’a pas été acceptée automatiquement : {c.reason}</li>
                <li>Message : {c.message ?? 'aucun'}</li>
                <li>Reçue le {date(c.created_at)}</li>
              </ul>
              <form method="post" action={`/moderation/revendications/${c.id}`}>
                <input type="hidden" name="_csrf" value={p.csrf} />
                <Comment id={`commentaire-revendication-${c.id}`} hint="Envoyé au demandeur ; obligatoire pour un refus." />
                <ul class="fr-btns-group fr-btns-group--inline-sm">
                  <li>
                    <Button name="decision" value="accepter">
                      Accepter<span class="fr-sr-only"> la demande pour {c.lieu.nom}</span>
                    </Button>
                  </li>
                  <li>
                    <Button kind="secondary" name="decision" value="refuser">
                      Refuser<span class="fr-sr-only"> la demande pour {c.lieu.nom}</span>
                    </Button>
                  </li>
                </ul>
              </form>
            </li>
          ))}
        </ul>

        <h2 class="fr-mt-4w" id="signalements">
          Signalements d’erreur
        </h2>
        {reports.length === 0 ? <p>Aucun signalement ouvert.</p> : null}
        <ul class="maillage-list">
          {reports.map((r) => (
            <li class="fr-mb-4w" id={`signalement-${r.id}`}>
              <h3 class="fr-h6 fr-mb-1w">
                <a href={`/lieux/${r.lieu.id}`}>{r.lieu.nom}</a> ({r.lieu.commune}) : {r.kind}
              </h3>
              <p class="fr-mb-1w maillage-break">{r.message}</p>
              <p class="fr-text--sm">
                Reçu le {date(r.created_at)}. {r.reply_expected ? 'La personne a laissé son adresse : elle sera prévenue de la décision.' : 'La personne n’a pas laissé d’adresse.'}{' '}
                <a href={`/moderation/lieux/${r.lieu.id}/historique`}>Historique de {r.lieu.nom}</a>
              </p>
              <form method="post" action={`/moderation/signalements/${r.id}`}>
                <input type="hidden" name="_csrf" value={p.csrf} />
                <Comment id={`commentaire-signalement-${r.id}`} hint={r.reply_expected ? 'Envoyé à la personne qui a signalé l’erreur.' : 'Gardé avec la décision.'} />
                <ul class="fr-btns-group fr-btns-group--inline-sm">
                  <li>
                    <Button name="decision" value="traite">
                      Marquer comme traité<span class="fr-sr-only"> : {r.lieu.nom}</span>
                    </Button>
                  </li>
                  <li>
                    <Button kind="secondary" name="decision" value="rejete">
                      Rejeter<span class="fr-sr-only"> le signalement sur {r.lieu.nom}</span>
                    </Button>
                  </li>
                </ul>
              </form>
            </li>
          ))}
        </ul>

        <h2 class="fr-mt-4w" id="doublons">
          Doublons probables
        </h2>
        {duplicates.length === 0 ? <p>Aucun doublon en attente.</p> : null}
        <ul class="maillage-list">
          {duplicates.map((d) => {
            const key = `${d.lieu_a.id}-${d.lieu_b.id}`;
            return (
              <li class="fr-mb-4w" id={`doublon-${key}`}>
                <h3 class="fr-h6 fr-mb-1w">
                  {d.lieu_a.nom} / {d.lieu_b.nom} (score {d.score} sur 100)
                </h3>
                <ul class="fr-text--sm maillage-break">
                  <li>
                    A : <a href={`/lieux/${d.lieu_a.id}`}>{d.lieu_a.nom}</a>, {d.lieu_a.adresse}, {d.lieu_a.commune} (<a href={`/moderation/lieux/${d.lieu_a.id}/historique`}>historique de A<span class="fr-sr-only"> : {d.lieu_a.nom}</span></a>)
                  </li>
                  <li>
                    B : <a href={`/lieux/${d.lieu_b.id}`}>{d.lieu_b.nom}</a>, {d.lieu_b.adresse}, {d.lieu_b.commune} (<a href={`/moderation/lieux/${d.lieu_b.id}/historique`}>historique de B<span class="fr-sr-only"> : {d.lieu_b.nom}</span></a>)
                  </li>
                  <li>
                    Noms semblables à {Math.round(d.signals.name * 100)} %
                    {d.signals.distance_m !== null ? `, à ${Math.round(d.signals.distance_m)} m l’un de l’autre` : ''}
                  </li>
                  {d.reason ? <li>{d.reason}</li> : null}
                </ul>
                <form method="post" action="/moderation/doublons">
                  <input type="hidden" name="_csrf" value={p.csrf} />
                  <input type="hidden" name="lieu_a" value={d.lieu_a.id} />
                  <input type="hidden" name="lieu_b" value={d.lieu_b.id} />
                  <fieldset class="fr-fieldset">
                    <legend class="fr-fieldset__legend fr-text--regular">En cas de fusion, lieu conservé</legend>
                    {(['a', 'b'] as const).map((side) => (
                      <div class="fr-fieldset__element">
                        <div class="fr-radio-group">
                          <input type="radio" id={`conserve-${side}-${key}`} name="conserve" value={side} checked={side === 'a'} />
                          <label class="fr-label" for={`conserve-${side}-${key}`}>
                            {side.toUpperCase()} : {side === 'a' ? d.lieu_a.nom : d.lieu_b.nom}
                          </label>
                        </div>
                      </div>
                    ))}
                  </fieldset>
                  <Comment id={`commentaire-doublon-${key}`} hint="Gardé avec la décision." />
                  <ul class="fr-btns-group fr-btns-group--inline-sm">
                    <li>
                      <Button name="decision" value="fusionner">
                        Fusionner<span class="fr-sr-only"> {d.lieu_a.nom} et {d.lieu_b.nom}</span>
                      </Button>
                    </li>
                    <li>
                      <Button kind="secondary" name="decision" value="rejeter">
                        Ce sont deux lieux distincts<span class="fr-sr-only"> : {d.lieu_a.nom} et {d.lieu_b.nom}</span>
                      </Button>
                    </li>
                  </ul>
                </form>
              </li>
            );
          })}
        </ul>
        <p>
          <ButtonLink kind="tertiary" href="/compte">
            Retour à mon compte
          </ButtonLink>
        </p>
      </div>
    </Page>
  );
}
