// Test helper: inserts places straight into the registry tables (with a change-log row), so
// observatory tests do not depend on the lieux module's write path.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';

export interface TestPlace {
  id?: string;
  nom?: string;
  latitude: number | null;
  longitude: number | null;
  code_insee?: string | null;
  code_epci?: string | null;
  code_departement?: string | null;
  code_region?: string | null;
  services?: string[];
  horaires?: string | null;
  status?: 'published' | 'unpublished';
}

export async function insertPlaces(db: Kysely<Database>, places: TestPlace[]): Promise<string[]> {
  const ids: string[] = [];
  for (const p of places) {
    const id = p.id ?? randomUUID();
    ids.push(id);
    await db
      .insertInto('lieux')
      .values({
        id,
        pivot: '00000000000000',
        nom: p.nom ?? 'Lieu test',
        commune: 'Commune',
        code_postal: '00000',
        adresse: '1 rue du Test',
        date_maj: '2026-01-01',
        latitude: p.latitude,
        longitude: p.longitude,
        code_insee: p.code_insee ?? null,
        code_epci: p.code_epci ?? null,
        code_departement: p.code_departement ?? null,
        code_region: p.code_region ?? null,
        services: p.services ?? [],
        horaires: p.horaires ?? null,
        status: p.status ?? 'published',
        typologie: [],
        courriels: [],
        site_web: [],
        itinerance: [],
        publics_specifiquement_adresses: [],
        prise_en_charge_specifique: [],
        frais_a_charge: [],
        dispositif_programmes_nationaux: [],
        formations_labels: [],
        autres_formations_labels: [],
        modalites_acces: [],
        modalites_accompagnement: [],
        search_tokens: [],
        sort_key: '',
      })
      .execute();
    await db.insertInto('lieu_changes').values({ lieu_id: id, kind: 'added' }).execute();
  }
  return ids;
}

export async function movePlace(db: Kysely<Database>, id: string, latitude: number, longitude: number): Promise<void> {
  await db.updateTable('lieux').set({ latitude, longitude, updated_at: sql`now()` }).where('id', '=', id).execute();
  await db.insertInto('lieu_changes').values({ lieu_id: id, kind: 'updated' }).execute();
}
