import type { ComponentChildren } from 'preact';

// DSFR form controls: each label is tied to its control, hints and errors are announced
// through aria-describedby.

export interface InputProps {
  id: string;
  name: string;
  label: string;
  hint?: string;
  value?: string;
  type?: 'text' | 'email' | 'search' | 'tel' | 'url' | 'number';
  error?: string;
  required?: boolean;
  autocomplete?: string;
  inputmode?: string;
  list?: string;
  textarea?: boolean;
  rows?: number;
  maxLength?: number;
  attrs?: Record<string, string>;
}

export function Input(p: InputProps) {
  const messagesId = `${p.id}-messages`;
  const common = {
    class: `fr-input${p.error ? ' fr-input--error' : ''}`,
    id: p.id,
    name: p.name,
    required: p.required,
    'aria-describedby': messagesId,
    maxLength: p.maxLength,
    ...(p.attrs ?? {}),
  };
  return (
    <div class={`fr-input-group${p.error ? ' fr-input-group--error' : ''}`}>
      <label class="fr-label" for={p.id}>
        {p.label}
        {p.hint ? <span class="fr-hint-text">{p.hint}</span> : null}
      </label>
      {p.textarea ? (
        <textarea {...common} rows={p.rows ?? 5}>
          {p.value ?? ''}
        </textarea>
      ) : (
        <input
          {...common}
          type={p.type ?? 'text'}
          value={p.value ?? ''}
          autocomplete={p.autocomplete}
          inputMode={p.inputmode as 'text' | undefined}
          list={p.list}
        />
      )}
      <div class="fr-messages-group" id={messagesId} aria-live="polite">
        {p.error ? <p class="fr-message fr-message--error">{p.error}</p> : null}
      </div>
    </div>
  );
}

export interface Option {
  value: string;
  label: string;
}

export function Select(p: { id: string; name: string; label: string; hint?: string; options: Option[]; value?: string; placeholder?: string }) {
  return (
    <div class="fr-select-group">
      <label class="fr-label" for={p.id}>
        {p.label}
        {p.hint ? <span class="fr-hint-text">{p.hint}</span> : null}
      </label>
      <select class="fr-select" id={p.id} name={p.name}>
        {p.placeholder !== undefined ? <option value="">{p.placeholder}</option> : null}
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === p.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A group of checkboxes sharing a name: submitted as repeated query parameters. */
export function CheckboxGroup(p: { id: string; name: string; legend: string; options: Option[]; checked: string[]; small?: boolean }) {
  return (
    <fieldset class="fr-fieldset" id={p.id} aria-labelledby={`${p.id}-legend`}>
      <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id={`${p.id}-legend`}>
        {p.legend}
      </legend>
      {p.options.map((o, i) => (
        <div class="fr-fieldset__element">
          <div class={`fr-checkbox-group${p.small ? ' fr-checkbox-group--sm' : ''}`}>
            <input type="checkbox" id={`${p.id}-${i}`} name={p.name} value={o.value} checked={p.checked.includes(o.value)} />
            <label class="fr-label" for={`${p.id}-${i}`}>
              {o.label}
            </label>
          </div>
        </div>
      ))}
    </fieldset>
  );
}

export function Checkbox(p: { id: string; name: string; label: string; value?: string; checked?: boolean; hint?: string }) {
  return (
    <div class="fr-checkbox-group">
      <input type="checkbox" id={p.id} name={p.name} value={p.value ?? 'oui'} checked={p.checked} />
      <label class="fr-label" for={p.id}>
        {p.label}
        {p.hint ? <span class="fr-hint-text">{p.hint}</span> : null}
      </label>
    </div>
  );
}

export function Fieldset(p: { legend: string; children: ComponentChildren }) {
  return (
    <fieldset class="fr-fieldset">
      <legend class="fr-fieldset__legend">{p.legend}</legend>
      {p.children}
    </fieldset>
  );
}
