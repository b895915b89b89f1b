import type { ComponentChildren } from 'preact';
import { Button, Field, type FieldError, Form } from '../../../platform/views/components.js';
import { usePage } from '../../../platform/views/page-context.js';
import type { StaffMember } from '../staff.model.js';

/** The console's own navigation: what exists now, and logout. */
export function ConsoleNav({ member }: { member: StaffMember }) {
  const { t, base } = usePage();
  return (
    <nav class="console-nav" aria-label={t('staff.nav.label')}>
      <ul>
        <li>
          <a href={`${base}/staff`}>{t('staff.nav.home')}</a>
        </li>
        {member.role === 'administrator' && (
          <li>
            <a href={`${base}/staff/members`}>{t('staff.nav.members')}</a>
          </li>
        )}
        <li>
          <Form action={`${base}/staff/logout`}>
            <Button variant="secondary">{t('staff.nav.logout')}</Button>
          </Form>
        </li>
      </ul>
    </nav>
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
