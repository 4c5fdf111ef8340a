// The public shape of a place in search results. Stand-in until lieux.schema.ts exports the
// shared toApiV1 mapper: the standard v1 fields, verbatim, nothing internal.
import type { LieuRow } from '../../db/database.ts';

export const standardFields = [
  'id', 'pivot', 'nom', 'commune', 'code_postal', 'code_insee', 'adresse', 'complement_adresse', 'latitude',
  'longitude', 'typologie', 'telephone', 'courriels', 'site_web', 'horaires', 'presentation_resume',
  'presentation_detail', 'source', 'itinerance', 'structure_parente', 'date_maj', 'services',
  'publics_specifiquement_adresses', 'prise_en_charge_specifique', 'frais_a_charge', 'dispositif_programmes_nationaux',
  'formations_labels', 'autres_formations_labels', 'modalites_acces', 'modalites_accompagnement', 'fiche_acces_libre',
  'prise_rdv',
] as const satisfies readonly (keyof LieuRow)[];

export function toApiV1(row: LieuRow): Record<string, unknown> & { id: string } {
  const item: Record<string, unknown> = {};
  for (const field of standardFields) item[field] = row[field];
  return item as Record<string, unknown> & { id: string };
}
