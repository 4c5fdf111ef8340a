// `maillage accounts create`: operators bootstrap accounts (the first moderators and
// administrators, managers of given places, territorial agents). No password goes through
// the command line: the account owner sets it with the printed (and e-mailed) link.
import type { Command } from 'commander';
import validator from 'validator';
import type { Config } from '../server/config.ts';
import { bootstrap, shutdown } from '../server/bootstrap.ts';
import { ValidationError } from '../lib/errors.ts';
import { createMailer } from '../lib/mailer.ts';
import { createAccountByOperator, parseTerritory, type AccountsDeps } from '../modules/accounts/accounts.use-cases.ts';
import type { Scope } from '../modules/accounts/authorize.ts';
import { roleLabels } from '../modules/accounts/authorize.ts';
import { purgeExpiredPersonalData, RETENTION_DAYS } from '../modules/accounts/retention.ts';

export type Output = (text: string) => void;

export interface AccountsCreateOptions {
  email: string;
  role: string;
  territoire: string[];
  lieu: string[];
  source: string[];
}

export async function accountsCreate(deps: AccountsDeps, options: AccountsCreateOptions, out: Output): Promise<string> {
  const scopes: Scope[] = options.territoire.map(parseTerritory);
  const badIds = options.lieu.filter((id) => !validator.isUUID(id));
  if (badIds.length) throw new ValidationError(badIds.map((id) => ({ field: 'lieu', message: `« ${id} » n’est pas un identifiant de lieu (UUID).`, value: id })));
  if (options.lieu.length) {
    const found = await deps.db.selectFrom('lieux').select('id').where('id', 'in', options.lieu.map((id) => id.toLowerCase())).execute();
    const missing = options.lieu.filter((id) => !found.some((row) => row.id === id.toLowerCase()));
    if (missing.length) throw new ValidationError(missing.map((id) => ({ field: 'lieu', message: `Aucun lieu ne porte l’identifiant « ${id} ».`, value: id })));
  }
  scopes.push(...options.lieu.map((id) => ({ kind: 'lieu' as const, code: id.toLowerCase() })));
  scopes.push(...options.source.map((id) => ({ kind: 'source' as const, code: id })));
  const { id, resetLink } = await createAccountByOperator(deps, { email: options.email, role: options.role, scopes });
  const role = roleLabels[options.role as keyof typeof roleLabels];
  out(`Compte créé (${role}) : ${id}\n`);
  if (scopes.length) out(`Périmètre : ${scopes.map((s) => `${s.kind}:${s.code}`).join(', ')}\n`);
  out(`Lien pour choisir le mot de passe (valable 1 heure, aussi envoyé par e-mail) :\n${resetLink}\n`);
  return id;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `maillage accounts purge`: applies the retention periods; prints what was removed. */
export async function accountsPurge(deps: Pick<AccountsDeps, 'db' | 'clock'>, out: Output): Promise<void> {
  const r = await purgeExpiredPersonalData(deps);
  out(`Supprimés : ${r.sessions} session(s) et ${r.jetons} lien(s) expirés, ${r.journal_audit} entrée(s) du journal d’audit et ${r.signalements} signalement(s) traité(s) de plus de ${RETENTION_DAYS} jours.\n`);
}

export function addAccountsCommands(program: Command, config: () => Config): void {
  const out: Output = (text) => process.stdout.write(text);
  const accounts = program.command('accounts').description('gère les comptes (modérateurs, administrateurs, gestionnaires, agents territoriaux, réseaux)');
  accounts
    .command('create')
    .description('crée un compte vérifié et affiche le lien pour choisir son mot de passe')
    .requiredOption('--email <adresse>', 'adresse e-mail du compte')
    .requiredOption('--role <rôle>', 'gestionnaire, reseau, agent_territorial, moderateur ou administrateur')
    .option('--territoire <type:code>', 'territoire d’un agent : commune:69123, epci:200046977, departement:69, region:84 (répétable)', collect, [])
    .option('--lieu <id>', 'lieu géré (répétable)', collect, [])
    .option('--source <id>', 'source d’un réseau (répétable)', collect, [])
    .action(async (options: AccountsCreateOptions) => {
      const deps = await bootstrap(config());
      const mailer = createMailer({ smtpUrl: deps.config.smtpUrl, from: deps.config.mailFrom, logger: deps.logger });
      try {
        await accountsCreate({ db: deps.db, clock: deps.clock, mailer, publicUrl: deps.config.publicUrl }, options, out);
      } finally {
        mailer.close();
        await shutdown(deps);
      }
    });
  accounts
    .command('purge')
    .description(`applique les durées de conservation : sessions et liens expirés, journal d’audit et signalements traités de plus de ${RETENTION_DAYS} jours (à lancer chaque jour)`)
    .action(async () => {
      const deps = await bootstrap(config());
      try {
        await accountsPurge(deps, out);
      } finally {
        await shutdown(deps);
      }
    });
}
