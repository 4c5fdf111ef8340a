import type { ComponentChildren } from 'preact';

// DSFR buttons: a real <button> for actions, a link styled as a button for navigation.
export type ButtonKind = 'primary' | 'secondary' | 'tertiary' | 'tertiary-no-outline';

function classes(kind: ButtonKind, icon?: string, iconRight?: boolean, extra?: string): string {
  return [
    'fr-btn',
    kind === 'primary' ? '' : `fr-btn--${kind}`,
    icon ? `fr-icon-${icon} fr-btn--icon-${iconRight ? 'right' : 'left'}` : '',
    extra ?? '',
  ]
    .filter(Boolean)
    .join(' ');
}

export function Button(props: {
  kind?: ButtonKind;
  type?: 'submit' | 'button' | 'reset';
  icon?: string;
  id?: string;
  name?: string;
  value?: string;
  hidden?: boolean;
  class?: string;
  /** Extra attributes, e.g. data-* hooks for client scripts. */
  attrs?: Record<string, string>;
  children: ComponentChildren;
}) {
  return (
    <button
      {...(props.attrs ?? {})}
      type={props.type ?? 'submit'}
      id={props.id}
      name={props.name}
      value={props.value}
      hidden={props.hidden}
      class={classes(props.kind ?? 'primary', props.icon, false, props.class)}
    >
      {props.children}
    </button>
  );
}

export function ButtonLink(props: {
  href: string;
  kind?: ButtonKind;
  icon?: string;
  iconRight?: boolean;
  rel?: string;
  download?: boolean;
  class?: string;
  children: ComponentChildren;
}) {
  return (
    <a href={props.href} rel={props.rel} download={props.download} class={classes(props.kind ?? 'primary', props.icon, props.iconRight, props.class)}>
      {props.children}
    </a>
  );
}
