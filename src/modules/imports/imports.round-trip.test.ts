// Export (src/modules/exports) → import round trip: the exported registry, imported into an empty one, gives the
// same places (every standard field but the id, which the new registry assigns).
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import type { DbHandle } from '../../db/kysely.ts';
import { systemClock } from '../../lib/clock.ts';
import { createTerritories } from '../territories/territories.use-cases.ts';
import { addSource } from '../sources/sources.use-cases.ts';
import { publishedLieuxPages, standardRecord, writeExport, type ExportFormat } from '../exports/exports.stream.ts';
import { runImport, type ImportDeps } from './imports.use-cases.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../test/fixtures/imports');
const territories = createTerritories({ referenceDir: path.resolve('../shared/data') });

let origin: DbHandle;
let originDeps: ImportDeps;

async function exportText(deps: ImportDeps, format: ExportFormat): Promise<{ text: string; count: number }> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const count = await writeExport({ db: deps.db, publicUrl: 'http://localhost' }, format, stream);
  stream.end();
  return { text: Buffer.concat(chunks).toString('utf8'), count };
}

async function registry(db: DbHandle['db']) {
  const all: Record<string, unknown>[] = [];
  for await (const rows of publishedLieuxPages(db)) for (const row of rows) {
    const { id: _id, ...rest } = standardRecord(row);
    all.push(rest);
  }
  return all.sort((a, b) => String(a.nom).localeCompare(String(b.nom)));
}

beforeAll(async () => {
  origin = await createTestDatabase();
  originDeps = { db: origin.db, clock: systemClock, territories };
  await addSource(originDeps, { name: 'nievre', producer: 'Nièvre' });
  await addSource(originDeps, { name: 'hdf', producer: 'Hub HDF' });
  await addSource(originDeps, { name: 'cd24', producer: 'Dordogne', format: 'mapping', mapping: JSON.parse(fs.readFileSync(path.join(fixtures, 'tableau-departement.mapping.json'), 'utf8')) });
  await runImport(originDeps, { source: 'nievre', bytes: fs.readFileSync(path.join(fixtures, 'standard-v1.csv')) });
  await runImport(originDeps, { source: 'hdf', bytes: fs.readFileSync(path.join(fixtures, 'legacy-v0.csv')) });
  await runImport(originDeps, { source: 'cd24', bytes: fs.readFileSync(path.join(fixtures, 'tableau-departement.tsv')) });
});
afterAll(async () => origin?.close());

describe('export → import round trip', () => {
  it.each(['standard-csv', 'standard-json', 'geojson'] as const)('%s export → import into an empty registry gives the same places', async (format) => {
    const { text } = await exportText(originDeps, format);
    const target = await createTestDatabase();
    try {
      const deps = { db: target.db, clock: systemClock, territories };
      await addSource(deps, { name: 'copie', producer: 'Maillage' });
      const report = await runImport(deps, { source: 'copie', bytes: Buffer.from(text) });
      expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(report.stats).toMatchObject({ read: 6, new: 6 });
      expect(await registry(target.db)).toEqual(await registry(origin.db));
    } finally {
      await target.close();
    }
  });
});
