// Sources of places: a producer's feed with its format, location, mapping, priority and
// schedule. Names are short slugs people type in the CLI (`--source cd24`).
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import { parseMapping, type SourceMapping } from '../imports/imports.mapping.ts';
import { importFormats, type ImportFormat } from '../imports/imports.read.ts';
import * as repo from './sources.repository.ts';
import { nextScheduledAt, scheduleProblem } from './sources.schedule.ts';

export type SourcesDeps = { db: Kysely<Database>; clock: Clock };

export interface Source {
  id: string;
  name: string;
  producer: string;
  format: ImportFormat | null;
  location: string | null;
  mapping: SourceMapping | null;
  priority: number;
  schedule: string | null;
  /** Next scheduled sync (Paris-time cron slot, as an instant); null without a schedule. */
  next_sync_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface NewSource {
  name: string;
  producer: string;
  format?: string | null;
  location?: string | null;
  mapping?: unknown;
  priority?: number | string | null;
  schedule?: string | null;
}

const NAME = /^[a-z0-9][a-z0-9_-]{1,62}$/;

export function toSource(row: repo.SourceRow): Source {
  return {
    id: row.id,
    name: row.name,
    producer: row.producer,
    format: row.format as ImportFormat | null,
    location: row.location,
    mapping: (row.mapping as SourceMapping | null) ?? null,
    priority: row.priority,
    schedule: row.schedule,
    next_sync_at: row.schedule && row.next_sync_at ? new Date(row.next_sync_at).toISOString() : null,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

export function validateNewSource(input: NewSource): { ok: true; value: Omit<Source, 'id' | 'next_sync_at' | 'created_at' | 'updated_at'> } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const name = (input.name ?? '').trim();
  if (!NAME.test(name)) {
    errors.push({ field: 'name', value: name, message: 'Le nom de la source doit faire 2 à 63 caractères : lettres minuscules sans accent, chiffres, « - » ou « _ » (ex. cd24, hub-hdf).' });
  }
  const producer = (input.producer ?? '').trim();
  if (producer === '') errors.push({ field: 'producer', message: 'Le producteur (organisme qui publie les données) est obligatoire.' });
  const format = input.format?.trim() || null;
  if (format !== null && !(importFormats as readonly string[]).includes(format)) {
    errors.push({ field: 'format', value: format, message: `Format inconnu. Formats possibles : ${importFormats.join(', ')}.` });
  }
  let priority = 100;
  if (input.priority !== undefined && input.priority !== null && input.priority !== '') {
    priority = Number(input.priority);
    if (!Number.isInteger(priority) || priority < 0 || priority > 1000) {
      errors.push({ field: 'priority', value: input.priority, message: 'La priorité doit être un entier entre 0 et 1000 (la plus haute l’emporte).' });
    }
  }
  const schedule = input.schedule?.trim() || null;
  const scheduleError = schedule === null ? null : scheduleProblem(schedule);
  if (scheduleError !== null) errors.push({ field: 'schedule', value: schedule, message: scheduleError });
  let mapping: SourceMapping | null = null;
  if (input.mapping !== undefined && input.mapping !== null) {
    try {
      mapping = parseMapping(input.mapping);
    } catch (error) {
      errors.push({ field: 'mapping', message: (error as Error).message });
    }
  }
  if (format === 'mapping' && mapping === null && !errors.some((e) => e.field === 'mapping')) {
    errors.push({ field: 'mapping', message: 'Le format « mapping » demande un mapping (fichier JSON).' });
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { name, producer, format: format as ImportFormat | null, location: input.location?.trim() || null, mapping, priority, schedule },
  };
}

export async function addSource(deps: SourcesDeps, input: NewSource): Promise<Source> {
  const result = validateNewSource(input);
  if (!result.ok) throw new ValidationError(result.errors, 'La source n’a pas été créée : certains champs ne sont pas valides.');
  if (await repo.findSourceByName(deps.db, result.value.name)) {
    throw new ConflictError(`Une source s’appelle déjà « ${result.value.name} ».`);
  }
  const now = deps.clock.now();
  const row = await repo.insertSource(deps.db, {
    id: randomUUID(),
    ...result.value,
    mapping: result.value.mapping === null ? null : JSON.stringify(result.value.mapping),
    next_sync_at: result.value.schedule === null ? null : nextScheduledAt(result.value.schedule, now),
    created_at: now,
    updated_at: now,
  });
  return toSource(row);
}

export async function getSource(deps: Pick<SourcesDeps, 'db'>, name: string): Promise<Source> {
  const row = await repo.findSourceByName(deps.db, name);
  if (!row) throw new NotFoundError(`Aucune source ne s’appelle « ${name} » (voir « maillage sources list »).`);
  return toSource(row);
}

export async function listSources(deps: Pick<SourcesDeps, 'db'>) {
  const rows = await repo.listSources(deps.db);
  return rows.map((row) => ({
    ...toSource(row),
    places: Number(row.places ?? 0),
    last_run_at: row.last_run_at ? new Date(row.last_run_at).toISOString() : null,
  }));
}

export async function listSourceRuns(deps: Pick<SourcesDeps, 'db'>, name: string, limit = 10) {
  const source = await getSource(deps, name);
  return repo.listRuns(deps.db, source.id, limit);
}
