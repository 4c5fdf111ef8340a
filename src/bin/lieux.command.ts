// `maillage lieux …`: operators add, update, unpublish and inspect places from JSON files.
// The work is in exported functions taking deps and an output, so tests need no subprocess;
// failures are DomainErrors that `maillage` prints in French with a non-zero exit.
import fs from 'node:fs/promises';
import type { Command } from 'commander';
import type { Config } from '../server/config.ts';
import { withPlatform } from './with-platform.ts';
import { DomainError, ValidationError } from '../lib/errors.ts';
import {
  createLieux,
  getLieu,
  listLieuVersions,
  LieuxBatchValidationError,
  republishLieu,
  unpublishLieu,
  updateLieu,
  type Actor,
  type LieuxDeps,
} from '../modules/lieux/lieux.use-cases.ts';

/** Where a command writes its normal output (process.stdout in the CLI, an array in tests). */
export type Output = (text: string) => void;

const cliActor: Actor = { kind: 'cli' };

class FileError extends DomainError {
  constructor(message: string) {
    super('fichier', message, 400);
  }
}

/** Reads a JSON file, with French messages for a missing file or broken JSON. */
export async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileError(code === 'ENOENT' ? `Le fichier « ${file} » est introuvable.` : `Le fichier « ${file} » ne peut pas être lu (${code ?? 'erreur'}).`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new FileError(`Le fichier « ${file} » n’est pas du JSON valide : ${(error as Error).message}`);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** `lieux add FILE`: one object or an array; all or nothing. Returns the created ids. */
export async function lieuxAdd(deps: LieuxDeps, file: string, out: Output): Promise<string[]> {
  const content = await readJsonFile(file);
  const records = Array.isArray(content) ? content : [content];
  if (records.length === 0) throw new FileError(`Le fichier « ${file} » ne contient aucun lieu.`);
  const notObjects = records.flatMap((record, index) => (isObject(record) ? [] : [index]));
  if (notObjects.length) {
    throw new ValidationError(
      notObjects.map((index) => ({ field: recordLabel(index, null), message: 'Un lieu doit être un objet JSON avec les champs du standard.' })),
      'Aucun lieu n’a été enregistré : le fichier doit contenir un objet ou une liste d’objets.',
    );
  }
  try {
    const created = await createLieux(deps, records as Record<string, unknown>[], cliActor);
    for (const lieu of created) out(`Lieu enregistré : ${lieu.id} — ${lieu.nom} (${lieu.commune})\n`);
    out(`${created.length} lieu(x) enregistré(s).\n`);
    return created.map((lieu) => lieu.id);
  } catch (error) {
    if (error instanceof LieuxBatchValidationError) {
      const errors = error.records.map((e) => ({ field: recordLabel(e.index, e.field, records.length > 1), message: e.message }));
      throw new ValidationError(errors, error.message);
    }
    throw error;
  }
}

function recordLabel(index: number, field: string | null, several = true): string {
  const where = several ? `lieu n° ${index + 1} (index ${index})` : 'lieu';
  return field === null ? where : `${where}, champ ${field}`;
}

/** `lieux update ID FILE`: the file holds the fields to change (null clears one). */
export async function lieuxUpdate(deps: LieuxDeps, id: string, file: string, out: Output): Promise<void> {
  const patch = await readJsonFile(file);
  if (!isObject(patch)) throw new FileError(`Le fichier « ${file} » doit contenir un objet JSON : les champs à modifier.`);
  const before = await getLieu(deps, id);
  const after = await updateLieu(deps, id, patch, cliActor);
  out(JSON.stringify(after) === JSON.stringify(before) ? `Aucun changement pour le lieu ${after.id}.\n` : `Lieu modifié : ${after.id} — ${after.nom}\n`);
}

export async function lieuxUnpublish(deps: LieuxDeps, id: string, out: Output, reason?: string): Promise<void> {
  const before = await getLieu(deps, id);
  const lieu = await unpublishLieu(deps, id, cliActor, reason);
  out(before.status === 'unpublished' ? `Le lieu ${lieu.id} était déjà dépublié.\n` : `Lieu dépublié : ${lieu.id} — ${lieu.nom}\n`);
}

export async function lieuxRepublish(deps: LieuxDeps, id: string, out: Output, reason?: string): Promise<void> {
  const before = await getLieu(deps, id);
  const lieu = await republishLieu(deps, id, cliActor, reason);
  out(before.status === 'published' ? `Le lieu ${lieu.id} était déjà publié.\n` : `Lieu republié : ${lieu.id} — ${lieu.nom}\n`);
}

/** `lieux show ID`: the record as the API gives it. */
export async function lieuxShow(deps: LieuxDeps, id: string, out: Output): Promise<void> {
  out(`${JSON.stringify(await getLieu(deps, id), null, 2)}\n`);
}

const actionLabels = { create: 'création', update: 'modification', unpublish: 'dépublication', republish: 'republication' } as const;

/** `lieux history ID`: one block per version, the changed fields with their old and new values. */
export async function lieuxHistory(deps: LieuxDeps, id: string, out: Output): Promise<void> {
  const versions = await listLieuVersions(deps, id);
  for (const v of versions) {
    const who = v.actor_id ? `${v.actor_kind} ${v.actor_id}` : v.actor_kind;
    const when = new Date(v.changed_at).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' });
    out(`version ${v.version} · ${when} · ${actionLabels[v.action]} · ${who}${v.reason ? ` · motif : ${v.reason}` : ''}\n`);
    for (const [field, { from, to }] of Object.entries(v.changes)) {
      out(v.action === 'create' ? `  ${field} : ${show(to)}\n` : `  ${field} : ${show(from)} → ${show(to)}\n`);
    }
  }
}

const show = (value: unknown) => (value === null ? '(vide)' : JSON.stringify(value));

export function addLieuxCommands(program: Command, config: () => Config): void {
  const out: Output = (text) => process.stdout.write(text);
  const lieux = program.command('lieux').description('gère les lieux du registre (fichiers JSON au format du standard)');

  lieux
    .command('add')
    .description('ajoute un lieu ou une liste de lieux ; rien n’est enregistré si un seul est invalide')
    .argument('<fichier>', 'fichier JSON : un objet ou une liste d’objets aux champs du standard')
    .action((file: string) => withPlatform(config(), (deps) => lieuxAdd(deps, file, out)));

  lieux
    .command('update')
    .description('modifie un lieu avec les champs donnés (null efface un champ facultatif)')
    .argument('<id>', 'identifiant du lieu')
    .argument('<fichier>', 'fichier JSON : un objet avec les champs à modifier')
    .action((id: string, file: string) => withPlatform(config(), (deps) => lieuxUpdate(deps, id, file, out)));

  lieux
    .command('unpublish')
    .description('retire un lieu du registre public (il reste dans l’historique)')
    .argument('<id>', 'identifiant du lieu')
    .option('--motif <texte>', 'raison du retrait, gardée dans l’historique')
    .action((id: string, options: { motif?: string }) => withPlatform(config(), (deps) => lieuxUnpublish(deps, id, out, options.motif)));

  lieux
    .command('republish')
    .description('republie un lieu retiré')
    .argument('<id>', 'identifiant du lieu')
    .option('--motif <texte>', 'raison de la republication')
    .action((id: string, options: { motif?: string }) => withPlatform(config(), (deps) => lieuxRepublish(deps, id, out, options.motif)));

  lieux
    .command('show')
    .description('affiche un lieu (JSON, champs du standard)')
    .argument('<id>', 'identifiant du lieu')
    .action((id: string) => withPlatform(config(), (deps) => lieuxShow(deps, id, out)));

  lieux
    .command('history')
    .description('affiche l’historique des versions d’un lieu')
    .argument('<id>', 'identifiant du lieu')
    .action((id: string) => withPlatform(config(), (deps) => lieuxHistory(deps, id, out)));
}
