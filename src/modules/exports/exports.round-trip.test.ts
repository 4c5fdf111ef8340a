// Export → import round trip: the standard CSV we publish, read back by the import readers
// and checked by validateLieu, gives the same records.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import type { DbHandle } from '../../db/kysely.ts';
import { systemClock } from '../../lib/clock.ts';
import { readSourceFile } from '../imports/imports.read.ts';
import { standardFields, type Lieu } from '../lieux/lieux.schema.ts';
import { createLieu } from '../lieux/lieux.use-cases.ts';
import { validateLieu } from '../lieux/lieux.validation.ts';
import { createTerritories } from '../territories/territories.use-cases.ts';
import { writeExport, type ExportFormat } from './exports.stream.ts';

const territories = createTerritories({ referenceDir: '../shared/data' });

async function exportBytes(handle: DbHandle, format: ExportFormat): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  await writeExport({ db: handle.db, publicUrl: 'http://localhost' }, format, out);
  out.end();
  return Buffer.concat(chunks);
}

describe('export → import round trip', () => {
  let handle: DbHandle;
  const created: Lieu[] = [];

  beforeAll(async () => {
    handle = await createTestDatabase();
    const deps = { db: handle.db, clock: systemClock, territories };
    created.push(
      await createLieu(deps, {
        pivot: '21690123100011', nom: 'Médiathèque "Part-Dieu", Lyon', commune: 'Lyon', code_postal: '69003', adresse: '30 boulevard Vivier-Merle',
        complement_adresse: '2e étage; salle B', latitude: 45.7607, longitude: 4.8583, typologie: 'BIB|MUNI', telephone: '+33478620800',
        courriels: 'contact@bm-lyon.fr|numerique@bm-lyon.fr', site_web: 'https://www.bm-lyon.fr', horaires: 'Tu-Sa 10:00-19:00',
        presentation_resume: 'Accès libre, ateliers « premiers pas ».', date_maj: '2025-01-15',
        services: 'Aide aux démarches administratives|Accès internet et matériel informatique', frais_a_charge: 'Gratuit',
        modalites_accompagnement: 'En autonomie|Dans un atelier collectif', prise_rdv: 'https://rdv.example.fr/bm',
      }, { kind: 'system' }),
      await createLieu(deps, { pivot: '00000000000000', nom: 'Espace numérique', commune: 'Nevers', code_postal: '58000', adresse: '2 rue du Rempart', date_maj: '2024-11-02' }, { kind: 'system' }),
      await createLieu(deps, { pivot: 'W581002345', nom: 'Association Clic Nivernais', commune: 'Nevers', code_postal: '58000', adresse: '5 rue Saint-Martin', date_maj: '2024-10-12' }, { kind: 'system' }),
    );
  });
  afterAll(() => handle?.close());

  for (const format of ['standard-csv', 'standard-json', 'geojson'] as const) {
    it(`gives the same records through ${format}`, async () => {
      const read = await readSourceFile({ bytes: await exportBytes(handle, format) });
      expect(read.format).toBe(format);
      expect(read.errors).toEqual([]);
      expect(read.records).toHaveLength(created.length);
      for (const record of read.records) {
        const original = created.find((l) => l.id === record.externalId)!;
        expect(original, String(record.externalId)).toBeDefined();
        const input = Object.fromEntries(standardFields.filter((f) => f !== 'id').map((f) => [f, record.lieu[f] ?? null]));
        const result = validateLieu(input, territories, { ignoreUnknownFields: true });
        if (!result.ok) throw new Error(JSON.stringify(result.errors));
        for (const field of standardFields) {
          if (field === 'id') continue;
          expect(result.value[field], field).toEqual(original[field]);
        }
      }
    });
  }

  it('keeps each pivot through data·inclusion: a SIRET as siret, an RNA as rna, the placeholder as neither', async () => {
    const structures = JSON.parse((await exportBytes(handle, 'data-inclusion-structures')).toString()) as { siret: string | null; rna: string | null }[];
    expect(structures.map((s) => [s.siret, s.rna])).toEqual(expect.arrayContaining([['21690123100011', null], [null, null], [null, 'W581002345']]));
    const read = await readSourceFile({ bytes: Buffer.from(JSON.stringify(structures)), format: 'data-inclusion-json' });
    expect(read.records.map((r) => r.lieu.pivot).sort()).toEqual(created.map((l) => l.pivot).sort());
  });
});
