import { formatYen } from '../../../platform/format.js';
import { languages } from '../../../platform/i18n.js';
import {
  Button,
  ErrorSummary,
  Field,
  type FieldError,
  Form,
  LinkButton,
  Message,
  Select,
} from '../../../platform/views/components.js';
import { usePage } from '../../../platform/views/page-context.js';
import { type CatalogueItem, certificateTypes, destinations } from '../../catalogue/catalogue.model.js';
import type { Offering } from '../../catalogue/eligibility.js';
import { OrderForm, emptyFormValues } from '../../orders/pages/order-form.page.js';
import type { Destination } from '../../orders/order.state.js';
import { studentStatuses } from '../../records/record.model.js';
import { ConsolePage } from '../../staff/pages/staff.components.js';
import type { StaffMember } from '../../staff/staff.model.js';
import { Checkbox, Checkboxes, NameFields, Preview } from './settings.components.js';

/** The certificate types the university has, each with what a student sees of it (C-2). */
export function CatalogueListPage({
  me,
  items,
  notice,
}: {
  me: StaffMember;
  items: CatalogueItem[];
  notice: string | undefined;
}) {
  const { t, lang, base } = usePage();
  const missing = certificateTypes.filter((type) => !items.some((item) => item.type === type));
  return (
    <ConsolePage member={me} title={t('settings.catalogue.title')}>
      {notice && <Message kind="success">{t(`settings.notice.${notice}`)}</Message>}
      <p>{t('settings.catalogue.intro')}</p>
      <div class="table-wrap">
        <table class="stack-table">
          <thead>
            <tr>
              <th scope="col">{t('settings.catalogue.name')}</th>
              <th scope="col">{t('settings.catalogue.feeYen')}</th>
              <th scope="col">{t('settings.catalogue.maxCopies')}</th>
              <th scope="col">{t('settings.catalogue.destinations')}</th>
              <th scope="col">{t('settings.catalogue.state')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.type}>
                <td>
                  <a href={`${base}/staff/settings/catalogue/${item.type}`}>{item.name[lang]}</a>
                </td>
                <td>{formatYen(item.feeYen, lang)}</td>
                <td>{item.maxCopies}</td>
                <td>
                  {item.destinations
                    .map((destination) => t(`orders.destinations.${destination}.name`))
                    .join(t('settings.listSeparator'))}
                </td>
                <td>{t(item.active ? 'settings.catalogue.active' : 'settings.catalogue.inactive')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {missing.length > 0 && (
        <p>
          <LinkButton href={`${base}/staff/settings/catalogue/new`}>{t('settings.catalogue.add')}</LinkButton>
        </p>
      )}
    </ConsolePage>
  );
}

/** A sample student for whom the preview is shown: the status the draft names first, in the final year. */
export interface CataloguePreview {
  destination: Destination;
  offerings: Offering[];
  postageYen: number;
  status: string;
}

/** Add or edit one type: every field of C-2 and C-10, with the students' order form previewed. */
export function CatalogueItemPage({
  me,
  item,
  values,
  errors,
  preview,
  notice,
}: {
  me: StaffMember;
  /** The stored type being edited; undefined while adding. */
  item: CatalogueItem | undefined;
  values: Record<string, string>;
  errors: FieldError[];
  preview: CataloguePreview | undefined;
  notice: string | undefined;
}) {
  const { t, lang, base } = usePage();
  const action = `${base}/staff/settings/catalogue/${item ? item.type : 'new'}`;
  const title = item ? item.name[lang] : t('settings.catalogue.add');
  return (
    <ConsolePage member={me} title={title} hasErrors={errors.length > 0}>
      {notice && <Message kind="success">{t(`settings.notice.${notice}`)}</Message>}
      <p>
        <a href={`${base}/staff/settings/catalogue`}>{t('settings.catalogue.back')}</a>
      </p>
      <ErrorSummary errors={errors} />
      <Form action={action} class="stack">
        {item ? (
          <input type="hidden" name="type" value={item.type} />
        ) : (
          <Select
            name="type"
            label={t('settings.catalogue.type')}
            value={values.type}
            errors={errors}
            options={certificateTypes.map((type) => ({ value: type, label: t(`settings.catalogue.types.${type}`) }))}
          />
        )}
        <NameFields
          labels={{ ja: t('settings.catalogue.nameJa'), en: t('settings.catalogue.nameEn') }}
          values={values}
          errors={errors}
        />
        <Checkboxes
          legend={t('settings.catalogue.languages')}
          values={values}
          errors={errors}
          options={languages.map((code) => ({ name: `language-${code}`, label: t(`common.languageName.${code}`) }))}
        />
        <Field
          name="feeYen"
          label={t('settings.catalogue.feeYen')}
          hint={t('settings.catalogue.feeHint')}
          value={values.feeYen}
          errors={errors}
          inputMode="numeric"
          maxLength={10}
        />
        <Field
          name="maxCopies"
          label={t('settings.catalogue.maxCopies')}
          hint={t('settings.catalogue.maxCopiesHint')}
          value={values.maxCopies}
          errors={errors}
          inputMode="numeric"
          maxLength={5}
        />
        <Checkboxes
          legend={t('settings.catalogue.destinations')}
          values={values}
          errors={errors}
          options={destinations.map((destination) => ({
            name: `destination-${destination}`,
            label: t(`orders.destinations.${destination}.name`),
          }))}
        />
        <Checkboxes
          legend={t('settings.catalogue.statuses')}
          hint={t('settings.catalogue.statusesHint')}
          values={values}
          errors={errors}
          options={studentStatuses.map((status) => ({ name: `status-${status}`, label: t(`orders.status.${status}`) }))}
        />
        <Checkbox
          name="finalYearOnly"
          label={t('settings.catalogue.finalYearOnly')}
          checked={values.finalYearOnly === '1'}
          errors={errors}
        />
        <Field
          name="availableFrom"
          label={t('settings.catalogue.availableFrom')}
          hint={t('settings.catalogue.availableFromHint')}
          value={values.availableFrom}
          errors={errors}
          maxLength={5}
          placeholder="04-01"
        />
        <Field
          name="sortOrder"
          label={t('settings.catalogue.sortOrder')}
          hint={t('settings.catalogue.sortOrderHint')}
          value={values.sortOrder}
          errors={errors}
          inputMode="numeric"
          maxLength={5}
        />
        <div class="actions">
          <Button variant="secondary" name="intent" value="preview">
            {t('settings.preview')}
          </Button>
          <Button name="intent" value="save">
            {t('settings.save')}
          </Button>
        </div>
      </Form>
      {preview && <CatalogueFormPreview preview={preview} />}
      {item && <ActiveForm item={item} action={`${action}/active`} errors={errors} />}
    </ConsolePage>
  );
}

function CatalogueFormPreview({ preview }: { preview: CataloguePreview }) {
  const { t } = usePage();
  return (
    <Preview title={t('settings.catalogue.previewTitle')}>
      <p>
        {t('settings.catalogue.previewFor', {
          destination: t(`orders.destinations.${preview.destination}.name`),
          status: t(`orders.status.${preview.status}`),
        })}
      </p>
      <OrderForm
        destination={preview.destination}
        offerings={preview.offerings}
        postageYen={preview.postageYen}
        values={emptyFormValues}
        errors={[]}
      />
    </Preview>
  );
}

/** Withdraw a type (students see it no more; orders placed keep it) or offer it again: confirmed by a checkbox. */
function ActiveForm({ item, action, errors }: { item: CatalogueItem; action: string; errors: FieldError[] }) {
  const { t } = usePage();
  return (
    <section aria-labelledby="active-title">
      <h2 id="active-title">
        {t(item.active ? 'settings.catalogue.disableHeading' : 'settings.catalogue.enableHeading')}
      </h2>
      <p>{t(item.active ? 'settings.catalogue.disableIntro' : 'settings.catalogue.enableIntro')}</p>
      <Form action={action} class="stack">
        <input type="hidden" name="active" value={item.active ? '0' : '1'} />
        {item.active && (
          <Checkbox name="confirm" label={t('settings.catalogue.disableConfirm')} checked={false} errors={errors} />
        )}
        <Button variant="secondary">
          {t(item.active ? 'settings.catalogue.disable' : 'settings.catalogue.enable')}
        </Button>
      </Form>
    </section>
  );
}

/** The form's values from a stored type. */
export function catalogueValues(item: CatalogueItem): Record<string, string> {
  const flags = (prefix: string, chosen: readonly string[]) =>
    Object.fromEntries(chosen.map((value) => [`${prefix}-${value}`, '1']));
  return {
    type: item.type,
    nameJa: item.name.ja,
    nameEn: item.name.en,
    feeYen: String(item.feeYen),
    maxCopies: String(item.maxCopies),
    sortOrder: String(item.sortOrder),
    finalYearOnly: item.eligibility.finalYearOnly ? '1' : '',
    availableFrom: item.eligibility.availableFromMonthDay ?? '',
    ...flags('language', item.languages),
    ...flags('destination', item.destinations),
    ...flags('status', item.eligibility.statuses),
  };
}
