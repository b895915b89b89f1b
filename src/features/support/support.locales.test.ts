import { describe, expect, it } from 'vitest';
import { languages, translator } from '../../platform/i18n.js';
import type { AuditEvent } from '../audit/audit.model.js';
import { supportNotices } from './pages/support.pages.js';
import { type SupportAccount, type SupportMail, supportActions, supportForm } from './support.model.js';

// Records typed by the unions: tsc fails here when a value is added to a union and not to the test.
const resendStates = Object.keys({
  retrying: 1,
  notResendable: 1,
  noAddress: 1,
  addressUnchanged: 1,
  noLongerNeeded: 1,
} satisfies Record<Exclude<SupportMail['resend'], 'ok'>, 1>);
const twoFactor = Object.keys({ on: 1, off: 1, mandatory: 1 } satisfies Record<SupportAccount['twoFactor'], 1>);
const supportEvents: AuditEvent[] = [
  'support.registration_resent',
  'support.registration_cleared',
  'support.trusted_browsers_cleared',
  'support.unlocked',
  'support.second_password_reset_required',
  'support.sessions_ended',
  'support.mail_resent',
];
const violationCodes = ['confirmRequired', 'noAccount', 'noAddress', 'noPendingRegistration'].map(
  (c) => `support.${c}`,
);

/** The keys the support pages build from values rather than spell out. */
const dynamicKeys = [
  ...supportActions.flatMap((action) =>
    ['title', 'body', 'confirm', 'button'].map((part) => `support.actions.${action}.${part}`),
  ),
  ...supportNotices.map((notice) => `support.notice.${notice}`),
  ...resendStates.map((state) => `support.validation.mail.${state}`),
  ...violationCodes.map(supportForm.message),
  ...resendStates.map((state) => supportForm.message(`support.mail.${state}`)),
  ...twoFactor.map((value) => `support.state.twoFactor_${value}`),
  ...supportEvents.map((event) => `support.events.${event}`),
];

describe('#12 A-2 the support pages in both languages (L-12)', () => {
  it('#12 A-2 every text the support pages build from a value exists in Japanese and English', () => {
    for (const lang of languages) {
      const t = translator(lang);
      expect(dynamicKeys.filter((key) => t(key) === key)).toEqual([]);
    }
  });
});
