import type { FieldError } from '../../../lib/errors.ts';
import { Alert } from '../../../web/components/alert.tsx';
import { Button } from '../../../web/components/button.tsx';
import { Input, Select } from '../../../web/components/form.tsx';
import { MESSAGE_MAX, REPORT_KINDS, type ReportForm } from '../reports.schema.ts';

// "Signaler une erreur": a plain POST form, no account. The honeypot field is hidden from
// people (and from assistive technology) but bots fill it.

export type ReportFormState =
  | { state: 'blank' }
  | { state: 'sent' }
  | { state: 'invalid'; errors: FieldError[]; values: ReportForm }
  | { state: 'refused'; message: string };

export function ReportFormView({ lieuId, form }: { lieuId: string; form: ReportFormState }) {
  const values = form.state === 'invalid' ? form.values : {};
  const errorOf = (field: string) => (form.state === 'invalid' ? form.errors.find((e) => e.field === field)?.message : undefined);
  return (
    <section id="signaler" class="fr-mt-6w maillage-no-print" aria-labelledby="signaler-titre">
      <h2 id="signaler-titre">Signaler une erreur</h2>
      {form.state === 'sent' ? (
        <Alert type="success" title="Merci, votre signalement a bien été envoyé." role="status">
          <p>L’équipe qui tient cette fiche à jour va le vérifier.</p>
        </Alert>
      ) : (
        <>
          <p>Une information est fausse ou manque ? Dites-le nous : l’équipe qui tient cette fiche à jour la corrigera.</p>
          {form.state === 'refused' ? (
            <Alert type="error" title="Le signalement n’a pas été envoyé" role="alert">
              <p>{form.message}</p>
            </Alert>
          ) : null}
          {form.state === 'invalid' ? (
            <Alert type="error" title="Le signalement n’a pas été envoyé" role="alert">
              <ul>
                {form.errors.map((e) => (
                  <li>{e.message}</li>
                ))}
              </ul>
            </Alert>
          ) : null}
          <form method="post" action={`/lieux/${lieuId}/signalement`} class="fr-mt-3w">
            <Select
              id="signalement-kind"
              name="kind"
              label="Qu’est-ce qui est faux ?"
              placeholder="Choisissez une option"
              options={REPORT_KINDS}
              value={values.kind}
            />
            {errorOf('kind') ? <p class="fr-error-text">{errorOf('kind')}</p> : null}
            <Input
              id="signalement-message"
              name="message"
              label="Votre message"
              hint={`Décrivez ce qui est faux et, si vous la connaissez, la bonne information (${MESSAGE_MAX} caractères au plus).`}
              textarea
              rows={5}
              maxLength={MESSAGE_MAX}
              value={values.message}
              error={errorOf('message')}
              required
            />
            <Input
              id="signalement-email"
              name="email"
              type="email"
              autocomplete="email"
              label="Votre adresse électronique (facultatif)"
              hint="Seulement pour vous répondre. Format attendu : nom@domaine.fr"
              value={values.email}
              error={errorOf('email')}
            />
            <div class="maillage-honeypot" aria-hidden="true">
              <label for="signalement-site">Ne pas remplir ce champ</label>
              <input type="text" id="signalement-site" name="site" tabIndex={-1} autocomplete="off" />
            </div>
            <Button icon="flag-line" kind="secondary">
              Envoyer le signalement
            </Button>
          </form>
        </>
      )}
    </section>
  );
}
