// `maillage doublons …`: the review queue of likely duplicates, merges and splits of places.
// The work is in exported functions taking deps and an output, so tests need no subprocess;
// failures are DomainErrors that `maillage` prints in French with a non-zero exit.
import type { Command } from 'commander';
import type { Config } from '../server/config.ts';
import { withPlatform } from './with-platform.ts';
import type { Output } from './lieux.command.ts';
import type { Actor } from '../modules/lieux/lieux.use-cases.ts';
import {
  listDuplicates,
  mergeLieux,
  rejectDuplicate,
  splitLieu,
  type DuplicatePair,
  type DuplicatesDeps,
  type DuplicateStatus,
} from '../modules/imports/imports.duplicates.ts';
import { ValidationError } from '../lib/errors.ts';

const cliActor: Actor = { kind: 'cli' };

const statuses: Record<string, DuplicateStatus> = { 'en-attente': 'pending', confirmes: 'confirmed', rejetes: 'rejected' };

function signalsText(pair: DuplicatePair): string {
  const s = pair.signals;
  const parts = [`nom ${Math.round(s.name * 100)} %`];
  if (s.address !== null) parts.push(`adresse ${Math.round(s.address * 100)} %`);
  if (s.distance_m !== null) parts.push(`distance ${s.distance_m} m`);
  parts.push({ same: 'même SIRET', different: 'SIRET différents', same_siren: 'même SIREN', unknown: 'SIRET inconnu' }[s.pivot]);
  if (s.phone !== null) parts.push(s.phone ? 'même téléphone' : 'téléphones différents');
  if (s.email !== null) parts.push(s.email ? 'courriel commun' : 'courriels différents');
  return parts.join(', ');
}

/** `doublons list [--statut …] [--limite N]`: one block per pair, best score first. */
export async function doublonsList(deps: DuplicatesDeps, out: Output, options: { statut?: string; limite?: string } = {}): Promise<DuplicatePair[]> {
  const status = statuses[options.statut ?? 'en-attente'];
  if (!status) throw new ValidationError([{ field: 'statut', message: 'Valeurs possibles : en-attente, confirmes, rejetes.', value: options.statut }], `Statut inconnu : « ${options.statut} ».`);
  const limit = options.limite === undefined ? 100 : Number(options.limite);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new ValidationError([{ field: 'limite', message: 'Un nombre entier entre 1 et 1000.', value: options.limite }], `Limite invalide : « ${options.limite} ».`);
  const pairs = await listDuplicates(deps, { status, limit });
  for (const p of pairs) {
    out(`${p.score}/100 ${p.decision === 'merge' ? 'fusion probable' : 'à examiner'}\n`);
    out(`  A ${p.lieu_a.id}  ${p.lieu_a.nom} — ${p.lieu_a.adresse}, ${p.lieu_a.commune} (${p.lieu_a.pivot})\n`);
    out(`  B ${p.lieu_b.id}  ${p.lieu_b.nom} — ${p.lieu_b.adresse}, ${p.lieu_b.commune} (${p.lieu_b.pivot})\n`);
    out(`  ${signalsText(p)}${p.reason ? ` — ${p.reason}` : ''}\n`);
  }
  out(`${pairs.length} paire(s) ${options.statut ?? 'en-attente'}.\n`);
  return pairs;
}

/** `doublons merge A B [--forcer]`: B is merged into A, which keeps its id. */
export async function doublonsMerge(deps: DuplicatesDeps, keptId: string, mergedId: string, out: Output, options: { forcer?: boolean } = {}) {
  const report = await mergeLieux(deps, keptId, mergedId, cliActor, { force: options.forcer === true });
  out(`Lieu ${report.fusionne} fusionné dans ${report.lieu.id} — ${report.lieu.nom} (${report.lieu.commune}).\n`);
  out(report.champs_modifies.length ? `Champs modifiés : ${report.champs_modifies.join(', ')}.\n` : 'Aucun champ modifié.\n');
  out(`Pour annuler : maillage doublons split ${report.fusionne}\n`);
  return report;
}

/** `doublons split ID`: undoes the merge of place ID (the one merged away). */
export async function doublonsSplit(deps: DuplicatesDeps, mergedId: string, out: Output) {
  const report = await splitLieu(deps, mergedId, cliActor);
  out(`Lieu ${report.separe.id} — ${report.separe.nom} séparé de ${report.lieu.id} — ${report.lieu.nom}.\n`);
  if (report.champs_conserves.length) out(`Modifiés depuis la fusion, gardés sur ${report.lieu.id} : ${report.champs_conserves.join(', ')}.\n`);
  return report;
}

/** `doublons reject A B`: the two places are different; the pair is never proposed again. */
export async function doublonsReject(deps: DuplicatesDeps, idA: string, idB: string, out: Output) {
  const pair = await rejectDuplicate(deps, idA, idB);
  out(`Paire rejetée : ${pair.lieu_a.nom} / ${pair.lieu_b.nom} ne sera plus proposée.\n`);
  return pair;
}

export function addDoublonsCommands(program: Command, config: () => Config): void {
  const out: Output = (text) => process.stdout.write(text);
  const doublons = program.command('doublons').description('file de revue des doublons probables, fusion et séparation de lieux');

  doublons
    .command('list')
    .description('liste les paires de lieux probablement en double, meilleur score d’abord')
    .option('--statut <statut>', 'en-attente (par défaut), confirmes ou rejetes')
    .option('--limite <n>', 'nombre de paires (100 par défaut)')
    .action((options: { statut?: string; limite?: string }) => withPlatform(config(), (deps) => doublonsList(deps, out, options)));

  doublons
    .command('merge')
    .description('fusionne le lieu B dans le lieu A (A garde son identifiant, B redirige vers A) ; annulable par split')
    .argument('<A>', 'identifiant du lieu conservé')
    .argument('<B>', 'identifiant du lieu fusionné')
    .option('--forcer', 'fusionne même si les deux lieux ont des SIRET/RNA différents')
    .action((a: string, b: string, options: { forcer?: boolean }) => withPlatform(config(), (deps) => doublonsMerge(deps, a, b, out, options)));

  doublons
    .command('split')
    .description('annule la fusion du lieu donné (celui qui avait été fusionné)')
    .argument('<id>', 'identifiant du lieu fusionné')
    .action((id: string) => withPlatform(config(), (deps) => doublonsSplit(deps, id, out)));

  doublons
    .command('reject')
    .description('déclare que deux lieux sont distincts : la paire ne sera plus proposée')
    .argument('<A>', 'identifiant d’un lieu')
    .argument('<B>', 'identifiant de l’autre lieu')
    .action((a: string, b: string) => withPlatform(config(), (deps) => doublonsReject(deps, a, b, out)));
}
