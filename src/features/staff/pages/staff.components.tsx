import type { ComponentChildren } from 'preact';
import { Button, Field, type FieldError, Form, fieldId } from '../../../platform/views/components.js';
import { usePage } from '../../../platform/views/page-context.js';
import { Layout } from '../../../platform/views/layout.js';
import type { StaffMember, StaffRole } from '../staff.model.js';
import { STAFF_PASSWORD_MIN } from '../staff.rules.js';

/**
 * The console's sections (#12), each with the least role that may open it: a registrar supports
 * students, moves orders, imports and reads the log; an administrator also runs the university's
 * settings, staff, terminals and keys.
 */
export const consoleSections: { path: string; key: string; role: StaffRole }[] = [
  { path: '', key: 'home', role: 'registrar' },
  { path: '/students', key: 'students', role: 'registrar' },
  { path: '/orders', key: 'orders', role: 'registrar' },
  { path: '/postal', key: 'postal', role: 'registrar' },
  { path: '/imports', key: 'imports', role: 'registrar' },
  { path: '/audit', key: 'audit', role: 'registrar' },
  { path: '/statistics', key: 'statistics', role: 'registrar' },
  { path: '/settings', key: 'settings', role: 'administrator' },
  { path: '/terminals', key: 'terminals', role: 'administrator' },
  { path: '/keys', key: 'keys', role: 'administrator' },
  { path: '/members', key: 'members', role: 'administrator' },
  { path: '/account', key: 'account', role: 'registrar' },
];

/** The console's own navigation: the sections the member's role opens, and logout. */
export function ConsoleNav({ member }: { member: StaffMember }) {
  const { t, base } = usePage();
  return (
    <nav class="console-nav" aria-label={t('staff.nav.label')}>
      <ul>
        {consoleSections
          .filter((section) => section.role === 'registrar' || member.role === 'administrator')
          .map((section) => (
            <li key={section.key}>
              <a href={`${base}/staff${section.path}`}>{t(`staff.nav.${section.key}`)}</a>
            </li>
          ))}
        <li>
          <Form action={`${base}/staff/logout`}>
            <Button variant="secondary">{t('staff.nav.logout')}</Button>
          </Form>
        </li>
      </ul>
    </nav>
  );
}

/** Every console page: the layout with the console's navigation above the content. */
export function ConsolePage({
  member,
  title,
  hasErrors,
  children,
}: {
  member: StaffMember;
  title: string;
  hasErrors?: boolean;
  children: ComponentChildren;
}) {
  return (
    <Layout title={title} hasErrors={hasErrors}>
      <ConsoleNav member={member} />
      {children}
    </Layout>
  );
}

/** A six-digit code from the app, or one of the recovery codes. */
export function CodeForm({ action, errors, submit }: { action: string; errors: FieldError[]; submit: string }) {
  const { t } = usePage();
  return (
    <Form action={action} class="stack">
      <Field
        name="code"
        label={t('staff.secondFactor.code')}
        hint={t('staff.secondFactor.codeHint')}
        errors={errors}
        autocomplete="one-time-code"
        maxLength={40}
      />
      <Button>{submit}</Button>
    </Form>
  );
}

/**
 * A passkey form: hidden until /static/staff-passkey.js finds WebAuthn in the browser, which asks
 * the authenticator, puts its answer in the form and sends it. Without JavaScript the code form serves.
 */
export function PasskeyForm({
  action,
  options,
  mode,
  children,
}: {
  action: string;
  options: unknown;
  mode: 'create' | 'get';
  children: ComponentChildren;
}) {
  const { t, csrfToken } = usePage();
  return (
    <>
      <form
        method="post"
        action={action}
        class="stack passkey"
        data-passkey={JSON.stringify(options)}
        data-passkey-mode={mode}
        hidden
      >
        <input type="hidden" name="_csrf" value={csrfToken} />
        <input type="hidden" name="credential" value="" />
        {children}
        <p class="field-error" data-passkey-error hidden>
          {t('staff.passkey.failed')}
        </p>
        <Button variant="secondary">{t(mode === 'create' ? 'staff.passkey.create' : 'staff.passkey.use')}</Button>
      </form>
      <script src="/static/staff-passkey.js" defer />
    </>
  );
}

/** A destructive action's "yes, I mean it": the server refuses the form without it. */
export function ConfirmBox({ name, label, errors }: { name: string; label: string; errors: FieldError[] }) {
  const { t } = usePage();
  const own = errors.filter((error) => error.field === name);
  const id = fieldId(name);
  return (
    <div class={own.length ? 'field field--error' : 'field'}>
      {own.map((error) => (
        <p class="field-error" id={`${id}-error`} key={error.message}>
          <span class="visually-hidden">{t('common.errorPrefix')}</span> {t(error.message, error.params)}
        </p>
      ))}
      <label class="checkbox">
        <input
          type="checkbox"
          id={id}
          name="confirm"
          value="yes"
          aria-describedby={own.length ? `${id}-error` : undefined}
        />{' '}
        {label}
      </label>
    </div>
  );
}

/** A new staff password and its confirmation, with the length rule as the hint (#12 A-1). */
export function NewPasswordFields({ label, errors }: { label: string; errors: FieldError[] }) {
  const { t } = usePage();
  return (
    <>
      <Field
        name="password"
        label={label}
        hint={t('staff.enrol.passwordHint', { min: STAFF_PASSWORD_MIN })}
        type="password"
        errors={errors}
        autocomplete="new-password"
        maxLength={1000}
      />
      <Field
        name="confirm"
        label={t('staff.enrol.confirm')}
        type="password"
        errors={errors}
        autocomplete="new-password"
        maxLength={1000}
      />
    </>
  );
}
