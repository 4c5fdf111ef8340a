import type { ComponentChildren } from 'preact';

// DSFR "alerte": a framed message of a given severity.
export type AlertType = 'info' | 'success' | 'warning' | 'error';

export function Alert(props: { type: AlertType; title?: string; small?: boolean; children?: ComponentChildren; role?: 'alert' | 'status' }) {
  const cls = `fr-alert fr-alert--${props.type}${props.small ? ' fr-alert--sm' : ''}`;
  return (
    <div class={cls} role={props.role}>
      {props.title ? <h2 class="fr-alert__title">{props.title}</h2> : null}
      {props.children}
    </div>
  );
}

/** A refused form: the French reason, then one line per field error; nothing without a reason. */
export function ProblemAlert(props: { error?: string; errors?: readonly { message: string }[] }) {
  if (!props.error) return null;
  return (
    <Alert type="error" role="alert">
      <p>{props.error}</p>
      {props.errors?.length ? (
        <ul>
          {props.errors.map((e) => (
            <li>{e.message}</li>
          ))}
        </ul>
      ) : null}
    </Alert>
  );
}
