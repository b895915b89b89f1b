import type { ComponentChildren } from 'preact';
import { languages } from '../i18n.js';
import { usePage } from './page-context.js';

export interface FieldError {
  field: string;
  /** Locale key of the message. */
  message: string;
  params?: Record<string, unknown>;
}

export function fieldId(name: string): string {
  return `field-${name}`;
}

/** GOV.UK pattern: a summary at the top that links to each field in error. */
export function ErrorSummary({ errors }: { errors: FieldError[] }) {
  const { t } = usePage();
  if (errors.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} data-autofocus>
      <h2 id="error-summary-title">{t('common.errorSummaryTitle')}</h2>
      <ul>
        {errors.map((error) => (
          <li key={`${error.field}-${error.message}`}>
            <a href={`#${fieldId(error.field)}`}>{t(error.message, error.params)}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function CsrfField() {
  const { csrfToken } = usePage();
  return <input type="hidden" name="_csrf" value={csrfToken} />;
}

interface FieldProps {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  /** For a password, only what the server kept for the form again: never one it refused (#10 §1). */
  value?: string | undefined;
  errors?: FieldError[];
  autocomplete?: string;
  inputMode?: 'numeric' | 'email' | 'text';
  hint?: string;
  required?: boolean;
  maxLength?: number;
  placeholder?: string;
}

export function Field(props: FieldProps) {
  const { t } = usePage();
  const id = fieldId(props.name);
  const own = (props.errors ?? []).filter((error) => error.field === props.name);
  const describedBy = [props.hint ? `${id}-hint` : '', own.length ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={own.length ? 'field field--error' : 'field'}>
      <label for={id}>{props.label}</label>
      {props.hint && (
        <p class="field-hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      {own.length > 0 && (
        <p class="field-error" id={`${id}-error`}>
          {own.map((error) => (
            <span key={error.message}>
              <span class="visually-hidden">{t('common.errorPrefix')}</span> {t(error.message, error.params)}
            </span>
          ))}
        </p>
      )}
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        autocomplete={props.autocomplete}
        inputMode={props.inputMode}
        required={props.required}
        maxLength={props.maxLength}
        placeholder={props.placeholder}
        spellcheck={false}
        autocapitalize="off"
        aria-invalid={own.length > 0 ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
      />
    </div>
  );
}

export function Notes({ title, children }: { title?: string; children: ComponentChildren }) {
  const { t } = usePage();
  return (
    <section class="notes" aria-labelledby="notes-title">
      <h2 id="notes-title">{title ?? t('common.notes')}</h2>
      <p class="notes-warning">{t('common.readNotes')}</p>
      {children}
    </section>
  );
}

export function BulletList({ items }: { items: string[] }) {
  return (
    <ul>
      {items.map((item) => (
        <li key={item}>{item}</li>
      ))}
    </ul>
  );
}

export function Form({
  action,
  children,
  class: className,
}: {
  action: string;
  children: ComponentChildren;
  class?: string;
}) {
  return (
    <form method="post" action={action} class={className} novalidate>
      <CsrfField />
      {children}
    </form>
  );
}

export function Button({
  children,
  variant = 'primary',
  name,
  value,
}: {
  children: ComponentChildren;
  variant?: 'primary' | 'secondary';
  name?: string;
  value?: string;
}) {
  return (
    <button type="submit" class={`button button--${variant}`} name={name} value={value}>
      {children}
    </button>
  );
}

export function LinkButton({
  href,
  children,
  variant = 'primary',
}: {
  href: string;
  children: ComponentChildren;
  variant?: 'primary' | 'secondary';
}) {
  return (
    <a class={`button button--${variant}`} href={href}>
      {children}
    </a>
  );
}

/**
 * The manuals' dialogs ("Authenticated", "changed" + OK). Server-rendered as a focused panel so
 * they work without JavaScript; the page behind them is the next step.
 */
export function Dialog({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section class="dialog" role="alertdialog" aria-labelledby="dialog-title" aria-describedby="dialog-body">
      <h2 id="dialog-title">{title}</h2>
      <div id="dialog-body">{children}</div>
    </section>
  );
}

export function Message({
  kind = 'info',
  children,
}: {
  kind?: 'info' | 'success' | 'warning';
  children: ComponentChildren;
}) {
  return (
    <div class={`message message--${kind}`} role={kind === 'warning' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** The LANG pull-down (L-12); JavaScript submits on change, the button serves without it. */
export function LangSwitch({ keep }: { keep: Record<string, string> }) {
  const { t, lang } = usePage();
  return (
    <form method="get" class="lang-switch" data-autosubmit>
      {Object.entries(keep).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <label for="lang-select">LANG</label>
      <select id="lang-select" name="lang">
        {languages.map((code) => (
          <option key={code} value={code} selected={code === lang}>
            {t(`common.languageName.${code}`)}
          </option>
        ))}
      </select>
      <button type="submit" class="button button--small">
        {t('common.switchLanguage')}
      </button>
    </form>
  );
}

export function Menu() {
  const { t, base, account, tenant } = usePage();
  if (!account) return null;
  const twoFactorOn = tenant?.policy.twoFactorMandatory || account.twoFactorEnabled;
  return (
    <details class="menu">
      <summary>
        <span aria-hidden="true">⚙</span> {t('menu.open')}
      </summary>
      <nav aria-label={t('menu.open')}>
        <ul>
          <li>
            <a href={`${base}/orders`}>{t('menu.orders')}</a>
          </li>
          <li>
            <a href={`${base}/settings/mail-address`}>{t('menu.changeMailAddress')}</a>
          </li>
          <li>
            <a href={`${base}/settings/second-password`}>{t('menu.changeSecondPassword')}</a>
          </li>
          <li>
            <a href={`${base}/settings/two-factor`}>
              {t('menu.twoFactorSettings')}{' '}
              <span class="badge">{twoFactorOn ? t('twoFactor.stateOn') : t('twoFactor.stateOff')}</span>
            </a>
          </li>
          <li>
            <a href={`${base}/settings/browsers`}>{t('menu.trustedBrowsers')}</a>
          </li>
          <li>
            <a href={`${base}/manual`}>{t('menu.manual')}</a>
          </li>
          <li>
            <Form action={`${base}/logout`} class="menu-logout">
              <button type="submit" class="link-button">
                {t('menu.logout')}
              </button>
            </Form>
          </li>
        </ul>
      </nav>
    </details>
  );
}

/** Call centre and chat support (L-16), at the foot of every tenant page. */
export function InquiryBlock() {
  const { t, tenant, lang } = usePage();
  if (!tenant) return null;
  const inquiry = tenant.content[lang].inquiry;
  // The manual's "(Only available in Japanese)": say it on pages in other languages, and point to chat.
  const japaneseOnly = lang !== 'ja' && inquiry.phonesJapaneseOnly && inquiry.phones.length > 0;
  return (
    <section class="inquiry" aria-labelledby="inquiry-title">
      <h2 id="inquiry-title">{t('inquiry.heading')}</h2>
      <p>{t('inquiry.about')}</p>
      {(inquiry.title || japaneseOnly) && (
        <p class="inquiry-title">
          {inquiry.title}
          {japaneseOnly && ` ${t('inquiry.onlyJapanese')}`}
        </p>
      )}
      {japaneseOnly && inquiry.chat && <p>{t('inquiry.useChat')}</p>}
      <dl>
        {inquiry.phones.map((phone) => (
          <div key={phone.number}>
            <dt>{t('inquiry.phone')}</dt>
            <dd>
              <a href={`tel:${phone.number.replace(/[^+\d]/g, '')}`}>{phone.number}</a> {phone.hours}
            </dd>
          </div>
        ))}
        {inquiry.chat && (
          <div>
            <dt>{t('inquiry.chat')}</dt>
            <dd>
              <a href={inquiry.chat.url} rel="noopener noreferrer" target="_blank">
                {t('inquiry.chatLink')}
              </a>{' '}
              {inquiry.chat.hours}
            </dd>
          </div>
        )}
      </dl>
    </section>
  );
}

/** A `from`–`to` pair of a search form (times or dates), sharing one hint. */
export function PeriodFields({
  labels,
  hint,
  values,
  errors,
  maxLength,
}: {
  labels: { from: string; to: string };
  hint: string;
  values: { from?: string | undefined; to?: string | undefined };
  errors: FieldError[];
  maxLength: number;
}) {
  return (
    <>
      <Field name="from" label={labels.from} hint={hint} value={values.from} errors={errors} maxLength={maxLength} />
      <Field name="to" label={labels.to} hint={hint} value={values.to} errors={errors} maxLength={maxLength} />
    </>
  );
}

/** A pull-down with its label. */
export function Select({
  name,
  label,
  options,
  value,
  errors,
}: {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  value: string | undefined;
  errors: FieldError[];
}) {
  const { t } = usePage();
  const id = fieldId(name);
  const own = errors.filter((error) => error.field === name);
  return (
    <div class={own.length ? 'field field--error' : 'field'}>
      <label for={id}>{label}</label>
      {own.length > 0 && (
        <p class="field-error" id={`${id}-error`}>
          {own.map((error) => (
            <span key={error.message}>
              <span class="visually-hidden">{t('common.errorPrefix')}</span> {t(error.message, error.params)}
            </span>
          ))}
        </p>
      )}
      <select id={id} name={name}>
        {options.map((option) => (
          <option key={option.value} value={option.value} selected={option.value === value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** One choice of several as radio buttons, with the field's own errors above them. */
export function RadioGroup({
  name,
  legend,
  options,
  selected,
  errors,
}: {
  name: string;
  legend: string;
  options: { value: string; label: string }[];
  selected: string | undefined;
  errors: FieldError[];
}) {
  const { t } = usePage();
  const own = errors.filter((error) => error.field === name);
  return (
    <fieldset class={own.length ? 'field field--error' : 'field'} id={fieldId(name)}>
      <legend>{legend}</legend>
      {own.map((error) => (
        <p class="field-error" key={error.message}>
          {t(error.message, error.params)}
        </p>
      ))}
      {options.map((option) => (
        <label key={option.value} class="choice">
          <input type="radio" name={name} value={option.value} checked={selected === option.value} /> {option.label}
        </label>
      ))}
    </fieldset>
  );
}

/** The last row of a form: Back (a link, so it sends nothing) beside the one submit button. */
export function FormActions({ backHref, submit }: { backHref: string; submit: string }) {
  const { t } = usePage();
  return (
    <div class="actions">
      <LinkButton href={backHref} variant="secondary">
        {t('common.back')}
      </LinkButton>
      <Button>{submit}</Button>
    </div>
  );
}
