import { Page, type PageContext } from '../../../web/layout/page.tsx';
import { Alert } from '../../../web/components/alert.tsx';
import { Breadcrumb } from '../../../web/components/breadcrumb.tsx';
import { Button } from '../../../web/components/button.tsx';
import { CheckboxGroup, Input, Select } from '../../../web/components/form.tsx';
import type { FieldError } from '../../../lib/errors.ts';
import { dispositif_programmes_nationaux } from '../../lieux/lieux.schema.ts';

// "Intégrer la carte": a plain GET form whose answer is the copy-paste code (iframe and web
// component) with a preview; with JavaScript the code and preview follow each change.

export interface IntegrerForm {
  territoire_type: string;
  territoire_code: string;
  reseau: string[];
  structure_parente: string;
  source: string;
  titre: string;
  logo: string;
  couleur: string;
}

export interface Snippets {
  iframe: string;
  component: string;
  /** Same-origin URL of the preview frame. */
  previewUrl: string;
}

export interface IntegrerModel {
  form: IntegrerForm;
  sources: { name: string; producer: string }[];
  errors: FieldError[];
  snippets?: Snippets;
}

const errorOf = (errors: FieldError[], field: string) =>
  errors
    .filter((e) => e.field === field)
    .map((e) => e.message)
    .join(' ') || undefined;

/** The part that follows each change of the form (also served alone as a fragment). */
export function IntegrationResult({ model }: { model: IntegrerModel }) {
  if (model.errors.length) {
    return (
      <Alert type="error" title="Le code ne peut pas être généré">
        <ul>
          {model.errors.map((e) => (
            <li>{e.message}</li>
          ))}
        </ul>
      </Alert>
    );
  }
  const s = model.snippets!;
  return (
    <>
      <h2 class="fr-h4">Code à copier dans votre site</h2>
      <Input id="code-iframe" name="code_iframe" label="Avec une balise iframe" hint="Fonctionne partout, même sans JavaScript." textarea rows={4} value={s.iframe} attrs={{ readonly: '', spellcheck: 'false' }} />
      <p>
        <Button kind="tertiary" type="button" icon="links-line" hidden attrs={{ 'data-copy': 'code-iframe' }}>
          Copier le code iframe
        </Button>
      </p>
      <Input
        id="code-composant"
        name="code_composant"
        label="Avec le composant web <maillage-carte>"
        hint="La hauteur du cadre s’adapte au contenu."
        textarea
        rows={4}
        value={s.component}
        attrs={{ readonly: '', spellcheck: 'false' }}
      />
      <p>
        <Button kind="tertiary" type="button" icon="links-line" hidden attrs={{ 'data-copy': 'code-composant' }}>
          Copier le code du composant
        </Button>
        <span id="copie-statut" class="fr-text--sm" aria-live="polite"></span>
      </p>
      <h2 class="fr-h4">Aperçu</h2>
      <iframe class="maillage-embed-preview" src={s.previewUrl} title="Aperçu de la carte intégrée" loading="lazy"></iframe>
    </>
  );
}

export function IntegrerPage({ ctx, model }: { ctx: PageContext; model: IntegrerModel }) {
  const f = model.form;
  return (
    <Page
      ctx={ctx}
      title="Intégrer la carte des lieux dans votre site"
      description="Générez le code pour afficher sur votre site la carte des lieux d’aide au numérique de votre territoire, de votre réseau ou de votre source de données."
      scripts={['integrer.js']}
      styles={['embed.css']}
    >
      <div class="fr-container fr-mb-7w">
        <Breadcrumb items={[{ label: 'Accueil', href: '/' }, { label: 'Intégrer la carte' }]} />
        <h1>Intégrer la carte des lieux dans votre site</h1>
        <p class="fr-text--lead">
          Collectivités, réseaux, producteurs de données : affichez sur votre site la liste et la carte des lieux de votre territoire,
          avec les filtres du site. Les fiches des lieux s’ouvrent sur Maillage dans un nouvel onglet.
        </p>
        <div class="fr-grid-row fr-grid-row--gutters">
          <div class="fr-col-12 fr-col-lg-5">
            <form method="get" action="/integrer" data-integration>
              <fieldset class="fr-fieldset" aria-labelledby="integrer-lieux-legend">
                <legend class="fr-fieldset__legend" id="integrer-lieux-legend">
                  Quels lieux ?
                </legend>
                <div class="fr-fieldset__element">
                  <Select
                    id="integrer-territoire-type"
                    name="territoire_type"
                    label="Territoire"
                    placeholder="Toute la France"
                    value={f.territoire_type}
                    options={[
                      { value: 'commune', label: 'Une commune' },
                      { value: 'epci', label: 'Un EPCI (intercommunalité)' },
                      { value: 'departement', label: 'Un département' },
                      { value: 'region', label: 'Une région' },
                    ]}
                  />
                </div>
                <div class="fr-fieldset__element">
                  <Input
                    id="integrer-territoire-code"
                    name="territoire_code"
                    label="Code du territoire"
                    hint="Code INSEE de la commune (35238), SIREN de l’EPCI, numéro du département (35) ou code de la région (53)."
                    value={f.territoire_code}
                    maxLength={20}
                    error={errorOf(model.errors, 'territoire')}
                  />
                </div>
                <div class="fr-fieldset__element">
                  <CheckboxGroup
                    id="integrer-reseau"
                    name="reseau"
                    legend="Réseau (dispositif national)"
                    options={dispositif_programmes_nationaux.map((d) => ({ value: d, label: d }))}
                    checked={f.reseau}
                    small
                  />
                </div>
                <div class="fr-fieldset__element">
                  <Input
                    id="integrer-structure"
                    name="structure_parente"
                    label="Structure parente"
                    hint="Les lieux dont la structure parente porte exactement ce nom (majuscules et accents ignorés)."
                    value={f.structure_parente}
                    maxLength={200}
                    error={errorOf(model.errors, 'structure_parente')}
                  />
                </div>
                <div class="fr-fieldset__element">
                  <Select
                    id="integrer-source"
                    name="source"
                    label="Source de données"
                    placeholder="Toutes les sources"
                    value={f.source}
                    options={model.sources.map((s) => ({ value: s.name, label: `${s.producer} (${s.name})` }))}
                  />
                </div>
              </fieldset>
              <fieldset class="fr-fieldset" aria-labelledby="integrer-apparence-legend">
                <legend class="fr-fieldset__legend" id="integrer-apparence-legend">
                  Apparence
                </legend>
                <div class="fr-fieldset__element">
                  <Input id="integrer-titre" name="titre" label="Titre" hint="80 caractères au plus." value={f.titre} maxLength={80} error={errorOf(model.errors, 'titre')} />
                </div>
                <div class="fr-fieldset__element">
                  <Input
                    id="integrer-logo"
                    name="logo"
                    type="url"
                    label="Adresse du logo"
                    hint="Une image en https://, ou rien."
                    value={f.logo}
                    maxLength={500}
                    error={errorOf(model.errors, 'logo')}
                  />
                </div>
                <div class="fr-fieldset__element">
                  <Input
                    id="integrer-couleur"
                    name="couleur"
                    label="Couleur principale"
                    hint="Code hexadécimal, par exemple #000091. Si elle est trop claire pour du texte, les liens restent bleus."
                    value={f.couleur}
                    maxLength={7}
                    error={errorOf(model.errors, 'couleur')}
                  />
                </div>
              </fieldset>
              <Button icon="check-line">Générer le code</Button>
            </form>
          </div>
          <div class="fr-col-12 fr-col-lg-7">
            <p id="integration-annonce" class="fr-sr-only" aria-live="polite"></p>
            <div id="integration-resultat">
              <IntegrationResult model={model} />
            </div>
          </div>
        </div>
      </div>
    </Page>
  );
}
