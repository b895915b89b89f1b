import type { Logger } from 'pino';
import { openMail, sealMail } from '../mail/mail.seal.js';
import type { SecretBox } from '../../platform/crypto.js';
import type { UnitOfWork } from '../../db/unit-of-work.js';

export interface ResealReport {
  /** Sealed again under the current SECRET_KEY. */
  signers: number;
  mails: number;
  /** Sealed under a key this process does not hold: lost unless that key comes back as SECRET_KEY_PREVIOUS. */
  unopenable: number;
}

const PAGE = 200;

/**
 * After a SECRET_KEY rotation, seals the long-lived values made under the previous key again
 * under the current one: signing-key passphrases (kept for years) and mail not yet sent. Once
 * it reports nothing stale, SECRET_KEY_PREVIOUS can go. Short-lived seals (a flow's setup
 * proof) are left to expire. Each replacement is conditional, so it is safe beside running
 * instances and a second run. A dry run counts what it would seal again.
 */
export async function resealSecrets(
  uow: UnitOfWork,
  box: SecretBox,
  log?: Pick<Logger, 'warn'>,
  { dryRun = false } = {},
): Promise<ResealReport> {
  const repos = uow.repos;
  const report: ResealReport = { signers: 0, mails: 0, unopenable: 0 };
  for (const signer of await repos.signingKeys.listSealedPassphrases()) {
    if (!box.isStale(signer.passphraseSealed)) continue;
    let passphrase: string;
    try {
      passphrase = box.open(signer.passphraseSealed);
    } catch {
      report.unopenable++;
      log?.warn(
        { tenantId: signer.tenantId },
        'a signing key passphrase is sealed under an unknown key; import the key again',
      );
      continue;
    }
    if (
      dryRun ||
      (await repos.signingKeys.replaceSealedPassphrase(signer.tenantId, signer.passphraseSealed, box.seal(passphrase)))
    )
      report.signers++;
  }
  for (let after = '', page; (page = await repos.outbox.listUnsentSealed(after, PAGE)).length > 0;) {
    for (const mail of page) {
      after = mail.id;
      if (!box.isStale(mail.text)) continue;
      let body;
      try {
        body = openMail(box, mail);
      } catch {
        report.unopenable++;
        continue;
      }
      if (body && (dryRun || (await repos.outbox.replaceSealed(mail.tenantId, mail.id, mail, sealMail(box, body)))))
        report.mails++;
    }
  }
  return report;
}
