import { SECOND_PASSWORD_MAX } from '../second-password.rules.js';
import { BulletList, Field, type FieldError, Notes } from '../../../platform/views/components.js';
import { usePage } from '../../../platform/views/page-context.js';

/** A new mail address typed twice, and the notes on receiving mail: first registration and change. */
export function MailAddressFields({
  name,
  label,
  address,
  check,
  errors,
}: {
  name: string;
  label: string;
  address: string;
  check?: string | undefined;
  errors: FieldError[];
}) {
  const { t } = usePage();
  return (
    <>
      <Field
        name={name}
        label={label}
        type="email"
        value={address}
        errors={errors}
        autocomplete="email"
        inputMode="email"
        maxLength={254}
      />
      <Field
        name="check"
        label={t('mailAddress.check')}
        type="email"
        value={check}
        errors={errors}
        autocomplete="off"
        inputMode="email"
        maxLength={254}
      />
      <MailAddressNotes />
    </>
  );
}

function MailAddressNotes() {
  const { t } = usePage();
  return (
    <Notes>
      <BulletList
        items={[
          t('mailAddress.notes.press'),
          t('mailAddress.notes.access'),
          t('mailAddress.notes.delay'),
          t('mailAddress.notes.freeMail'),
        ]}
      />
      <p>{t('mailAddress.notes.checkAfter')}</p>
      <ol>
        <li>{t('mailAddress.notes.check1')}</li>
        <li>{t('mailAddress.notes.check2')}</li>
        <li>{t('mailAddress.notes.check3')}</li>
        <li>{t('mailAddress.notes.check4')}</li>
      </ol>
    </Notes>
  );
}

/** A new second password typed twice, and its rules: setup, reset and change. */
export function NewSecondPasswordFields({
  name,
  label,
  errors,
  kept,
}: {
  name: string;
  label: string;
  errors: FieldError[];
  /** What the server kept of an earlier try: never a password it refused (auth.forms.ts). */
  kept?: { candidate: string; check: string } | undefined;
}) {
  const { t } = usePage();
  return (
    <>
      <Field
        name={name}
        label={label}
        type="password"
        value={kept?.candidate}
        errors={errors}
        autocomplete="new-password"
        maxLength={SECOND_PASSWORD_MAX * 4}
      />
      <Field
        name="check"
        label={t('secondPassword.check')}
        type="password"
        value={kept?.check}
        errors={errors}
        autocomplete="new-password"
        maxLength={SECOND_PASSWORD_MAX * 4}
      />
      <SecondPasswordRulesNotes />
    </>
  );
}

function SecondPasswordRulesNotes() {
  const { t } = usePage();
  return (
    <Notes>
      <p>{t('secondPassword.rules.intro')}</p>
      <BulletList
        items={[
          t('secondPassword.rules.length'),
          t('secondPassword.rules.upper'),
          t('secondPassword.rules.lower'),
          t('secondPassword.rules.digit'),
          t('secondPassword.rules.onlyAlphanumeric'),
          t('secondPassword.rules.notUniversity'),
          t('secondPassword.rules.notCommon'),
        ]}
      />
    </Notes>
  );
}

/** The second password asked again before a security change (#8). */
export function ReauthField({ errors }: { errors: FieldError[] }) {
  const { t } = usePage();
  return (
    <Field
      name="secondPassword"
      label={t('reauth.label')}
      hint={t('reauth.hint')}
      type="password"
      errors={errors}
      autocomplete="current-password"
      maxLength={SECOND_PASSWORD_MAX * 4}
    />
  );
}
