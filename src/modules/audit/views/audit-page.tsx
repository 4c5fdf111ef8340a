// The audit log for moderators and administrators (DSFR, no JavaScript needed): newest first,
// 50 entries a page, "Entrées plus anciennes" pages backwards, a click on an account keeps only
// its entries. Accounts appear by a short id, never by e-mail (personal data kept minimal).
import { Page, type PageContext } from '../../../web/layout/page.tsx';
import { Breadcrumb } from '../../../web/components/breadcrumb.tsx';
import { ButtonLink } from '../../../web/components/button.tsx';
import { Table } from '../../../web/components/table.tsx';
import type { AuditRecord } from '../audit.use-cases.ts';

const date = (value: string) => new Date(value).toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'medium' });
const shortId = (id: string) => id.slice(0, 8);

export interface AuditPageProps {
  ctx: PageContext;
  entries: AuditRecord[];
  /** The account the list is restricted to, if any. */
  account?: string;
  /** The sequence number to page from for older entries, when there may be more. */
  older?: number;
}

function target(entry: AuditRecord) {
  if (!entry.target_id) return entry.target_type;
  if (entry.target_type === 'lieu') return <a href={`/moderation/lieux/${entry.target_id}/historique`}>lieu {shortId(entry.target_id)}</a>;
  return `${entry.target_type} ${shortId(entry.target_id)}`;
}

export function AuditPage(p: AuditPageProps) {
  const filter = p.account ? `&compte=${p.account}` : '';
  const rows = p.entries.map((e) => [
    String(e.seq),
    date(e.at),
    <code>{e.action}</code>,
    target(e),
    e.account_id ? <a href={`/moderation/journal?compte=${e.account_id}`}>compte {shortId(e.account_id)}</a> : 'aucun (système)',
    e.ip ?? '—',
  ]);
  return (
    <Page ctx={p.ctx} title="Journal d’audit" noindex>
      <div class="fr-container fr-mb-6w">
        <Breadcrumb items={[{ label: 'Mon compte', href: '/compte' }, { label: 'File de modération', href: '/moderation' }, { label: 'Journal d’audit' }]} />
        <h1>Journal d’audit</h1>
        <p>
          Chaque écriture faite par un compte (lieux, revendications, propositions, modération, sources, clés d’API, données personnelles) : qui, quoi, sur quoi, quand et
          depuis quelle adresse IP. Les comptes sont désignés par le début de leur identifiant, jamais par leur adresse e-mail.
        </p>
        {p.account ? (
          <p>
            Entrées du compte {shortId(p.account)} seulement. <a href="/moderation/journal">Voir toutes les entrées</a>
          </p>
        ) : null}
        {rows.length === 0 ? (
          <p>Aucune entrée.</p>
        ) : (
          <Table caption="Entrées du journal, les plus récentes d’abord" headers={['N°', 'Date', 'Action', 'Cible', 'Compte', 'Adresse IP']} rows={rows} scrolls />
        )}
        {p.older !== undefined ? (
          <p>
            <ButtonLink kind="secondary" href={`/moderation/journal?avant=${p.older}${filter}`}>
              Entrées plus anciennes
            </ButtonLink>
          </p>
        ) : null}
      </div>
    </Page>
  );
}
