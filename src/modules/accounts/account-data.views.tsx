import { Page, type PageContext } from '../../web/layout/page.tsx';
import { Alert } from '../../web/components/alert.tsx';

/** Shown once the account is gone: no form left to fill. */
export function AccountDeletedPage(p: { ctx: PageContext }) {
  return (
    <Page ctx={p.ctx} title="Compte supprimé" noindex>
      <div class="fr-container fr-my-6w">
        <h1>Compte supprimé</h1>
        <Alert type="success" role="status">
          <p>Votre compte a été supprimé et vos sessions sont fermées.</p>
        </Alert>
        <p class="fr-mt-3w">
          <a href="/">Revenir à l’accueil</a>
        </p>
      </div>
    </Page>
  );
}
