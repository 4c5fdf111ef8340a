// The "Lieux proposés" section of the moderation queue: each proposal with its fields, a
// comment and the accept / refuse buttons (plain form, CSRF token of the session).
import { Button } from '../../../web/components/button.tsx';
import { Input } from '../../../web/components/form.tsx';
import type { PendingProposition } from '../propositions.use-cases.ts';

const date = (value: string) => new Date(value).toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' });
const shown = (value: unknown) => (Array.isArray(value) ? value.join(', ') : String(value));

export function PropositionsSection(p: { items: PendingProposition[]; csrf: string }) {
  return (
    <>
      <h2 class="fr-mt-4w" id="propositions">
        Lieux proposés
      </h2>
      {p.items.length === 0 ? <p>Aucune proposition en attente.</p> : null}
      <ul class="maillage-list">
        {p.items.map((item) => (
          <li class="fr-mb-4w" id={`proposition-${item.id}`}>
            <h3 class="fr-h6 fr-mb-1w">
              {item.nom} ({item.code_postal} {item.commune})
            </h3>
            <ul class="fr-text--sm maillage-break">
              <li>Adresse : {item.adresse}</li>
              <li>Proposé par : {item.email}</li>
              <li>Reçue le {date(item.created_at)}</li>
              {item.similar.length ? (
                <li>
                  Lieux semblables déjà publiés dans la commune :
                  <ul>
                    {item.similar.map((l) => (
                      <li>
                        <a href={`/lieux/${l.id}`}>{l.nom}</a>, {l.adresse} (ressemblance {l.score} sur 100)
                      </li>
                    ))}
                  </ul>
                </li>
              ) : (
                <li>Aucun lieu semblable publié dans la commune.</li>
              )}
            </ul>
            <details class="fr-mb-2w">
              <summary>Tous les champs proposés</summary>
              <dl class="fr-text--sm maillage-break">
                {Object.entries(item.record).map(([field, value]) => (
                  <div>
                    <dt class="fr-text--bold">{field}</dt>
                    <dd>{shown(value)}</dd>
                  </div>
                ))}
              </dl>
            </details>
            <form method="post" action={`/moderation/propositions/${item.id}`}>
              <input type="hidden" name="_csrf" value={p.csrf} />
              <Input id={`commentaire-proposition-${item.id}`} name="commentaire" label="Commentaire" hint="Envoyé à la personne qui a proposé le lieu ; obligatoire pour un refus." textarea rows={2} maxLength={2000} />
              <ul class="fr-btns-group fr-btns-group--inline-sm">
                <li>
                  <Button name="decision" value="accepter">
                    Accepter et publier<span class="fr-sr-only"> {item.nom}</span>
                  </Button>
                </li>
                <li>
                  <Button kind="secondary" name="decision" value="refuser">
                    Refuser<span class="fr-sr-only"> la proposition {item.nom}</span>
                  </Button>
                </li>
              </ul>
            </form>
          </li>
        ))}
      </ul>
    </>
  );
}
