// DSFR "liens d'évitement": the first thing keyboard and screen-reader users reach.
export interface SkipLink {
  href: string;
  label: string;
}

export function SkipLinks({ links }: { links: SkipLink[] }) {
  return (
    <div class="fr-skiplinks">
      <nav class="fr-container" role="navigation" aria-label="Accès rapide">
        <ul class="fr-skiplinks__list">
          {links.map((l) => (
            <li>
              <a class="fr-link" href={l.href}>
                {l.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </div>
  );
}
