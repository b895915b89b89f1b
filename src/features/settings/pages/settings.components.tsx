import type { ComponentChildren } from 'preact';
import type { Lang } from '../../../platform/i18n.js';
import { Field, type FieldError, fieldId } from '../../../platform/views/components.js';
import { usePage } from '../../../platform/views/page-context.js';
import { NAME_MAX_LENGTH } from '../../tenants/tenant.model.js';

function OwnErrors({ id, errors }: { id: string; errors: FieldError[] }) {
  const { t } = usePage();
  if (errors.length === 0) return null;
  return (
    <p class="field-error" id={`${id}-error`}>
      {errors.map((error) => (
        <span key={error.message}>
          <span class="visually-hidden">{t('common.errorPrefix')}</span> {t(error.message, error.params)}
        </span>
      ))}
    </p>
  );
}

/** A name in Japanese and in English (`nameJa`, `nameEn`): a university's, a certificate type's. */
export function NameFields({
  labels,
  values,
  errors,
}: {
  labels: Record<Lang, string>;
  values: { nameJa?: string; nameEn?: string };
  errors: FieldError[];
}) {
  return (
    <>
      <Field name="nameJa" label={labels.ja} value={values.nameJa} errors={errors} maxLength={NAME_MAX_LENGTH.ja} />
      <Field name="nameEn" label={labels.en} value={values.nameEn} errors={errors} maxLength={NAME_MAX_LENGTH.en} />
    </>
  );
}

/** A multi-line field (Markdown texts), in the shape of the platform's Field. */
export function TextArea({
  name,
  label,
  hint,
  value,
  errors,
  rows = 6,
  maxLength,
}: {
  name: string;
  label: string;
  hint?: string;
  value: string | undefined;
  errors: FieldError[];
  rows?: number;
  maxLength?: number;
}) {
  const id = fieldId(name);
  const own = errors.filter((error) => error.field === name);
  const describedBy = [hint ? `${id}-hint` : '', own.length ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={own.length ? 'field field--error' : 'field'}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <OwnErrors id={id} errors={own} />
      <textarea
        id={id}
        name={name}
        rows={rows}
        maxLength={maxLength}
        aria-invalid={own.length > 0 ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
      >
        {value ?? ''}
      </textarea>
    </div>
  );
}

/**
 * A group of checkboxes, each its own field (`language-ja`, `status-enrolled`) so a form without
 * JavaScript posts plain name=value pairs; the group's errors are kept under its first option.
 */
export function Checkboxes({
  legend,
  hint,
  options,
  values,
  errors,
}: {
  legend: string;
  hint?: string;
  options: { name: string; label: string }[];
  values: Record<string, string>;
  errors: FieldError[];
}) {
  const first = options[0]?.name ?? '';
  const id = fieldId(first);
  const own = errors.filter((error) => error.field === first);
  return (
    <fieldset class={own.length ? 'field field--error' : 'field'} id={`${id}-group`}>
      <legend>{legend}</legend>
      {hint && <p class="field-hint">{hint}</p>}
      <OwnErrors id={id} errors={own} />
      {options.map((option) => (
        <label key={option.name} class="choice">
          <input
            type="checkbox"
            id={fieldId(option.name)}
            name={option.name}
            value="1"
            checked={values[option.name] === '1'}
          />{' '}
          {option.label}
        </label>
      ))}
    </fieldset>
  );
}

/** One checkbox that says yes to something (a mandatory setting, a confirmation the server checks). */
export function Checkbox({
  name,
  label,
  checked,
  errors,
}: {
  name: string;
  label: string;
  checked: boolean;
  errors: FieldError[];
}) {
  const id = fieldId(name);
  const own = errors.filter((error) => error.field === name);
  return (
    <div class={own.length ? 'field field--error' : 'field'}>
      <OwnErrors id={id} errors={own} />
      <label class="choice">
        <input type="checkbox" id={id} name={name} value="1" checked={checked} /> {label}
      </label>
    </div>
  );
}

/** What a student will see, shown apart and inert: nothing in it can be sent from the console. */
export function Preview({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section class="settings-preview" aria-labelledby="preview-title">
      <h2 id="preview-title">{title}</h2>
      <div class="settings-preview__frame" inert>
        {children}
      </div>
    </section>
  );
}
