// Sub-commands of `maillage`; each module adds its own file and a line here.
import type { Command } from 'commander';
import type { Config } from '../server/config.ts';
import { addServeCommands } from './serve.command.ts';
import { addObservatoryCommands, addObservatoryDataCommands } from './observatory.command.ts';
import { addDataCommands } from './data.command.ts';
import { addImportCommands } from './import.command.ts';
import { addSourcesCommands } from './sources.command.ts';
import { addJobsCommands } from './jobs.command.ts';
import { addExportCommands } from './export.command.ts';
import { addLieuxCommands } from './lieux.command.ts';
import { addAccountsCommands } from './accounts.command.ts';
import { addDoublonsCommands } from './doublons.command.ts';
import { addFraicheurCommands } from './fraicheur.command.ts';

export type CliCommand = (program: Command, config: () => Config) => void;

export const cliCommands: CliCommand[] = [addServeCommands, addObservatoryCommands, addObservatoryDataCommands, addDataCommands, addLieuxCommands, addImportCommands, addSourcesCommands, addJobsCommands, addExportCommands, addAccountsCommands, addDoublonsCommands, addFraicheurCommands];
