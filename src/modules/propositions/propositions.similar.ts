// Published places that look like a proposed one (same commune, duplicate score of the
// imports' dedup at or above its review threshold), shown to moderators beside the proposal
// so that a place already in the registry is not published twice.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { reviewThreshold, scorePair, type DedupRecord } from '../imports/imports.dedup.ts';
import type { LieuValue } from '../lieux/lieux.schema.ts';

export interface SimilarPlace {
  id: string;
  nom: string;
  adresse: string;
  /** 0–100, as in the duplicates queue. */
  score: number;
}

export async function similarPlaces(db: Kysely<Database>, proposed: LieuValue, limit = 3): Promise<SimilarPlace[]> {
  if (!proposed.code_insee) return [];
  const rows = await db
    .selectFrom('lieux')
    .select(['id', 'nom', 'adresse', 'code_insee', 'latitude', 'longitude', 'position_approximate', 'pivot', 'telephone', 'courriels'])
    .where('code_insee', '=', proposed.code_insee)
    .where('status', '=', 'published')
    .execute();
  const candidate: DedupRecord = { ...proposed, id: 'proposition' };
  return rows
    .map((row) => ({ row, score: scorePair(candidate, row).score }))
    .filter((s) => s.score >= reviewThreshold)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map(({ row, score }) => ({ id: row.id, nom: row.nom, adresse: row.adresse, score: Math.round(score) }));
}
