// DSFR footer: brand, description, official sites and the legal links every State site carries.
export interface FooterProps {
  description: string;
  bottomLinks: { href: string; label: string }[];
}

const officialSites = [
  { href: 'https://www.info.gouv.fr', label: 'info.gouv.fr' },
  { href: 'https://www.service-public.fr', label: 'service-public.fr' },
  { href: 'https://www.legifrance.gouv.fr', label: 'legifrance.gouv.fr' },
  { href: 'https://www.data.gouv.fr', label: 'data.gouv.fr' },
];

export function Footer({ description, bottomLinks }: FooterProps) {
  return (
    <footer class="fr-footer" role="contentinfo" id="pied-de-page">
      <div class="fr-container">
        <div class="fr-footer__body">
          <div class="fr-footer__brand fr-enlarge-link">
            <a href="/" title="Retour à l’accueil du site - Maillage">
              <p class="fr-logo">
                République
                <br />
                Française
              </p>
            </a>
          </div>
          <div class="fr-footer__content">
            <p class="fr-footer__content-desc">{description}</p>
            <ul class="fr-footer__content-list">
              {officialSites.map((s) => (
                <li class="fr-footer__content-item">
                  <a class="fr-footer__content-link" href={s.href}>
                    {s.label}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        </div>
        <div class="fr-footer__bottom">
          <ul class="fr-footer__bottom-list">
            {bottomLinks.map((l) => (
              <li class="fr-footer__bottom-item">
                <a class="fr-footer__bottom-link" href={l.href}>
                  {l.label}
                </a>
              </li>
            ))}
          </ul>
          <div class="fr-footer__bottom-copy">
            <p>
              Sauf mention contraire, les contenus de ce site sont proposés sous{' '}
              <a href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/">Licence Ouverte 2.0</a>.
            </p>
          </div>
        </div>
      </div>
    </footer>
  );
}
