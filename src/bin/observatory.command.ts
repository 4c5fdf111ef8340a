// `maillage qpv load [FILE…]`: QPV contours (default: the files of <referenceDir>/qpv), then
// the place↔QPV links. `maillage observatory import-broadband [DIR]`: Arcep FttH and IFN
// figures (default: <referenceDir>/haut-debit). `maillage observatory double-fracture`: the
// list of low-coverage territories far from any place, as CSV.
import path from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../server/config.ts';
import { openDatabase } from '../db/kysely.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { DomainError } from '../lib/errors.ts';
import { defaultQpvFiles } from '../modules/qpv/qpv.file.ts';
import { loadQpvFiles } from '../modules/qpv/qpv.use-cases.ts';
import { importBroadband } from '../modules/observatory/broadband.use-cases.ts';
import { createObservatory } from '../modules/observatory/observatory.use-cases.ts';
import {
  DEFAULT_DOUBLE_FRACTURE,
  DOUBLE_FRACTURE_SORTS,
  doubleFractureCsv,
  type DoubleFractureSort,
} from '../modules/observatory/double-fracture.ts';

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

function parseNumberOption(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new DomainError('validation', `L'option ${name} doit être un nombre entre ${min} et ${max} (reçu « ${value} »).`, 400);
  }
  return n;
}

export function addObservatoryDataCommands(program: Command, config: () => Config): void {
  const observatory = program.command('observatory').description("observatoire territorial : données de référence et listes");
  observatory
    .command('import-broadband')
    .description('importe la couverture fibre (Arcep) et l\'indice de fragilité numérique (IFN)')
    .argument('[dossier]', 'dossier des fichiers (par défaut : haut-debit/ des données de référence)')
    .action(async (dir: string | undefined) => {
      const cfg = config();
      const folder = dir ? path.resolve(dir) : path.join(cfg.referenceDir, 'haut-debit');
      const report = await withDatabase(cfg, (db) => importBroadband(db, folder));
      for (const [what, count] of Object.entries(report.imported)) process.stdout.write(`✓ ${what} : ${count} lignes\n`);
      for (const problem of report.problems) process.stdout.write(`✗ ${problem}\n`);
      process.stdout.write(`Millésimes : ${report.millesimes.join(', ') || 'aucun'}\n`);
      if (Object.keys(report.imported).length === 0) process.exitCode = 1;
    });
  observatory
    .command('double-fracture')
    .description('liste (CSV) des territoires à faible couverture fibre et sans lieu à proximité')
    .option('--type <type>', 'commune ou epci', 'commune')
    .option('--seuil <taux>', 'taux de couverture fibre sous lequel elle est faible (0 à 1)', String(DEFAULT_DOUBLE_FRACTURE.seuilTauxFtth))
    .option('--distance <km>', 'distance minimale au lieu le plus proche (km)', String(DEFAULT_DOUBLE_FRACTURE.distanceKm))
    .option('--tri <colonne>', `tri : ${DOUBLE_FRACTURE_SORTS.join(', ')}`, DEFAULT_DOUBLE_FRACTURE.tri)
    .option('--ordre <ordre>', 'asc ou desc', DEFAULT_DOUBLE_FRACTURE.ordre)
    .action(async (options: { type: string; seuil: string; distance: string; tri: string; ordre: string }) => {
      if (options.type !== 'commune' && options.type !== 'epci') {
        throw new DomainError('validation', `L'option --type doit valoir commune ou epci (reçu « ${options.type} »).`, 400);
      }
      if (!DOUBLE_FRACTURE_SORTS.includes(options.tri as DoubleFractureSort)) {
        throw new DomainError('validation', `L'option --tri doit valoir ${DOUBLE_FRACTURE_SORTS.join(', ')} (reçu « ${options.tri} »).`, 400);
      }
      if (options.ordre !== 'asc' && options.ordre !== 'desc') {
        throw new DomainError('validation', `L'option --ordre doit valoir asc ou desc (reçu « ${options.ordre} »).`, 400);
      }
      const cfg = config();
      const rows = await withDatabase(cfg, (db) =>
        createObservatory({ db, referenceDir: cfg.referenceDir }).doubleFracture({
          type: options.type as 'commune' | 'epci',
          seuilTauxFtth: parseNumberOption('--seuil', options.seuil, 0, 1),
          distanceKm: parseNumberOption('--distance', options.distance, 0, 1000),
          tri: options.tri as DoubleFractureSort,
          ordre: options.ordre as 'asc' | 'desc',
        }),
      );
      process.stdout.write(doubleFractureCsv(rows));
    });
}
