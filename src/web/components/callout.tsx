import type { ComponentChildren } from 'preact';

// DSFR "mise en avant" and "bandeau d'information importante".
export function Callout(p: { title?: string; icon?: string; children: ComponentChildren }) {
  return (
    <div class={`fr-callout${p.icon ? ` fr-icon-${p.icon}` : ''}`}>
      {p.title ? <h2 class="fr-callout__title">{p.title}</h2> : null}
      <div class="fr-callout__text">{p.children}</div>
    </div>
  );
}

export function Notice(p: { title: string; children?: ComponentChildren }) {
  return (
    <div class="fr-notice fr-notice--info">
      <div class="fr-container">
        <div class="fr-notice__body">
          <p>
            <span class="fr-notice__title">{p.title}</span>
            {p.children ? <span class="fr-notice__desc">{p.children}</span> : null}
          </p>
        </div>
      </div>
    </div>
  );
}
