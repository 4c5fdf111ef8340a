import { Page, type PageContext } from '../../web/layout/page.tsx';
import { Alert } from '../../web/components/alert.tsx';

// The ProConnect button as ProConnect asks partners to show it ("S’identifier avec" then the
// brand in bold, with the "Qu’est-ce que ProConnect ?" link), drawn with DSFR classes only:
// no external image or script. A GET form, so it works without JavaScript.
export function ProConnectButton() {
  return (
    <div class="fr-connect-group fr-mb-4w">
      <form method="get" action="/connexion/proconnect">
        <button type="submit" class="fr-btn fr-btn--lg">
          <span>S’identifier avec</span>&nbsp;<span class="fr-text--bold">ProConnect</span>
        </button>
      </form>
      <p class="fr-mt-1w">
        <a href="https://www.proconnect.gouv.fr/" target="_blank" rel="noopener" title="Qu’est-ce que ProConnect ? - nouvelle fenêtre">
          Qu’est-ce que ProConnect ?
        </a>
      </p>
      <p class="fr-hr-or">ou</p>
    </div>
  );
}

/** A failed ProConnect sign-in: what happened in plain French and the way back. */
export function ProConnectErrorPage(p: { ctx: PageContext; message: string }) {
  return (
    <Page ctx={p.ctx} title="Connexion avec ProConnect impossible" noindex>
      <div class="fr-container fr-my-6w">
        <div class="fr-grid-row fr-grid-row--center">
          <div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
            <h1>Connexion avec ProConnect impossible</h1>
            <Alert type="error" role="alert">
              <p>{p.message}</p>
            </Alert>
            <p class="fr-mt-3w">
              <a class="fr-link" href="/connexion">
                Retour à la page de connexion
              </a>
            </p>
          </div>
        </div>
      </div>
    </Page>
  );
}
