// `maillage fraicheur rappels`: e-mails the managers of places not updated for 6 months or more
// (at most one reminder per place per 30 days; see docs/accounts.md, « Fraîcheur »).
import type { Command } from 'commander';
import type { Config } from '../server/config.ts';
import { createMailer } from '../lib/mailer.ts';
import { withPlatform } from './with-platform.ts';
import { sendFreshnessReminders, type FreshnessDeps } from '../modules/freshness/freshness.use-cases.ts';

export type Output = (text: string) => void;

export async function fraicheurRappels(deps: FreshnessDeps, options: { simulation?: boolean }, out: Output): Promise<number> {
  const result = await sendFreshnessReminders(deps, { dryRun: options.simulation });
  if (options.simulation) {
    const lieux = new Set(result.targets.map((t) => t.lieu_id)).size;
    out(`Simulation : ${result.targets.length} e-mail(s) de rappel seraient envoyés pour ${lieux} lieu(x).\n`);
    for (const t of result.targets) out(`- ${t.nom} (${t.commune}), mis à jour le ${t.date_maj}\n`);
    return 0;
  }
  out(`${result.sent} e-mail(s) de rappel envoyés pour ${result.lieux} lieu(x).\n`);
  if (result.failed) out(`${result.failed} e-mail(s) n’ont pas pu être envoyés : ils seront retentés au prochain passage.\n`);
  return result.failed ? 1 : 0;
}

export function addFraicheurCommands(program: Command, config: () => Config): void {
  const out: Output = (text) => process.stdout.write(text);
  const fraicheur = program.command('fraicheur').description('fraîcheur des lieux : rappels aux gestionnaires');
  fraicheur
    .command('rappels')
    .description('envoie un e-mail aux gestionnaires des lieux non mis à jour depuis 6 mois (un rappel par lieu tous les 30 jours au plus)')
    .option('--simulation', 'affiche les lieux concernés sans rien envoyer')
    .action(async (options: { simulation?: boolean }) =>
      withPlatform(config(), async (deps) => {
        const mailer = deps.mailer ?? createMailer({ smtpUrl: deps.config.smtpUrl, from: deps.config.mailFrom, logger: deps.logger });
        try {
          process.exitCode = await fraicheurRappels({ ...deps, mailer }, options, out);
        } finally {
          mailer.close();
        }
      }),
    );
}
