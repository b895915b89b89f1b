import { catalogueCommands } from './catalogue.commands.js';
import { certificateCommands } from './certificate.commands.js';
import type { CliCommand } from './command.js';
import { dataCommands } from './data.commands.js';
import { databaseCommands } from './database.commands.js';
import { directoryCommands } from './directory.commands.js';
import { orderCommands } from './order.commands.js';
import { recordsCommands } from './records.commands.js';
import { secretsCommands } from './secrets.commands.js';
import { rosterCommands, tenantCommands } from './tenant.commands.js';
import { terminalCommands } from './terminal.commands.js';
import { staffCommands } from './staff.commands.js';

/** Every operator command, in the order `shomei --help` lists them. */
export const commands: readonly CliCommand[] = [
  ...databaseCommands,
  ...dataCommands,
  ...secretsCommands,
  ...tenantCommands,
  ...staffCommands,
  ...rosterCommands,
  ...directoryCommands,
  ...catalogueCommands,
  ...recordsCommands,
  ...orderCommands,
  ...certificateCommands,
  ...terminalCommands,
];

export function usageText(): string {
  const width = Math.max(...commands.map((command) => command.name.length)) + 4;
  return [
    'Usage: shomei <command> [options]',
    '',
    ...commands.map((command) => `  ${command.name.padEnd(width)}${command.summary}`),
    '',
    'shomei <command> --help shows its options.',
    'Exit codes: 0 done, 1 refused, 2 bad input, 64 usage, 75 database busy.',
    '',
  ].join('\n');
}

export function commandUsage(command: CliCommand): string {
  return `Usage: shomei ${command.name}${command.usage ? ` ${command.usage}` : ''}\n  ${command.summary}\n`;
}

/** The command named by the first one or two words, and the arguments after them. */
export function findCommand(argv: readonly string[]): { command: CliCommand; args: string[] } | undefined {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    const command = commands.find((each) => each.name === name);
    if (command) return { command, args: argv.slice(words) };
  }
  return undefined;
}
