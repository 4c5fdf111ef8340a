// The `maillage` command: operators' entry point (serve, migrate, and one sub-command per task).
import { Command, CommanderError } from 'commander';
import { loadConfig, ConfigError } from '../server/config.ts';
import { DomainError } from '../lib/errors.ts';
import { cliCommands } from './commands.ts';

const program = new Command('maillage')
  .description('Maillage — registre national des lieux de médiation numérique')
  .exitOverride()
  .showHelpAfterError();

for (const addCommand of cliCommands) addCommand(program, () => loadConfig());

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  if (error instanceof ConfigError || error instanceof DomainError) {
    process.stderr.write(`Erreur : ${error.message}\n`);
    if (error instanceof DomainError) {
      for (const e of error.errors) process.stderr.write(`  - ${e.field} : ${e.message}\n`);
    }
    process.exit(1);
  }
  throw error;
}
