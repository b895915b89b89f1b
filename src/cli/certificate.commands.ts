import { readFile } from 'node:fs/promises';
import { operatorActor } from '../platform/actor.js';
import { type CliCommand, text } from './command.js';

export const certificateCommands: CliCommand[] = [
  {
    name: 'certificate revoke',
    usage: '--tenant S --serial SERIAL --reason TEXT',
    summary: 'the verification page then says it is revoked',
    options: { tenant: { type: 'string' }, serial: { type: 'string' }, reason: { type: 'string' } },
    async run({ services, tenantBySlug }, values) {
      const slug = text(values, 'tenant');
      const serial = text(values, 'serial');
      const reason = text(values, 'reason');
      if (!slug || !serial || !reason) return 'usage';
      const tenant = await tenantBySlug(slug);
      const outcome = await services.verification.revoke(tenant, serial, reason, operatorActor(tenant.id));
      if (outcome.status === 'notFound') {
        console.error(`no unrevoked certificate ${serial} at ${tenant.slug}`);
        return 1;
      }
      console.log(`certificate ${serial} revoked`);
      return 0;
    },
  },
  {
    name: 'signer import',
    usage: '--tenant S --p12 FILE',
    summary: "install the university's signing key (PKCS#12; passphrase from SHOMEI_P12_PASSPHRASE)",
    options: { tenant: { type: 'string' }, p12: { type: 'string' } },
    async run({ services, tenantBySlug, resolvePath }, values) {
      const passphrase = process.env.SHOMEI_P12_PASSPHRASE;
      const slug = text(values, 'tenant');
      const p12 = text(values, 'p12');
      if (!slug || !p12 || passphrase === undefined) return 'usage';
      const tenant = await tenantBySlug(slug);
      await services.issuance.importSigner(tenant, await readFile(resolvePath(p12)), passphrase);
      console.log(`signing key imported for ${tenant.slug}; new certificates are signed with it`);
      return 0;
    },
  },
];
