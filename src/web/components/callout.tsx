import type { ComponentChildren } from 'preact';

// DSFR "mise en avant".
export function Callout(p: { title?: string; icon?: string; children: ComponentChildren }) {
  return (
    <div class={`fr-callout${p.icon ? ` fr-icon-${p.icon}` : ''}`}>
      {p.title ? <h2 class="fr-callout__title">{p.title}</h2> : null}
      <div class="fr-callout__text">{p.children}</div>
    </div>
  );
}
