import { readFile } from 'node:fs/promises';
import { operatorActor } from '../platform/actor.js';
import type { ImportedKey } from '../features/certificates/signing/signing-key.service.js';
import { formatFingerprint } from '../features/certificates/signing-key.model.js';
import {
  isStaffRevocationCategory,
  staffRevocationCategories,
} from '../features/certificates/issued-certificate.model.js';
import { type CliCommand, text } from './command.js';

export const certificateCommands: CliCommand[] = [
  {
    name: 'certificate revoke',
    usage: `--tenant S --serial SERIAL --reason ${staffRevocationCategories.join('|')} [--note TEXT]`,
    summary: 'the verification page then says it is revoked, with the reason; the note stays internal',
    options: {
      tenant: { type: 'string' },
      serial: { type: 'string' },
      reason: { type: 'string' },
      note: { type: 'string' },
    },
    async run({ services, tenantBySlug }, values) {
      const slug = text(values, 'tenant');
      const serial = text(values, 'serial');
      const category = text(values, 'reason');
      if (!slug || !serial || !category || !isStaffRevocationCategory(category)) return 'usage';
      const tenant = await tenantBySlug(slug);
      const outcome = await services.verification.revoke(
        tenant,
        serial,
        { category, note: text(values, 'note') ?? '' },
        operatorActor(tenant.id),
      );
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
    usage: '--tenant S (--p12 FILE | --pkcs11 MODULE --token LABEL --key LABEL [--chain FILE.pem])',
    summary:
      "install the university's signing key, checked first; the previous one is kept, retired (PKCS#12 passphrase from SHOMEI_P12_PASSPHRASE; token PIN from SHOMEI_PKCS11_PIN)",
    options: {
      tenant: { type: 'string' },
      p12: { type: 'string' },
      pkcs11: { type: 'string' },
      token: { type: 'string' },
      key: { type: 'string' },
      chain: { type: 'string' },
    },
    async run({ services, tenantBySlug, resolvePath }, values) {
      const slug = text(values, 'tenant');
      const p12 = text(values, 'p12');
      const module = text(values, 'pkcs11');
      if (!slug || (p12 === undefined) === (module === undefined)) return 'usage';
      let imported: ImportedKey;
      if (p12 !== undefined) {
        const passphrase = process.env.SHOMEI_P12_PASSPHRASE;
        if (passphrase === undefined) return 'usage';
        const tenant = await tenantBySlug(slug);
        imported = await services.signingKeys.importPkcs12(
          tenant,
          await readFile(resolvePath(p12)),
          passphrase,
          operatorActor(tenant.id),
        );
      } else {
        const token = text(values, 'token');
        const key = text(values, 'key');
        const chain = text(values, 'chain');
        const pin = process.env.SHOMEI_PKCS11_PIN;
        if (!module || !token || !key || pin === undefined) return 'usage';
        const tenant = await tenantBySlug(slug);
        imported = await services.signingKeys.importPkcs11(
          tenant,
          { module: resolvePath(module), token, key },
          pin,
          chain === undefined ? undefined : await readFile(resolvePath(chain), 'utf8'),
          operatorActor(tenant.id),
        );
      }
      for (const warning of imported.warnings) console.warn(`warning: ${warning}`);
      console.log(`signing key imported for ${slug}; new certificates are signed with it`);
      console.log(`certificate: ${imported.subject}, valid until ${imported.notAfter}`);
      console.log(`SHA-256 fingerprint: ${imported.fingerprint}`);
      return 0;
    },
  },
  {
    name: 'signer list',
    usage: '--tenant S',
    summary: "the university's signing certificates, current and past, with their SHA-256 fingerprints",
    options: { tenant: { type: 'string' } },
    async run({ services, tenantBySlug }, values) {
      const slug = text(values, 'tenant');
      if (!slug) return 'usage';
      const tenant = await tenantBySlug(slug);
      for (const cert of await services.signingKeys.history(tenant)) {
        const state = cert.retiredAt === null ? 'current' : `retired ${new Date(cert.retiredAt).toISOString()}`;
        console.log(
          `${formatFingerprint(cert.fingerprintSha256)}  ${state}${cert.development ? ' (development)' : ''}  ` +
            `${cert.subject.replace(/\n/g, ', ')}  valid ${new Date(cert.notBefore).toISOString()} – ${new Date(cert.notAfter).toISOString()}`,
        );
      }
      return 0;
    },
  },
];
