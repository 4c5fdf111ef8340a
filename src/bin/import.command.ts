// `maillage import FILE --source NAME`: one import run, with progress on stderr and a French
// summary. `maillage import-errors RUN`: the run's row errors as CSV for the producer.
// The work is in exported functions taking deps and an output, so tests need no subprocess.
import fs from 'node:fs/promises';
import type { Command } from 'commander';
import type { Config } from '../server/config.ts';
import { withPlatform } from './with-platform.ts';
import { ImportFileError } from '../modules/imports/imports.errors.ts';
import { parseImportFormat, type ImportFormat } from '../modules/imports/imports.read.ts';
import { importErrorsCsv, runImport, type ImportDeps, type ImportReport } from '../modules/imports/imports.use-cases.ts';
import type { GeocodingReport } from '../modules/imports/imports.geocoding.ts';

export type Output = (text: string) => void;

export interface ImportCommandOptions {
  source: string;
  format?: string;
  services?: string;
  dryRun?: boolean;
  graceDays?: string;
}

/** Reads an input file with French messages for the usual failures. */
export async function readInputFile(file: string): Promise<Buffer> {
  try {
    const stat = await fs.stat(file);
    if (stat.isDirectory()) throw new ImportFileError(`« ${file} » est un dossier, pas un fichier.`);
    return await fs.readFile(file);
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ImportFileError(code === 'ENOENT' ? `Le fichier « ${file} » est introuvable.` : `Le fichier « ${file} » ne peut pas être lu (${code ?? 'erreur'}).`);
  }
}

/** Progress on a terminal: one line rewritten at most every 200 ms; silent when not a TTY. */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): (done: number, total: number) => void {
  let last = 0;
  return (done, total) => {
    if (!stream.isTTY || total < 500) return;
    const now = Date.now();
    if (now - last < 200 && done < total) return;
    last = now;
    const percent = Math.floor((done / total) * 100);
    const width = 30;
    const filled = Math.round((done / total) * width);
    stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent} % · ${done}/${total} lignes${done === total ? '\n' : ''}`);
  };
}

const number = (n: number) => n.toLocaleString('fr-FR');

/** Geocoding lines of the summary: what was looked up, where answers came from, and every run-level note. */
export function geocodingSummary(g: GeocodingReport | undefined): string[] {
  if (!g || g.needed === 0) return [];
  const lines = [
    `  à géocoder             ${number(g.needed)} (sans coordonnées utilisables)`,
    `    positions trouvées   ${number(g.found)}`,
    `    refusées             ${number(g.refused)} (centre de la commune, avertissement sur la ligne)`,
    `    sans réponse         ${number(g.unavailable)} (centre de la commune)`,
    `    réponses en cache    ${number(g.fromCache)} ; adresses demandées ${number(g.requested)} en ${number(g.requests)} requête${g.requests > 1 ? 's' : ''}${g.service === 'disabled' ? ' (géocodage désactivé)' : ''}`,
  ];
  for (const note of g.notes) lines.push(`  Attention : ${note}`);
  return lines;
}

export function formatSummary(report: ImportReport, file: string, maxProblems = 10): string {
  const s = report.stats;
  const lines = [
    `${report.status === 'dry_run' ? 'Simulation (rien n’a été enregistré)' : 'Import terminé'} : « ${file} » → source « ${report.source} »`,
    `  format ${report.format}${report.encoding ? `, encodage ${report.encoding}` : ''}, ${(report.durationMs / 1000).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} s`,
    `  lignes lues            ${number(s.read)}`,
    `  acceptées              ${number(s.accepted)}`,
    `  rejetées               ${number(s.rejected)}`,
    `  nouveaux lieux         ${number(s.new)}`,
    `  lieux modifiés         ${number(s.updated)}`,
    `  inchangés              ${number(s.unchanged)}`,
    `  rattachés à un lieu    ${number(s.merged)}`,
    `  retirés de la source   ${number(s.removed)}`,
    `  dépubliés              ${number(s.unpublished)}`,
    `  avertissements         ${number(s.warnings)}`,
    `  doublons à examiner    ${number(s.duplicates)}`,
  ];
  lines.push(...geocodingSummary(report.geocoding));
  if (report.ignoredColumns.length > 0) lines.push(`  colonnes ignorées : ${report.ignoredColumns.join(', ')}`);
  if (report.problems.length > 0) {
    lines.push('', report.problems.length > maxProblems ? `Problèmes : ${number(report.problems.length)} (les ${maxProblems} premiers) :` : `Problèmes : ${report.problems.length}`);
    for (const p of report.problems.slice(0, maxProblems)) {
      lines.push(`  ligne ${p.row}, ${p.field}${p.severity === 'warning' ? ' (avertissement)' : ''} : ${p.message}`);
    }
    if (report.status !== 'dry_run') lines.push('', `Liste complète (CSV) : maillage import-errors ${report.runId} --out erreurs.csv`);
  }
  return `${lines.join('\n')}\n`;
}

export interface PreparedImport {
  file: string;
  options: ImportCommandOptions;
  bytes: Buffer;
  services?: Buffer;
  format?: ImportFormat;
  graceDays?: number;
}

/** Checks options and reads the files before the database is opened: a wrong file fails fast. */
export async function prepareImport(file: string, options: ImportCommandOptions): Promise<PreparedImport> {
  const format = options.format ? parseImportFormat(options.format) : undefined;
  let graceDays: number | undefined;
  if (options.graceDays !== undefined) {
    graceDays = Number(options.graceDays);
    if (!Number.isInteger(graceDays) || graceDays < 0) throw new ImportFileError('--grace-days doit être un nombre entier de jours (0 ou plus).');
  }
  const bytes = await readInputFile(file);
  const services = options.services ? await readInputFile(options.services) : undefined;
  return { file, options, bytes, services, format, graceDays };
}

export async function runPreparedImport(deps: ImportDeps, prepared: PreparedImport, out: Output, onProgress?: (done: number, total: number) => void): Promise<ImportReport> {
  const { file, options, bytes, services, format, graceDays } = prepared;
  const report = await runImport(deps, { source: options.source, bytes, fileName: file, format, services, dryRun: options.dryRun, graceDays, onProgress });
  out(formatSummary(report, file));
  return report;
}

export async function importCommand(
  deps: ImportDeps,
  file: string,
  options: ImportCommandOptions,
  out: Output,
  onProgress?: (done: number, total: number) => void,
): Promise<ImportReport> {
  return runPreparedImport(deps, await prepareImport(file, options), out, onProgress);
}

export async function importErrorsCommand(deps: Pick<ImportDeps, 'db'>, runId: string, outFile: string | undefined, out: Output): Promise<void> {
  const csv = await importErrorsCsv(deps, runId);
  if (outFile) {
    await fs.writeFile(outFile, csv);
    out(`Erreurs écrites dans « ${outFile} ».\n`);
  } else out(csv);
}

export function addImportCommands(program: Command, config: () => Config): void {
  const out: Output = (text) => process.stdout.write(text);
  program
    .command('import')
    .description('importe un fichier de lieux pour une source (CSV, XLSX, JSON, GeoJSON, data·inclusion)')
    .argument('<fichier>', 'fichier à importer')
    .requiredOption('--source <nom>', 'nom de la source (voir « maillage sources list »)')
    .option('--format <format>', 'force le format au lieu de le détecter (standard-csv, standard-json, legacy-csv, legacy-json, data-inclusion-csv, data-inclusion-json, geojson, mapping)')
    .option('--services <fichier>', 'fichier des services data·inclusion, lu avec les structures')
    .option('--dry-run', 'simule l’import et affiche le bilan sans rien enregistrer')
    .option('--grace-days <jours>', 'jours avant de dépublier un lieu qu’aucune source ne liste plus (30 par défaut)')
    .action(async (file: string, options: ImportCommandOptions) => {
      const prepared = await prepareImport(file, options);
      await withPlatform(config(), (deps) => runPreparedImport(deps, prepared, out, progressPrinter()));
    });

  program
    .command('import-errors')
    .description('exporte les erreurs et avertissements d’un import en CSV (ligne, champ, valeur, message)')
    .argument('<import>', 'identifiant de l’import (affiché à la fin de « maillage import »)')
    .option('--out <fichier>', 'écrit le CSV dans ce fichier au lieu de la sortie standard')
    .action((runId: string, options: { out?: string }) => withPlatform(config(), (deps) => importErrorsCommand(deps, runId, options.out, out)));
}
