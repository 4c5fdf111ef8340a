// `maillage sources add|list|show|sync`: the feeds Maillage federates. `sync` imports a
// source from its saved location (a file path, or an http(s) URL fetched with guardedFetch:
// public addresses only unless MAILLAGE_SOURCES_ALLOW_PRIVATE).
import type { Command } from 'commander';
import type { Config } from '../server/config.ts';
import { withPlatform } from './with-platform.ts';
import { guardedFetchWith } from '../lib/guarded-fetch.ts';
import { ImportFileError } from '../modules/imports/imports.errors.ts';
import { runImport, type ImportDeps } from '../modules/imports/imports.use-cases.ts';
import { addSource, getSource, listSourceRuns, listSources, type NewSource } from '../modules/sources/sources.use-cases.ts';
import { formatSummary, progressPrinter, readInputFile, type Output } from './import.command.ts';

export interface SourcesAddOptions {
  producer: string;
  format?: string;
  location?: string;
  mapping?: string;
  priority?: string;
  schedule?: string;
}

async function readMapping(file: string): Promise<unknown> {
  const text = (await readInputFile(file)).toString('utf8').replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ImportFileError(`Le mapping « ${file} » n’est pas du JSON valide : ${(error as Error).message}`);
  }
}

export async function sourcesAdd(deps: ImportDeps, name: string, options: SourcesAddOptions, out: Output): Promise<void> {
  const input: NewSource = {
    name,
    producer: options.producer,
    format: options.format,
    location: options.location,
    priority: options.priority,
    schedule: options.schedule,
    mapping: options.mapping ? await readMapping(options.mapping) : undefined,
  };
  const source = await addSource(deps, input);
  out(`Source créée : ${source.name} (${source.producer})\n`);
}

const date = (iso: string | Date | null) => (iso ? new Date(iso).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' }) : 'jamais');

export async function sourcesList(deps: Pick<ImportDeps, 'db'>, out: Output): Promise<void> {
  const sources = await listSources(deps);
  if (sources.length === 0) {
    out('Aucune source. Ajoutez-en une avec « maillage sources add NOM --producer … ».\n');
    return;
  }
  for (const s of sources) {
    out(`${s.name} · ${s.producer} · format ${s.format ?? 'détecté'} · priorité ${s.priority} · ${s.places} lieu(x) · dernier import : ${date(s.last_run_at)}\n`);
  }
}

export async function sourcesShow(deps: Pick<ImportDeps, 'db'>, name: string, out: Output): Promise<void> {
  const source = await getSource(deps, name);
  out(`Source ${source.name}\n`);
  out(`  producteur    ${source.producer}\n`);
  out(`  format        ${source.format ?? 'détecté à chaque fichier'}\n`);
  out(`  emplacement   ${source.location ?? '(aucun : fichiers importés à la main)'}\n`);
  out(`  priorité      ${source.priority}\n`);
  out(`  planification ${source.schedule ? `${source.schedule} (heure de Paris), prochaine le ${date(source.next_sync_at)}` : 'à la demande'}\n`);
  if (source.mapping) out(`  mapping       ${JSON.stringify(source.mapping)}\n`);
  const runs = await listSourceRuns(deps, name, 10);
  out(runs.length === 0 ? '  aucun import\n' : '  derniers imports :\n');
  for (const r of runs) {
    const geocoding = r.geocoding && r.geocoding.needed > 0 ? `, ${r.geocoding.found}/${r.geocoding.needed} géocodées` : '';
    const stats = `${r.read} lues, ${r.accepted} acceptées, ${r.rejected} rejetées, ${r.new} nouvelles, ${r.updated} modifiées, ${r.unchanged} inchangées, ${r.removed} retirées, ${r.unpublished} dépubliées${geocoding}`;
    out(`    ${date(r.started_at)} · ${r.status === 'failed' ? 'échec' : 'réussi'} · ${r.id} · ${r.status === 'failed' ? r.error : stats}\n`);
  }
}

/** Fetches or reads the source's saved location. */
export async function fetchLocation(location: string, fetchImpl: typeof fetch = guardedFetchWith({ allowPrivate: false })): Promise<Uint8Array> {
  if (!/^https?:\/\//i.test(location)) return readInputFile(location);
  let response: Response;
  try {
    response = await fetchImpl(location, { signal: AbortSignal.timeout(120_000) });
  } catch (error) {
    throw new ImportFileError(`Le téléchargement de « ${location} » a échoué : ${(error as Error).message}`);
  }
  if (!response.ok) throw new ImportFileError(`Le téléchargement de « ${location} » a échoué : réponse HTTP ${response.status}.`);
  return new Uint8Array(await response.arrayBuffer());
}

export async function sourcesSync(deps: ImportDeps & { allowPrivateAddresses?: boolean }, name: string, options: { dryRun?: boolean }, out: Output, fetchImpl?: typeof fetch): Promise<void> {
  const source = await getSource(deps, name);
  if (!source.location) throw new ImportFileError(`La source « ${name} » n’a pas d’emplacement : importez un fichier avec « maillage import FICHIER --source ${name} ».`);
  const bytes = await fetchLocation(source.location, fetchImpl ?? guardedFetchWith({ allowPrivate: deps.allowPrivateAddresses === true }));
  const report = await runImport(deps, { source: name, bytes, fileName: source.location, dryRun: options.dryRun, onProgress: progressPrinter() });
  out(formatSummary(report, source.location));
}

export function addSourcesCommands(program: Command, config: () => Config): void {
  const out: Output = (text) => process.stdout.write(text);
  const sources = program.command('sources').description('gère les sources de lieux (producteurs de données)');

  sources
    .command('add')
    .description('déclare une source')
    .argument('<nom>', 'nom court (minuscules, chiffres, - ou _), ex. cd24')
    .requiredOption('--producer <organisme>', 'organisme producteur des données')
    .option('--format <format>', 'format des fichiers (détecté sinon)')
    .option('--location <chemin-ou-url>', 'fichier ou URL du flux, lu par « sources sync »')
    .option('--mapping <fichier>', 'mapping déclaratif (JSON) pour un tableau qui ne suit pas le standard')
    .option('--priority <n>', 'priorité en cas de désaccord entre sources (100 par défaut, la plus haute l’emporte)')
    .option('--schedule <cron>', 'planification des synchronisations (ex. « 0 3 * * * »)')
    .action((name: string, options: SourcesAddOptions) => withPlatform(config(), (deps) => sourcesAdd(deps, name, options, out)));

  sources
    .command('list')
    .description('liste les sources')
    .action(() => withPlatform(config(), (deps) => sourcesList(deps, out)));

  sources
    .command('show')
    .description('affiche une source et ses derniers imports')
    .argument('<nom>', 'nom de la source')
    .action((name: string) => withPlatform(config(), (deps) => sourcesShow(deps, name, out)));

  sources
    .command('sync')
    .description('importe une source depuis son emplacement (fichier ou URL)')
    .argument('<nom>', 'nom de la source')
    .option('--dry-run', 'simule sans rien enregistrer')
    .action((name: string, options: { dryRun?: boolean }) => withPlatform(config(), (deps) => sourcesSync({ ...deps, allowPrivateAddresses: deps.config.sourcesAllowPrivate }, name, options, out)));
}
