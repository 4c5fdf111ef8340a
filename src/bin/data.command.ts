// `maillage data download` fetches the official reference files; `maillage data status` says
// which are there and which features run degraded without them.
import fs from 'node:fs';
import type { Command } from 'commander';
import type { Config } from '../server/config.ts';
import { DomainError, ValidationError } from '../lib/errors.ts';
import { downloadReferenceData } from '../modules/territories/territories.download.ts';
import { referenceFiles, referenceFileStatus } from '../modules/territories/territories.reference-files.ts';
import { createTerritories } from '../modules/territories/territories.use-cases.ts';

function parseOnly(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const ids = value.split(',').map((id) => id.trim()).filter(Boolean);
  const known = referenceFiles.map((file) => file.id);
  const unknown = ids.filter((id) => !known.includes(id));
  if (ids.length === 0 || unknown.length > 0) {
    throw new ValidationError(
      [{ field: '--only', message: `valeur inconnue « ${unknown.join(', ') || value} » ; valeurs possibles : ${known.join(', ')}.` }],
      "L'option --only n'est pas valide.",
    );
  }
  return ids;
}

function formatSize(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo` : `${Math.ceil(bytes / 1e3)} ko`;
}

export function dataStatusLines(referenceDir: string): string[] {
  const lines = [`Dossier des données de référence : ${referenceDir}`, ''];
  for (const file of referenceFiles) {
    const status = referenceFileStatus(referenceDir, file);
    if (status.found === null) {
      lines.push(`✗ ${file.path} — absent : ${file.degradedFeature}.`);
    } else {
      const stand = status.found === file.path ? '' : ` (à défaut : ${status.found})`;
      const date = status.modifiedAt!.toISOString().slice(0, 10);
      lines.push(`✓ ${file.path}${stand} — ${file.label}, ${formatSize(status.sizeBytes!)}, ${date}`);
    }
  }
  const degradations = createTerritories({ referenceDir }).degradations();
  lines.push('');
  if (degradations.length === 0) lines.push('Territoires : aucune fonction dégradée.');
  else for (const message of degradations) lines.push(`Territoires dégradés : ${message}`);
  return lines;
}

export function addDataCommands(program: Command, config: () => Config): void {
  const data = program.command('data').description('données de référence officielles (centres des communes, QPV, contours)');

  data
    .command('download')
    .description('télécharge les fichiers de référence officiels dans MAILLAGE_REFERENCE_DIR')
    .option('--only <fichiers>', `fichiers à télécharger, séparés par des virgules (${referenceFiles.map((f) => f.id).join(', ')})`)
    .action(async (options: { only?: string }) => {
      const cfg = config();
      const only = parseOnly(options.only);
      fs.mkdirSync(cfg.referenceDir, { recursive: true });
      const reports = await downloadReferenceData({
        referenceDir: cfg.referenceDir,
        urls: cfg.referenceUrls,
        only,
        progress: (line) => process.stdout.write(`${line}\n`),
      });
      const failed = reports.filter((report) => !report.ok);
      if (failed.length > 0) {
        throw new DomainError(
          'download_failed',
          `${failed.length} fichier(s) de référence sur ${reports.length} n'ont pas pu être téléchargés.`,
          502,
          failed.map((report) => ({ field: report.file.path, message: report.error! })),
        );
      }
      process.stdout.write(`${reports.length} fichier(s) de référence à jour dans ${cfg.referenceDir}.\n`);
    });

  data
    .command('status')
    .description('indique les fichiers de référence présents et les fonctions dégradées')
    .action(() => {
      process.stdout.write(`${dataStatusLines(config().referenceDir).join('\n')}\n`);
    });
}
