import { resealSecrets } from '../features/operations/reseal.js';
import type { Services } from '../services.js';
import type { CliCommand } from './command.js';

/**
 * \`shomei secrets status|reseal\` (#13, docs/operations/keys.md). The keyring given has already
 * been checked against the database's fingerprint (resolveKeyring), so nothing here can seal
 * under a key the service does not hold. Returns the exit code, or undefined for an unknown
 * subcommand.
 */
export async function secretsCommand(
  sub: string | undefined,
  services: Pick<Services, 'uow' | 'box' | 'keyring'>,
  out: Pick<Console, 'log' | 'error'> = console,
): Promise<number | undefined> {
  if (sub !== 'status' && sub !== 'reseal') return undefined;
  const { keyring } = services;
  const report = await resealSecrets(services.uow, services.box, undefined, { dryRun: sub === 'status' });
  const verb = sub === 'status' ? 'to seal again' : 'sealed again';
  out.log(`SECRET_KEY: key ${keyring.current.id}`);
  out.log(keyring.previous ? `SECRET_KEY_PREVIOUS: key ${keyring.previous.id}` : 'SECRET_KEY_PREVIOUS: not set');
  out.log(`${verb} under SECRET_KEY: ${report.signers} signing-key passphrase(s), ${report.mails} queued mail(s)`);
  if (report.unopenable > 0) {
    out.error(
      `${report.unopenable} value(s) are sealed under a key that is neither SECRET_KEY nor SECRET_KEY_PREVIOUS: ` +
        'set that key as SECRET_KEY_PREVIOUS and run this again, or import the signing key again (shomei signer import).',
    );
    return 1;
  }
  if (sub === 'reseal' && keyring.previous)
    out.log('Nothing is left under SECRET_KEY_PREVIOUS: remove it from every instance’s environment and restart them.');
  return 0;
}

export const secretsCommands: CliCommand[] = [
  {
    name: 'secrets status',
    usage: '',
    summary: 'which keys are in use, and what is still sealed under SECRET_KEY_PREVIOUS',
    options: {},
    run: async ({ services }) => (await secretsCommand('status', services)) ?? 'usage',
  },
  {
    name: 'secrets reseal',
    usage: '',
    summary: 'after a rotation: seal signing-key passphrases and queued mail again under SECRET_KEY',
    options: {},
    run: async ({ services }) => (await secretsCommand('reseal', services)) ?? 'usage',
  },
];
