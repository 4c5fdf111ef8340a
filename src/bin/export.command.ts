// `maillage export --format standard-csv|standard-json|geojson|data-inclusion [--out FILE]`:
// the published registry, streamed page by page to a file (written atomically) or to stdout.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../server/config.ts';
import { bootstrap, shutdown } from '../server/bootstrap.ts';
import { DomainError } from '../lib/errors.ts';
import { writeExport, type ExportDeps, type ExportFormat } from '../modules/exports/exports.stream.ts';

/** The formats offered on the command line (the HTTP API also splits data·inclusion in two). */
export const cliExportFormats = ['standard-csv', 'standard-json', 'geojson', 'data-inclusion'] as const satisfies readonly ExportFormat[];

export class ExportCommandError extends DomainError {
  constructor(message: string) {
    super('export', message, 400);
  }
}

export function parseExportFormat(value: string | undefined): ExportFormat {
  if (value && (cliExportFormats as readonly string[]).includes(value)) return value as ExportFormat;
  throw new ExportCommandError(`Format d’export ${value ? `« ${value} » ` : ''}inconnu. Formats possibles : ${cliExportFormats.join(', ')}.`);
}

/** Exports to `outFile` through a temporary file renamed at the end: never a half-written file. */
export async function exportToFile(deps: ExportDeps, format: ExportFormat, outFile: string): Promise<number> {
  const dir = path.dirname(path.resolve(outFile));
  if (!fs.existsSync(dir)) throw new ExportCommandError(`Le dossier « ${dir} » n’existe pas.`);
  const temporary = `${outFile}.${process.pid}.tmp`;
  const stream = fs.createWriteStream(temporary);
  try {
    const count = await writeExport(deps, format, stream);
    await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
    fs.renameSync(temporary, outFile);
    return count;
  } catch (error) {
    stream.destroy();
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

export function addExportCommands(program: Command, config: () => Config): void {
  program
    .command('export')
    .description('exporte les lieux publiés (standard v1 en CSV ou JSON, GeoJSON, data·inclusion), sous Licence Ouverte 2.0')
    .requiredOption('--format <format>', `format : ${cliExportFormats.join(', ')}`)
    .option('--out <fichier>', 'fichier de sortie (sinon la sortie standard)')
    .action(async (options: { format: string; out?: string }) => {
      const format = parseExportFormat(options.format);
      const deps = await bootstrap(config());
      const exportDeps = { db: deps.db, publicUrl: deps.config.publicUrl };
      try {
        if (options.out) {
          const count = await exportToFile(exportDeps, format, options.out);
          process.stderr.write(`${count.toLocaleString('fr-FR')} lieu(x) exporté(s) dans « ${options.out} ».\n`);
        } else {
          await writeExport(exportDeps, format, process.stdout);
        }
      } finally {
        await shutdown(deps);
      }
    });
}
