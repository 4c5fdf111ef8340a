// Child process for the cross-process refresh test: writes one place on the given
// PostgreSQL schema the way a use case does (row, change-log entry, notification), then exits.
// Usage: tsx search-index.writer.ts <databaseUrl> <schema> <nom>
import { openDatabase } from '../../db/kysely.ts';
import { insertLieu, recordLieuChange } from '../../../test/builders/lieu.ts';

const [databaseUrl, schema, nom] = process.argv.slice(2);
if (!databaseUrl || !schema || !nom) throw new Error('usage: search-index.writer.ts <databaseUrl> <schema> <nom>');
const handle = await openDatabase({ databaseUrl, schema });
try {
  const row = await insertLieu(handle.db, { nom });
  await recordLieuChange(handle.db, row.id, 'added');
  process.stdout.write(`${row.id}\n`);
} finally {
  await handle.close();
}
