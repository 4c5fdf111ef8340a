// DSFR header: République Française block, service name and tagline, quick links, main menu.
export interface NavItem {
  href: string;
  label: string;
  current?: boolean;
}

export interface HeaderProps {
  serviceName: string;
  tagline: string;
  tools: { href: string; label: string; icon: string }[];
  nav: NavItem[];
}

export function Header({ serviceName, tagline, tools, nav }: HeaderProps) {
  return (
    <header role="banner" class="fr-header">
      <div class="fr-header__body">
        <div class="fr-container">
          <div class="fr-header__body-row">
            <div class="fr-header__brand fr-enlarge-link">
              <div class="fr-header__brand-top">
                <div class="fr-header__logo">
                  <p class="fr-logo">
                    République
                    <br />
                    Française
                  </p>
                </div>
                <div class="fr-header__navbar">
                  <button
                    class="fr-btn--menu fr-btn"
                    data-fr-opened="false"
                    aria-controls="modal-menu"
                    aria-haspopup="menu"
                    id="button-menu"
                    title="Menu"
                  >
                    Menu
                  </button>
                </div>
              </div>
              <div class="fr-header__service">
                <a href="/" title={`Accueil - ${serviceName}`}>
                  <p class="fr-header__service-title">{serviceName}</p>
                </a>
                <p class="fr-header__service-tagline">{tagline}</p>
              </div>
            </div>
            <div class="fr-header__tools">
              <div class="fr-header__tools-links">
                <ul class="fr-btns-group">
                  {tools.map((t) => (
                    <li>
                      <a class={`fr-btn fr-icon-${t.icon}`} href={t.href}>
                        {t.label}
                      </a>
                    </li>
                  ))}
                </ul>
              </div>
            </div>
          </div>
        </div>
      </div>
      <div class="fr-header__menu fr-modal" id="modal-menu" aria-labelledby="button-menu">
        <div class="fr-container">
          <button class="fr-btn--close fr-btn" aria-controls="modal-menu" title="Fermer">
            Fermer
          </button>
          <div class="fr-header__menu-links"></div>
          <nav class="fr-nav" id="navigation" role="navigation" aria-label="Menu principal">
            <ul class="fr-nav__list">
              {nav.map((item) => (
                <li class="fr-nav__item">
                  <a class="fr-nav__link" href={item.href} aria-current={item.current ? 'page' : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </div>
      </div>
    </header>
  );
}
