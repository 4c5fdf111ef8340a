// `maillage qpv load [FILE…]`: QPV contours (default: the files of <referenceDir>/qpv), then
// the place↔QPV links. Observatory imports are added below as they land.
import path from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../server/config.ts';
import { openDatabase } from '../db/kysely.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { DomainError } from '../lib/errors.ts';
import { defaultQpvFiles } from '../modules/qpv/qpv.file.ts';
import { loadQpvFiles } from '../modules/qpv/qpv.use-cases.ts';

async function withDatabase<T>(cfg: Config, work: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
  const handle = await openDatabase({ databaseUrl: cfg.databaseUrl, pgliteDataDir: path.join(cfg.dataDir, 'pglite') });
  try {
    await migrateToLatest(handle.db);
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

export function addObservatoryCommands(program: Command, config: () => Config): void {
  const qpv = program.command('qpv').description('quartiers prioritaires de la politique de la ville (QPV)');
  qpv
    .command('load')
    .description('charge les contours des QPV (GeoJSON officiels) et recalcule les QPV de chaque lieu')
    .argument('[fichiers...]', 'fichiers GeoJSON (par défaut : les fichiers du dossier qpv/ des données de référence)')
    .action(async (files: string[]) => {
      const cfg = config();
      const list = files.length ? files.map((f) => path.resolve(f)) : defaultQpvFiles(cfg.referenceDir);
      if (list.length === 0) {
        throw new DomainError('qpv_file', `Aucun fichier QPV trouvé dans ${path.join(cfg.referenceDir, 'qpv')}.`, 400);
      }
      const report = await withDatabase(cfg, (db) => loadQpvFiles(db, list, { proximityM: cfg.qpvProximityM }));
      for (const file of report.files) {
        const name = path.basename(file.file);
        process.stdout.write(file.rejected ? `✗ ${name} : fichier ignoré\n` : `✓ ${name} : ${file.loaded} QPV chargés\n`);
        for (const problem of file.problems) process.stdout.write(`  - ${problem}\n`);
      }
      process.stdout.write(`QPV recalculés pour ${report.placesLinked} lieux (distance « proche » : ${cfg.qpvProximityM} m).\n`);
      if (report.files.every((f) => f.rejected)) process.exitCode = 1;
    });
}
