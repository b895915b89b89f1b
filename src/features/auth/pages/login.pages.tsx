import { SECOND_PASSWORD_MAX } from '../second-password.rules.js';
import {
  BulletList,
  Button,
  Dialog,
  ErrorSummary,
  Field,
  type FieldError,
  Form,
  LinkButton,
  Message,
  Notes,
} from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';
import { useTenantPage } from '../../tenants/tenant-page.js';

export type LoginNotice = 'loggedOut' | 'sessionEnded' | 'flowEnded' | 'mailAddressSet' | 'secondPasswordSet';

/** L-20: the university's page that leads students to the service. */
export function LandingPage() {
  const { t, tenant, lang, base } = useTenantPage();
  const content = tenant?.content[lang];
  return (
    <Layout title={t('landing.title')}>
      <p>{t('landing.intro')}</p>
      <section aria-labelledby="landing-students">
        <h2 id="landing-students">{t('landing.students')}</h2>
        <p>{t('landing.destinationsIntro')}</p>
        <ol>
          {(content?.destinations ?? []).map((destination) => (
            <li key={destination}>{destination}</li>
          ))}
        </ol>
        <p>{t('landing.otherCertificates')}</p>
        <h3>{t('landing.certificatesHeading')}</h3>
        <BulletList items={content?.certificates ?? []} />
        <p>
          <a class="button button--primary" href={`${base}/login`}>
            {t('landing.loginLink')}
          </a>
        </p>
      </section>
    </Layout>
  );
}

/** L-1: the Student login screen. */
export function LoginPage({
  userId,
  errors,
  notice,
}: {
  userId: string;
  errors: FieldError[];
  notice?: LoginNotice | undefined;
}) {
  const { t, tenant, lang, base } = useTenantPage();
  const notes = tenant?.content[lang].loginNotes ?? [];
  return (
    <Layout title={t('login.title')} hasErrors={errors.length > 0} langSwitch={{ keep: {} }}>
      {notice && (
        <Message kind={notice === 'sessionEnded' || notice === 'flowEnded' ? 'warning' : 'success'}>
          {t(`login.notice.${notice}`)}
        </Message>
      )}
      <ErrorSummary errors={errors} />
      <Form action={`${base}/login`} class="stack">
        <Field
          name="userId"
          label={t('login.userId')}
          value={userId}
          errors={errors}
          autocomplete="username"
          maxLength={200}
        />
        <Field
          name="password"
          label={t('login.password')}
          type="password"
          errors={errors}
          autocomplete="current-password"
          maxLength={1000}
        />
        <Field
          name="secondPassword"
          label={t('login.secondPassword')}
          type="password"
          errors={errors}
          autocomplete="off"
          maxLength={SECOND_PASSWORD_MAX * 4}
        />
        <p>
          <a href={`${base}/forgot`}>{t('login.forgotLink')}</a>
        </p>
        <Notes title={t('common.notes')}>
          <BulletList items={notes} />
        </Notes>
        <Button>{t('login.submit')}</Button>
      </Form>
    </Layout>
  );
}

/** §2.1 step 4–5 (L-3): Mail address setting. */
export function MailAddressPage({
  action,
  address,
  errors,
  title,
}: {
  action: string;
  address: string;
  errors: FieldError[];
  title?: string;
}) {
  const { t, base } = usePage();
  return (
    <Layout title={title ?? t('mailAddress.title')} hasErrors={errors.length > 0}>
      <ErrorSummary errors={errors} />
      <Form action={action} class="stack">
        <Field
          name="address"
          label={t('mailAddress.address')}
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
          errors={errors}
          autocomplete="off"
          inputMode="email"
          maxLength={254}
        />
        <MailAddressNotes />
        <div class="actions">
          <LinkButton href={`${base}/login`} variant="secondary">
            {t('common.back')}
          </LinkButton>
          <Button>{t('mailAddress.submit')}</Button>
        </div>
      </Form>
    </Layout>
  );
}

export function MailAddressNotes() {
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

/** §2.1 step 6: "A confirmation mail has been sent." */
export function MailSentPage({
  title,
  maskedAddress,
  minutes,
  backHref,
  backLabel,
}: {
  title: string;
  maskedAddress: string;
  minutes: number;
  backHref: string;
  backLabel: string;
}) {
  const { t } = usePage();
  return (
    <Layout title={title}>
      <Message kind="success">
        <p>{t('mailAddress.sent.line1')}</p>
        <p>{t('mailAddress.sent.line2')}</p>
      </Message>
      <p>{t('mailAddress.sent.address', { address: maskedAddress })}</p>
      <p>{t('mailAddress.sent.validFor', { minutes })}</p>
      <p>
        <LinkButton href={backHref} variant="secondary">
          {backLabel}
        </LinkButton>
      </p>
    </Layout>
  );
}

/**
 * The page a mailed one-time URL opens (L-18): it shows a button and touches nothing, so a
 * mail scanner that follows the link cannot use it up.
 */
export function LinkConfirmPage({
  title,
  intro,
  action,
  token,
  button,
}: {
  title: string;
  intro: string;
  action: string;
  token: string;
  button: string;
}) {
  return (
    <Layout title={title}>
      <p>{intro}</p>
      <Form action={action}>
        <input type="hidden" name="token" value={token} />
        <Button>{button}</Button>
      </Form>
    </Layout>
  );
}

/** An expired, used or unknown URL: a plain page that says so and offers the next step (L-18). */
export function LinkProblemPage({
  status,
  nextHref,
  nextLabel,
  nextHint,
}: {
  status: 'expired' | 'used' | 'unknown';
  nextHref: string;
  nextLabel: string;
  nextHint: string;
}) {
  const { t } = usePage();
  return (
    <Layout title={t(`link.${status}.title`)}>
      <p>{t(`link.${status}.body`)}</p>
      <p>{nextHint}</p>
      <p>
        <LinkButton href={nextHref}>{nextLabel}</LinkButton>
      </p>
    </Layout>
  );
}

/** §2.1 step 8. */
export function MailAddressCompletePage() {
  const { t, base } = usePage();
  return (
    <Layout title={t('mailAddress.complete.title')}>
      <Message kind="success">
        <p>{t('mailAddress.complete.line1')}</p>
      </Message>
      <p>{t('mailAddress.complete.line2')}</p>
      <p>{t('mailAddress.complete.line3')}</p>
      <p>
        <LinkButton href={`${base}/login?notice=mailAddressSet`}>{t('mailAddress.complete.toLogin')}</LinkButton>
      </p>
    </Layout>
  );
}

export function SecondPasswordRulesNotes() {
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

/** §2.2 step 4–5 (L-4) and the reset screen of §2.4c: Set second password. */
export function SetSecondPasswordPage({
  action,
  errors,
  button,
  token,
}: {
  action: string;
  errors: FieldError[];
  button: string;
  token?: string;
}) {
  const { t } = usePage();
  return (
    <Layout title={t('secondPassword.setTitle')} hasErrors={errors.length > 0}>
      <ErrorSummary errors={errors} />
      <Form action={action} class="stack">
        {token && <input type="hidden" name="token" value={token} />}
        <Field
          name="secondPassword"
          label={t('secondPassword.secondPassword')}
          type="password"
          errors={errors}
          autocomplete="new-password"
          maxLength={SECOND_PASSWORD_MAX * 4}
        />
        <Field
          name="check"
          label={t('secondPassword.check')}
          type="password"
          errors={errors}
          autocomplete="new-password"
          maxLength={SECOND_PASSWORD_MAX * 4}
        />
        <SecondPasswordRulesNotes />
        <Button>{button}</Button>
      </Form>
    </Layout>
  );
}

/** The manuals' "…complete" dialogs with an OK button. */
export function DoneDialogPage({
  title,
  heading,
  lines,
  okHref,
}: {
  title: string;
  heading: string;
  lines: string[];
  okHref: string;
}) {
  const { t } = usePage();
  return (
    <Layout title={title}>
      <Dialog title={heading}>
        {lines.map((line) => (
          <p key={line}>{line}</p>
        ))}
        <p>
          <LinkButton href={okHref}>{t('common.ok')}</LinkButton>
        </p>
      </Dialog>
    </Layout>
  );
}

/** §2.4c steps 1–3 (L-11): Reset second password. */
export function ForgotPage({ address, errors }: { address: string; errors: FieldError[] }) {
  const { t, base } = usePage();
  return (
    <Layout title={t('forgot.title')} hasErrors={errors.length > 0}>
      <ErrorSummary errors={errors} />
      <Form action={`${base}/forgot`} class="stack">
        <Field
          name="address"
          label={t('forgot.address')}
          type="email"
          value={address}
          errors={errors}
          autocomplete="email"
          inputMode="email"
          maxLength={254}
        />
        <Notes>
          <BulletList
            items={[
              t('forgot.notes.input'),
              t('forgot.notes.sends'),
              t('forgot.notes.access'),
              t('forgot.notes.delay'),
              t('forgot.notes.shared'),
            ]}
          />
        </Notes>
        <div class="actions">
          <LinkButton href={`${base}/login`} variant="secondary">
            {t('common.back')}
          </LinkButton>
          <Button>{t('forgot.submit')}</Button>
        </div>
      </Form>
    </Layout>
  );
}

export function ForgotSentPage({ minutes }: { minutes: number }) {
  const { t, base } = usePage();
  return (
    <Layout title={t('forgot.sent.title')}>
      <Message kind="success">
        <p>{t('forgot.sent.line')}</p>
      </Message>
      <ol>
        <li>{t('forgot.sent.step1')}</li>
        <li>{t('forgot.sent.step2')}</li>
      </ol>
      <p>{t('forgot.sent.notReceived', { minutes })}</p>
      <p>
        <LinkButton href={`${base}/login`} variant="secondary">
          {t('common.toLogin')}
        </LinkButton>
      </p>
    </Layout>
  );
}
