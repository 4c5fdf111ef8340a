// Places inserted by the builder become visible to the pages' read model: record the change
// (as a use case would) and refresh the process's search index.
import type { LieuRow } from '../../src/db/database.ts';
import type { AppDeps } from '../../src/server/deps.ts';
import { insertLieux, recordLieuChange, type LieuOverrides } from '../builders/lieu.ts';

export async function insertPublished(deps: AppDeps, list: LieuOverrides[]): Promise<LieuRow[]> {
  const rows = await insertLieux(deps.db, list);
  for (const row of rows) await recordLieuChange(deps.db, row.id, 'added');
  await (deps as AppDeps & { search?: { refresh(): Promise<void> } }).search?.refresh();
  return rows;
}
