import { languages } from '../../../platform/i18n.js';
import {
  Button,
  ErrorSummary,
  Field,
  type FieldError,
  Form,
  Message,
  Select,
} from '../../../platform/views/components.js';
import { MarkdownText } from '../../../platform/views/markdown-text.js';
import { usePage } from '../../../platform/views/page-context.js';
import { ConsolePage } from '../../staff/pages/staff.components.js';
import type { StaffMember } from '../../staff/staff.model.js';
import type { TenantBranding } from '../../tenants/branding.js';
import { MARKDOWN_TEXT_MAX } from '../../tenants/tenant.model.js';
import { markdownTexts } from '../settings.service.js';
import { Checkbox, NameFields, Preview, TextArea } from './settings.components.js';

const parts = ['catalogue', 'policy', 'texts', 'branding'] as const;

/** /staff/settings: the four parts of the university's settings (#12 §4). */
export function SettingsIndexPage({ me }: { me: StaffMember }) {
  const { t, base } = usePage();
  return (
    <ConsolePage member={me} title={t('settings.title')}>
      <ul class="settings-index">
        {parts.map((part) => (
          <li key={part}>
            <a href={`${base}/staff/settings/${part}`}>{t(`settings.${part}.title`)}</a>
            <p>{t(`settings.${part}.summary`)}</p>
          </li>
        ))}
      </ul>
    </ConsolePage>
  );
}

/** Numbers of the policy with the bounds the tenant schema allows (SPEC L-7, L-8, L-19). */
export const policyNumbers = [
  { name: 'keyLength', min: 6, max: 10 },
  { name: 'keyLifetimeMinutes', min: 1, max: 60 },
  { name: 'keyMaxAttempts', min: 1, max: 20 },
  { name: 'keyReissueCooldownSeconds', min: 0, max: 3600 },
  { name: 'trustedBrowserDays', min: 0, max: 365 },
  { name: 'linkLifetimeMinutes', min: 5, max: 1440 },
] as const;

export function PolicyPage({
  me,
  values,
  errors,
  notice,
}: {
  me: StaffMember;
  values: Record<string, string>;
  errors: FieldError[];
  notice: string | undefined;
}) {
  const { t, base } = usePage();
  return (
    <ConsolePage member={me} title={t('settings.policy.title')} hasErrors={errors.length > 0}>
      {notice && <Message kind="success">{t(`settings.notice.${notice}`)}</Message>}
      <ErrorSummary errors={errors} />
      <Form action={`${base}/staff/settings/policy`} class="stack">
        {policyNumbers.map((field) => (
          <Field
            key={field.name}
            name={field.name}
            label={t(`settings.policy.${field.name}`)}
            hint={t('settings.policy.range', { min: field.min, max: field.max })}
            value={values[field.name]}
            errors={errors}
            inputMode="numeric"
            maxLength={6}
          />
        ))}
        <Checkbox
          name="twoFactorMandatory"
          label={t('settings.policy.twoFactorMandatory')}
          checked={values.twoFactorMandatory === '1'}
          errors={errors}
        />
        <Select
          name="defaultLang"
          label={t('settings.policy.defaultLang')}
          value={values.defaultLang}
          errors={errors}
          options={languages.map((code) => ({ value: code, label: t(`common.languageName.${code}`) }))}
        />
        <Button>{t('settings.save')}</Button>
      </Form>
    </ConsolePage>
  );
}

/** The inquiry block's fields, per language: the call centre's title, two phone lines and the chat. */
export const inquiryFields = ['inquiryTitle', 'phone1', 'hours1', 'phone2', 'hours2', 'chatUrl', 'chatHours'] as const;

export function TextsPage({
  me,
  values,
  errors,
  preview,
  notice,
}: {
  me: StaffMember;
  values: Record<string, string>;
  errors: FieldError[];
  /** The texts as students will see them, when the preview was asked for. */
  preview: Record<string, string> | undefined;
  notice: string | undefined;
}) {
  const { t, base } = usePage();
  return (
    <ConsolePage member={me} title={t('settings.texts.title')} hasErrors={errors.length > 0}>
      {notice && <Message kind="success">{t(`settings.notice.${notice}`)}</Message>}
      <p>{t('settings.texts.intro')}</p>
      <ErrorSummary errors={errors} />
      <Form action={`${base}/staff/settings/texts`} class="stack">
        {languages.map((lang) => (
          <fieldset key={lang} class="stack">
            <legend>{t(`common.languageName.${lang}`)}</legend>
            {markdownTexts.map((text) => (
              <TextArea
                key={text}
                name={`${lang}-${text}`}
                label={t(`settings.texts.${text}`)}
                hint={t(`settings.texts.${text}Hint`)}
                value={values[`${lang}-${text}`]}
                errors={errors}
                rows={text === 'manual' ? 12 : 5}
                maxLength={MARKDOWN_TEXT_MAX}
              />
            ))}
            <h3>{t('settings.texts.inquiryHeading')}</h3>
            {inquiryFields.map((field) => (
              <Field
                key={field}
                name={`${lang}-${field}`}
                label={t(`settings.texts.${field}`)}
                value={values[`${lang}-${field}`]}
                errors={errors}
                maxLength={field === 'chatUrl' ? 500 : 200}
              />
            ))}
            <Checkbox
              name={`${lang}-phonesJapaneseOnly`}
              label={t('settings.texts.phonesJapaneseOnly')}
              checked={values[`${lang}-phonesJapaneseOnly`] === '1'}
              errors={errors}
            />
          </fieldset>
        ))}
        <div class="actions">
          <Button variant="secondary" name="intent" value="preview">
            {t('settings.preview')}
          </Button>
          <Button name="intent" value="save">
            {t('settings.save')}
          </Button>
        </div>
      </Form>
      {preview && (
        <Preview title={t('settings.texts.previewTitle')}>
          {languages.map((lang) =>
            markdownTexts.map((text) => (
              <section key={`${lang}-${text}`} class="settings-preview__text" lang={lang}>
                <h3>
                  {t(`settings.texts.${text}`)} ({t(`common.languageName.${lang}`)})
                </h3>
                <MarkdownText source={preview[`${lang}-${text}`] ?? ''} />
              </section>
            )),
          )}
        </Preview>
      )}
    </ConsolePage>
  );
}

export function BrandingPage({
  me,
  values,
  errors,
  branding,
  ratio,
  notice,
}: {
  me: StaffMember;
  values: Record<string, string>;
  errors: FieldError[];
  branding: TenantBranding;
  /** The contrast of the stored colour with white, as shown. */
  ratio: string | undefined;
  notice: string | undefined;
}) {
  const { t, base } = usePage();
  const action = `${base}/staff/settings/branding`;
  return (
    <ConsolePage member={me} title={t('settings.branding.title')} hasErrors={errors.length > 0}>
      {notice && <Message kind="success">{t(`settings.notice.${notice}`)}</Message>}
      <ErrorSummary errors={errors} />
      <Form action={action} class="stack">
        <NameFields
          labels={{ ja: t('settings.branding.nameJa'), en: t('settings.branding.nameEn') }}
          values={values}
          errors={errors}
        />
        <Field
          name="colour"
          label={t('settings.branding.colour')}
          hint={t('settings.branding.colourHint')}
          value={values.colour}
          errors={errors}
          maxLength={7}
          placeholder="#0b4f8a"
        />
        {ratio && <p>{t('settings.branding.ratio', { ratio })}</p>}
        <Button>{t('settings.save')}</Button>
      </Form>
      <h2>{t('settings.branding.logoHeading')}</h2>
      {branding.logo ? (
        <p>
          <img
            class="settings-logo"
            src={`${base}/branding/logo?v=${branding.logo.sha256.slice(0, 16)}`}
            alt={t('settings.branding.logoAlt')}
            width={branding.logo.width}
            height={branding.logo.height}
          />
        </p>
      ) : (
        <p>{t('settings.branding.noLogo')}</p>
      )}
      <form method="post" action={`${action}/logo`} enctype="multipart/form-data" class="stack" novalidate>
        <LogoFields errors={errors} />
        <Button>{t('settings.branding.upload')}</Button>
      </form>
      {branding.logo && (
        <Form action={`${action}/logo/remove`} class="stack">
          <Checkbox name="confirm" label={t('settings.branding.removeConfirm')} checked={false} errors={errors} />
          <Button variant="secondary">{t('settings.branding.remove')}</Button>
        </Form>
      )}
    </ConsolePage>
  );
}

/** The file field; the CSRF token goes first so the check can read it before the file. */
function LogoFields({ errors }: { errors: FieldError[] }) {
  const { t, csrfToken } = usePage();
  const own = errors.filter((error) => error.field === 'logo');
  return (
    <div class={own.length ? 'field field--error' : 'field'}>
      <input type="hidden" name="_csrf" value={csrfToken} />
      <label for="field-logo">{t('settings.branding.logo')}</label>
      <p class="field-hint" id="field-logo-hint">
        {t('settings.branding.logoHint')}
      </p>
      {own.length > 0 && (
        <p class="field-error" id="field-logo-error">
          {own.map((error) => (
            <span key={error.message}>
              <span class="visually-hidden">{t('common.errorPrefix')}</span> {t(error.message, error.params)}
            </span>
          ))}
        </p>
      )}
      <input
        type="file"
        id="field-logo"
        name="logo"
        accept="image/png,image/jpeg"
        aria-describedby={own.length ? 'field-logo-hint field-logo-error' : 'field-logo-hint'}
      />
    </div>
  );
}
