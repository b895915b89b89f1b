import type { SecretBox } from '../../platform/crypto.js';
import type { ComposedMail } from './mail.templates.js';
import type { Sealed } from './outbox.model.js';

export interface SealedBody {
  subject: Sealed;
  text: Sealed;
  html: Sealed;
}

/**
 * Mail carries live secrets (keys, one-time links, delivery tokens): the outbox stores it sealed
 * with the server key, so a stolen database hands out none of them.
 */
export function sealMail(box: SecretBox, mail: ComposedMail): SealedBody {
  return {
    subject: box.seal(mail.subject) as Sealed,
    text: box.seal(mail.text) as Sealed,
    html: box.seal(mail.html) as Sealed,
  };
}

/** The mail as composed; undefined once its body was blanked (sent or failed). Throws on a foreign key. */
export function openMail(box: SecretBox, mail: SealedBody): ComposedMail | undefined {
  if (mail.text === '') return undefined;
  return { subject: box.open(mail.subject), text: box.open(mail.text), html: box.open(mail.html) };
}
