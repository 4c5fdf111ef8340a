import type { ComponentChildren } from 'preact';

// DSFR "carte": the whole card is clickable through its title link (fr-enlarge-link).
export function Card(p: {
  href: string;
  title: string;
  headingLevel?: 2 | 3 | 4;
  description?: ComponentChildren;
  start?: ComponentChildren;
  end?: ComponentChildren;
  horizontal?: boolean;
  attrs?: Record<string, string>;
}) {
  const Heading = `h${p.headingLevel ?? 3}` as 'h3';
  return (
    <div class={`fr-card fr-enlarge-link${p.horizontal ? ' fr-card--horizontal' : ''}`} {...(p.attrs ?? {})}>
      <div class="fr-card__body">
        <div class="fr-card__content">
          <Heading class="fr-card__title">
            <a href={p.href}>{p.title}</a>
          </Heading>
          {p.description ? <div class="fr-card__desc">{p.description}</div> : null}
          {p.start ? <div class="fr-card__start">{p.start}</div> : null}
          {p.end ? <div class="fr-card__end">{p.end}</div> : null}
        </div>
      </div>
    </div>
  );
}
