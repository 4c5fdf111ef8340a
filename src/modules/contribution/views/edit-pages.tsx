import type { FieldError } from '../../../lib/errors.ts';
import { Page, type PageContext } from '../../../web/layout/page.tsx';
import { Alert } from '../../../web/components/alert.tsx';
import { Breadcrumb } from '../../../web/components/breadcrumb.tsx';
import { Button } from '../../../web/components/button.tsx';
import { Input } from '../../../web/components/form.tsx';
import { Table } from '../../../web/components/table.tsx';
import type { Lieu } from '../../lieux/lieux.schema.ts';
import type { OpenConflict } from '../conflicts.use-cases.ts';
import { formFields, formSections, type FormField, type FormValues } from '../edit-form.ts';
import type { FieldDiff } from '../field-diff.ts';
import { labelOf } from '../field-labels.ts';
import { ConflictList } from './conflict-list.tsx';

// The place edit page (a plain POST form, every standard field a person may edit) and its
// confirmation step (the field-level diff, the submitted values carried in hidden inputs).

const controlId = (field: string) => `champ-${field}`;
/** Where an error's link in the summary leads: the control, or a group's first checkbox. */
const anchorOf = (field: string) => {
  const known = formFields.find((f) => f.field === field);
  if (!known) return undefined;
  return known.kind === 'checkboxes' ? `${controlId(field)}-0` : controlId(field);
};

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
const many = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);

function Crumbs({ lieu, current }: { lieu: Lieu; current: string }) {
  return (
    <Breadcrumb
      items={[
        { label: 'Mon compte', href: '/compte' },
        { label: 'Mes lieux', href: '/compte/lieux' },
        { label: lieu.nom, href: `/compte/lieux/${lieu.id}/modifier` },
        { label: current },
      ]}
    />
  );
}

function CheckboxField({ field, values, error }: { field: FormField; values: FormValues; error?: string }) {
  const id = controlId(field.field);
  const checked = many(values[field.field]);
  // Values the place holds that the enumeration no longer lists stay visible and checked.
  const options = [...(field.options ?? []), ...checked.filter((v) => !(field.options ?? []).includes(v))];
  return (
    <fieldset
      class={`fr-fieldset${error ? ' fr-fieldset--error' : ''}`}
      id={id}
      aria-labelledby={`${id}-legend ${id}-messages`}
    >
      <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id={`${id}-legend`}>
        {field.label}
        {field.hint ? <span class="fr-hint-text">{field.hint}</span> : null}
      </legend>
      {options.map((option, i) => (
        <div class="fr-fieldset__element">
          <div class="fr-checkbox-group fr-checkbox-group--sm">
            <input type="checkbox" id={`${id}-${i}`} name={field.field} value={option} checked={checked.includes(option)} />
            <label class="fr-label" for={`${id}-${i}`}>
              {option}
            </label>
          </div>
        </div>
      ))}
      <div class="fr-messages-group" id={`${id}-messages`} aria-live="polite">
        {error ? <p class="fr-message fr-message--error">{error}</p> : null}
      </div>
    </fieldset>
  );
}

function Control({ field, values, error }: { field: FormField; values: FormValues; error?: string }) {
  if (field.kind === 'checkboxes') return <CheckboxField field={field} values={values} error={error} />;
  const textarea = field.kind === 'textarea' || field.kind === 'lines';
  return (
    <Input
      id={controlId(field.field)}
      name={field.field}
      label={field.label}
      hint={field.hint}
      value={one(values[field.field])}
      error={error}
      required={field.required}
      textarea={textarea}
      rows={field.kind === 'lines' ? 3 : field.field === 'presentation_detail' ? 6 : 3}
      type={field.kind === 'tel' ? 'tel' : field.kind === 'url' ? 'url' : 'text'}
      inputmode={field.kind === 'number' ? 'decimal' : undefined}
      autocomplete="off"
    />
  );
}

function ErrorSummary({ errors }: { errors: FieldError[] }) {
  if (!errors.length) return null;
  return (
    <Alert type="error" title={errors.length > 1 ? `${errors.length} champs sont à corriger` : 'Un champ est à corriger'} role="alert">
      <p>Rien n’a été enregistré. Vos saisies sont conservées ci-dessous.</p>
      <ul>
        {errors.map((e) => {
          const anchor = anchorOf(e.field);
          const text = `${labelOf(e.field)} : ${e.message}`;
          return <li>{anchor ? <a href={`#${anchor}`}>{text}</a> : text}</li>;
        })}
      </ul>
    </Alert>
  );
}

export interface EditPageProps {
  ctx: PageContext;
  lieu: Lieu;
  csrf: string;
  values: FormValues;
  errors?: FieldError[];
  /** A refusal that is not about one field (the place changed meanwhile, nothing to save…). */
  notice?: { type: 'info' | 'success' | 'warning' | 'error'; text: string };
  conflicts: OpenConflict[];
}

export function EditPage(p: EditPageProps) {
  const errors = p.errors ?? [];
  const errorOf = (field: string) => errors.filter((e) => e.field === field).map((e) => e.message).join(' ') || undefined;
  const title = `Modifier « ${p.lieu.nom} »`;
  return (
    <Page ctx={p.ctx} title={errors.length ? `Erreurs – ${title}` : title} noindex>
      <div class="fr-container fr-my-6w">
        <Crumbs lieu={p.lieu} current="Modifier" />
        <h1>{title}</h1>
        <ErrorSummary errors={errors} />
        {p.notice ? (
          <Alert type={p.notice.type} role={p.notice.type === 'error' || p.notice.type === 'warning' ? 'alert' : 'status'}>
            <p>{p.notice.text}</p>
          </Alert>
        ) : null}
        <p class="fr-mt-2w">
          <a href={`/lieux/${p.lieu.id}`}>Voir la fiche publique</a> · <a href={`/compte/lieux/${p.lieu.id}/historique`}>Historique des modifications</a>
        </p>
        <ConflictList conflicts={p.conflicts} csrf={p.csrf} back="modifier" />
        <p>
          Modifiez les informations puis vérifiez vos modifications : elles ne sont enregistrées qu’après votre confirmation. La date de mise à jour
          du lieu devient celle du jour. Une valeur que vous saisissez reste celle du lieu, même si une source de données en indique une autre : vous
          en serez averti ici.
        </p>
        <form method="post" action={`/compte/lieux/${p.lieu.id}/modifier`} novalidate>
          <input type="hidden" name="_csrf" value={p.csrf} />
          {formSections.map((section) => (
            <fieldset class="fr-fieldset fr-mt-4w" aria-labelledby={`section-${section.fields[0]!.field}`}>
              <legend class="fr-fieldset__legend" id={`section-${section.fields[0]!.field}`}>
                <h2 class="fr-h4 fr-mb-0">{section.title}</h2>
              </legend>
              {section.fields.map((field) => (
                <div class="fr-fieldset__element">
                  <Control field={field} values={p.values} error={errorOf(field.field)} />
                </div>
              ))}
            </fieldset>
          ))}
          <ul class="fr-btns-group fr-btns-group--inline-md">
            <li>
              <Button name="etape" value="verifier" icon="eye-line">
                Vérifier mes modifications
              </Button>
            </li>
          </ul>
        </form>
      </div>
    </Page>
  );
}

function Hidden({ values }: { values: FormValues }) {
  return (
    <>
      {formFields.flatMap(({ field, kind }) =>
        kind === 'checkboxes' ? many(values[field]).map((v) => <input type="hidden" name={field} value={v} />) : [<input type="hidden" name={field} value={one(values[field])} />],
      )}
    </>
  );
}

const empty = <em>(vide)</em>;

function before(change: FieldDiff) {
  if (!change.list) return change.from ?? empty;
  return change.removed.length ? <>Retiré : {change.removed.join(', ')}</> : '—';
}

function after(change: FieldDiff) {
  if (!change.list) return change.to ?? empty;
  return change.added.length ? <>Ajouté : {change.added.join(', ')}</> : '—';
}

/** The field diff as a table: label, before, after (lists: removed and added items). */
export function DiffTable({ caption, changes }: { caption: string; changes: FieldDiff[] }) {
  return <Table caption={caption} headers={['Champ', 'Avant', 'Après']} rows={changes.map((c) => [c.label, before(c), after(c)])} />;
}

export function ConfirmEditPage(p: { ctx: PageContext; lieu: Lieu; csrf: string; values: FormValues; changes: FieldDiff[]; notice?: string }) {
  const title = `Vérifier les modifications de « ${p.lieu.nom} »`;
  return (
    <Page ctx={p.ctx} title={title} noindex>
      <div class="fr-container fr-my-6w">
        <Crumbs lieu={p.lieu} current="Vérifier" />
        <h1>{title}</h1>
        {p.notice ? (
          <Alert type="warning" role="alert">
            <p>{p.notice}</p>
          </Alert>
        ) : null}
        <p>
          {p.changes.length > 1 ? `${p.changes.length} champs vont changer.` : 'Un champ va changer.'} Rien n’est enregistré tant que vous n’avez pas
          confirmé.
        </p>
        <DiffTable caption="Vos modifications" changes={p.changes} />
        <form method="post" action={`/compte/lieux/${p.lieu.id}/modifier`}>
          <input type="hidden" name="_csrf" value={p.csrf} />
          <input type="hidden" name="vu" value={p.lieu.updated_at} />
          <Hidden values={p.values} />
          <ul class="fr-btns-group fr-btns-group--inline-md">
            <li>
              <Button name="etape" value="enregistrer" icon="check-line">
                Enregistrer les modifications
              </Button>
            </li>
            <li>
              <Button name="etape" value="corriger" kind="secondary" icon="arrow-left-line">
                Revenir au formulaire
              </Button>
            </li>
          </ul>
        </form>
      </div>
    </Page>
  );
}
