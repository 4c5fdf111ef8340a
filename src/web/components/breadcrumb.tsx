// DSFR "fil d'Ariane": the last item is the current page (no link).
export interface Crumb {
  label: string;
  href?: string;
}

export function Breadcrumb({ items }: { items: Crumb[] }) {
  return (
    <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
      <button class="fr-breadcrumb__button" aria-expanded="false" aria-controls="breadcrumb-1">
        Voir le fil d’Ariane
      </button>
      <div class="fr-collapse" id="breadcrumb-1">
        <ol class="fr-breadcrumb__list">
          {items.map((item, i) => (
            <li>
              {item.href && i < items.length - 1 ? (
                <a class="fr-breadcrumb__link" href={item.href}>
                  {item.label}
                </a>
              ) : (
                <a class="fr-breadcrumb__link" aria-current="page">
                  {item.label}
                </a>
              )}
            </li>
          ))}
        </ol>
      </div>
    </nav>
  );
}
