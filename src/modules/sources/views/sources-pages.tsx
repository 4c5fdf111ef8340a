// Back-office pages of sources (DSFR, no JavaScript needed): the account's sources, the
// form that declares one, and a source with its sync jobs and import runs.
import type { ComponentChildren } from 'preact';
import { Page, type PageContext } from '../../../web/layout/page.tsx';
import { Alert, ProblemAlert } from '../../../web/components/alert.tsx';
import { Badge, type BadgeType } from '../../../web/components/badge.tsx';
import { Breadcrumb } from '../../../web/components/breadcrumb.tsx';
import { Button, ButtonLink } from '../../../web/components/button.tsx';
import { Input, Select } from '../../../web/components/form.tsx';
import { Table } from '../../../web/components/table.tsx';
import type { FieldError } from '../../../lib/errors.ts';
import { importFormats } from '../../imports/imports.read.ts';
import type { ImportRunRow } from '../sources.repository.ts';
import type { Source } from '../sources.use-cases.ts';
import type { SyncJob } from '../sources.jobs.ts';

const date = (value: string | Date | null) => (value ? new Date(value).toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' }) : '—');

const jobBadges: Record<SyncJob['status'], { label: string; type: BadgeType }> = {
  queued: { label: 'En attente', type: 'info' },
  running: { label: 'En cours', type: 'new' },
  succeeded: { label: 'Réussie', type: 'success' },
  failed: { label: 'Échouée', type: 'error' },
  cancelled: { label: 'Annulée', type: 'warning' },
};
const triggers: Record<SyncJob['trigger'], string> = { schedule: 'Planifiée', manual: 'À la demande', cli: 'Ligne de commande' };
const runBadges: Record<string, { label: string; type: BadgeType }> = {
  succeeded: { label: 'Réussi', type: 'success' },
  failed: { label: 'Échoué', type: 'error' },
  dry_run: { label: 'Simulation', type: 'info' },
};

function Shell(p: { ctx: PageContext; title: string; crumbs: { label: string; href?: string }[]; children: ComponentChildren }) {
  return (
    <Page ctx={p.ctx} title={p.title} noindex>
      <div class="fr-container fr-mb-6w">
        <Breadcrumb items={p.crumbs} />
        <h1>{p.title}</h1>
        {p.children}
      </div>
    </Page>
  );
}

const home = { label: 'Mon compte', href: '/compte' };
const list = { label: 'Sources de données', href: '/compte/sources' };

export interface SourceListItem extends Source {
  places: number;
  last_run_at: string | null;
}

export function SourcesListPage(p: { ctx: PageContext; sources: SourceListItem[]; admin: boolean }) {
  return (
    <Shell ctx={p.ctx} title="Sources de données" crumbs={[home, { label: 'Sources de données' }]}>
      <p>
        {p.admin
          ? 'Toutes les sources de la plateforme. Chaque source est un fichier ou un flux de lieux tenu par un producteur.'
          : 'Les sources de lieux tenues par votre réseau : fichiers ou flux que Maillage importe et fusionne au registre.'}
      </p>
      <p>
        <ButtonLink href="/compte/sources/nouvelle">
          Ajouter une source
        </ButtonLink>
      </p>
      <p>
        <a class="fr-link" href="/compte/cles-api">
          Clés d’API : envoyer vos lieux depuis votre système d’information
        </a>
      </p>
      {p.sources.length === 0 ? (
        <p>Aucune source pour l’instant.</p>
      ) : (
        <Table
          caption="Vos sources"
          headers={['Nom', 'Producteur', 'Format', 'Planification', 'Lieux', 'Dernier import']}
          rows={p.sources.map((s) => [<a href={`/compte/sources/${s.name}`}>{s.name}</a>, s.producer, s.format ?? 'détecté', s.schedule ?? 'à la demande', String(s.places), date(s.last_run_at)])}
        />
      )}
    </Shell>
  );
}

export interface NewSourceValues {
  name?: string;
  producer?: string;
  format?: string;
  location?: string;
  priority?: string;
  schedule?: string;
}

export function NewSourcePage(p: { ctx: PageContext; csrf: string; values?: NewSourceValues; error?: string; errors?: FieldError[] }) {
  const v = p.values ?? {};
  const fieldError = (name: string) =>
    p.errors
      ?.filter((e) => e.field === name)
      .map((e) => e.message)
      .join(' ') || undefined;
  return (
    <Shell ctx={p.ctx} title="Ajouter une source" crumbs={[home, list, { label: 'Ajouter une source' }]}>
      <ProblemAlert error={p.error} errors={p.errors} />
      <div class="fr-grid-row">
        <form method="post" action="/compte/sources" enctype="multipart/form-data" class="fr-mt-3w fr-col-12 fr-col-md-8">
          <input type="hidden" name="_csrf" value={p.csrf} />
          <Input id="source-name" name="name" label="Nom court" hint="Minuscules sans accent, chiffres, « - » ou « _ » (ex. hub-hdf, cd24)." value={v.name} error={fieldError('name')} required maxLength={63} />
          <Input id="source-producer" name="producer" label="Producteur" hint="Organisme qui publie les données." value={v.producer} error={fieldError('producer')} required maxLength={200} />
          <Select
            id="source-format"
            name="format"
            label="Format"
            hint="Laissez « détecté » : Maillage reconnaît le format à chaque fichier."
            placeholder="Détecté automatiquement"
            value={v.format}
            options={importFormats.filter((f) => f !== 'mapping').map((f) => ({ value: f, label: f }))}
          />
          <Input id="source-location" name="location" type="url" label="Adresse du flux (URL)" hint="Adresse https:// du fichier publié par le producteur ; ou bien déposez un fichier ci-dessous." value={v.location} error={fieldError('location')} />
          <div class="fr-upload-group fr-mb-3w">
            <label class="fr-label" for="source-file">
              Ou fichier
              <span class="fr-hint-text">CSV, JSON, GeoJSON ou XLSX, 50 Mo au plus.</span>
            </label>
            <input class="fr-upload" type="file" id="source-file" name="fichier" accept=".csv,.tsv,.txt,.json,.geojson,.xlsx" />
          </div>
          <Input id="source-priority" name="priority" type="number" label="Priorité" hint="De 0 à 1000 (100 par défaut) : la plus haute l’emporte quand deux sources se contredisent." value={v.priority ?? '100'} error={fieldError('priority')} />
          <Input id="source-schedule" name="schedule" label="Planification (facultatif)" hint="Expression cron à 5 champs, heure de Paris : « 0 3 * * * » chaque nuit à 3 h ; ou @daily, @weekly." value={v.schedule} error={fieldError('schedule')} />
          <Button>Créer la source</Button>
        </form>
      </div>
    </Shell>
  );
}

export function SourcePage(p: { ctx: PageContext; csrf: string; source: Source; jobs: SyncJob[]; runs: ImportRunRow[]; notice?: { type: 'success' | 'info' | 'error'; text: string } }) {
  const s = p.source;
  const uploaded = s.location && !/^https?:\/\//i.test(s.location);
  // The source's state: its latest sync, when it failed or waits to be retried.
  const latest = p.jobs[0];
  const failing = latest?.summary && (latest.status === 'failed' || latest.status === 'queued') ? latest : undefined;
  return (
    <Shell ctx={p.ctx} title={`Source ${s.name}`} crumbs={[home, list, { label: s.name }]}>
      {p.notice ? (
        <Alert type={p.notice.type} role={p.notice.type === 'error' ? 'alert' : 'status'} small>
          <p>{p.notice.text}</p>
        </Alert>
      ) : null}
      {failing ? (
        <Alert type={failing.status === 'failed' ? 'error' : 'warning'} title="Dernière synchronisation en échec">
          <p>{failing.summary}</p>
        </Alert>
      ) : null}
      <dl class="fr-mt-2w">
        <dt class="fr-text--bold">Producteur</dt>
        <dd>{s.producer}</dd>
        <dt class="fr-text--bold">Format</dt>
        <dd>{s.format ?? 'détecté à chaque fichier'}</dd>
        <dt class="fr-text--bold">Emplacement</dt>
        <dd>{s.location ? (uploaded ? `fichier déposé (${s.location.split(/[\\/]/).pop()})` : s.location) : 'aucun'}</dd>
        <dt class="fr-text--bold">Priorité</dt>
        <dd>{s.priority}</dd>
        <dt class="fr-text--bold">Planification</dt>
        <dd>{s.schedule ? `${s.schedule} (heure de Paris) ; prochaine synchronisation le ${date(s.next_sync_at)}` : 'à la demande'}</dd>
      </dl>
      <form method="post" action={`/compte/sources/${s.name}/synchroniser`} class="fr-mt-2w">
        <input type="hidden" name="_csrf" value={p.csrf} />
        <Button attrs={s.location ? {} : { disabled: 'disabled' }}>
          Synchroniser maintenant
        </Button>
      </form>

      <h2 class="fr-mt-5w">Synchronisations</h2>
      {p.jobs.length === 0 ? (
        <p>Aucune synchronisation demandée.</p>
      ) : (
        <Table
          id="synchronisations"
          caption="Synchronisations récentes, de la plus récente à la plus ancienne"
          headers={['Demandée le', 'Déclenchement', 'État', 'Tentatives', 'Détail']}
          rows={p.jobs.map((j) => [
            date(j.created_at),
            triggers[j.trigger],
            <Badge small label={jobBadges[j.status].label} type={jobBadges[j.status].type} />,
            `${j.attempts} sur ${j.max_attempts}`,
            j.summary ? (
              j.summary
            ) : j.status === 'succeeded' ? (
              `Terminée le ${date(j.finished_at)}`
            ) : j.status === 'running' ? (
              `Commencée le ${date(j.started_at)}`
            ) : (
              ''
            ),
          ])}
        />
      )}

      <h2 class="fr-mt-5w">Imports</h2>
      {p.runs.length === 0 ? (
        <p>Aucun import pour l’instant.</p>
      ) : (
        <Table
          id="imports"
          caption="Imports récents et leurs chiffres"
          headers={['Date', 'Résultat', 'Lues', 'Acceptées', 'Rejetées', 'Nouvelles', 'Modifiées', 'Inchangées', 'Retirées', 'Durée', 'Erreurs']}
          rows={p.runs.map((r) => [
            date(r.started_at),
            r.status === 'failed' ? (
              <>
                <Badge small label={runBadges.failed!.label} type="error" /> {r.error}
              </>
            ) : (
              <Badge small label={runBadges[r.status]?.label ?? r.status} type={runBadges[r.status]?.type ?? 'info'} />
            ),
            String(r.read),
            String(r.accepted),
            String(r.rejected),
            String(r.new),
            String(r.updated),
            String(r.unchanged),
            String(r.removed),
            `${(r.duration_ms / 1000).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} s`,
            r.rejected + r.warnings > 0 ? (
              <a href={`/compte/sources/${s.name}/imports/${r.id}/erreurs.csv`} download>
                Erreurs (CSV, {r.rejected + r.warnings} ligne{r.rejected + r.warnings > 1 ? 's' : ''})
              </a>
            ) : (
              'aucune'
            ),
          ])}
        />
      )}
    </Shell>
  );
}
