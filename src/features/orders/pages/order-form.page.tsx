import { formatDate, formatYen } from '../../../platform/format.js';
import { type Lang, languages } from '../../../platform/i18n.js';
import type { Offering } from '../../catalogue/eligibility.js';
import {
  BulletList,
  ErrorSummary,
  Field,
  type FieldError,
  fieldId,
  Form,
  FormActions,
  Notes,
} from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';
import { type ShippingAddress, prefectureName, prefectures } from '../order.model.js';
import type { Destination } from '../order.state.js';
import { EligibilityRules } from './order.components.js';

export interface OrderFormValues {
  copies: Record<string, string>;
  address: ShippingAddress;
  recipient: { name: string; email: string; lang: Lang };
  recipientAccepts: boolean;
}

export const emptyFormValues: OrderFormValues = {
  copies: {},
  address: { postalCode: '', prefecture: '', city: '', street: '', building: '', recipient: '' },
  recipient: { name: '', email: '', lang: 'ja' },
  recipientAccepts: false,
};

export interface OrderFormProps {
  destination: Destination;
  offerings: Offering[];
  /** Postal only: the postage added to every order, shown before the review (#10). */
  postageYen: number;
  values: OrderFormValues;
  errors: FieldError[];
}

/** C-4 / C-10: every certificate the university offers here, the unavailable ones with their reason. */
export function OrderFormPage(props: OrderFormProps) {
  const { t } = usePage();
  return (
    <Layout title={t(`orders.destinations.${props.destination}.name`)} hasErrors={props.errors.length > 0}>
      <OrderForm {...props} />
    </Layout>
  );
}

/** The order form itself: the students' page, and the catalogue's preview in the console (#12 §4). */
export function OrderForm({ destination, offerings, values, errors, postageYen }: OrderFormProps) {
  const { t, lang, base } = usePage();
  const digital = destination === 'digital';
  return (
    <>
      <ErrorSummary errors={errors} />
      <Form action={`${base}/orders/new?destination=${destination}`} class="stack">
        <h2 id={fieldId('lines')}>{t('orders.form.certificates')}</h2>
        <div class="table-wrap">
          <table class="catalogue">
            <thead>
              <tr>
                <th scope="col">{t('orders.form.certificate')}</th>
                <th scope="col">{t(digital ? 'orders.form.feeDigital' : 'orders.form.fee')}</th>
                <th scope="col">{t(digital ? 'orders.form.send' : 'orders.form.copies')}</th>
              </tr>
            </thead>
            <tbody>
              {offerings.map(({ item, availability }) => (
                <tr key={item.type} id={fieldId(`copies-${item.type}`)}>
                  <th scope="row">{item.name[lang]}</th>
                  <td>{formatYen(item.feeYen, lang)}</td>
                  <td>
                    {availability.available ? (
                      <div class="copies">
                        {item.languages.map((certLang) => {
                          const name = `copies-${item.type}-${certLang}`;
                          // One PDF is delivered, so one is charged: chosen, not counted (#9).
                          if (digital)
                            return (
                              <label key={certLang} class="copies__line">
                                <input
                                  type="checkbox"
                                  name={name}
                                  id={fieldId(name)}
                                  value="1"
                                  checked={values.copies[name] === '1'}
                                />
                                <span>{t(`orders.form.language.${certLang}`)}</span>
                              </label>
                            );
                          return (
                            <label key={certLang} class="copies__line">
                              <span>{t(`orders.form.language.${certLang}`)}</span>
                              <input
                                type="number"
                                name={name}
                                id={fieldId(name)}
                                min={0}
                                max={item.maxCopies}
                                inputMode="numeric"
                                value={values.copies[name] ?? '0'}
                              />
                            </label>
                          );
                        })}
                        <span class="field-hint">
                          {digital
                            ? t('orders.form.digitalOneCopy')
                            : t('orders.form.maxCopies', { max: item.maxCopies })}
                        </span>
                      </div>
                    ) : (
                      <p class="unavailable">
                        {t(`orders.unavailable.${availability.reason}`, {
                          date: availability.availableFrom ? formatDate(availability.availableFrom, lang) : '',
                          status: availability.status ?? '',
                        })}
                      </p>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {destination === 'postal' && (
          <p class="postage">{t('orders.form.postageNote', { postage: formatYen(postageYen, lang) })}</p>
        )}
        {destination === 'postal' && <AddressFields address={values.address} errors={errors} />}
        {destination === 'digital' && <RecipientFields values={values} errors={errors} />}
        <Notes>
          <BulletList items={[t(`orders.destinations.${destination}.note`), t('orders.form.noteOtherCertificates')]} />
          <h3>{t('orders.rules.heading')}</h3>
          <EligibilityRules items={offerings.map((offering) => offering.item)} />
        </Notes>
        <FormActions backHref={`${base}/home`} submit={t('orders.form.next')} />
      </Form>
    </>
  );
}

function AddressFields({ address, errors }: { address: ShippingAddress; errors: FieldError[] }) {
  const { t, lang } = usePage();
  const own = errors.filter((error) => error.field === 'prefecture');
  return (
    <fieldset class="stack">
      <legend>{t('orders.address.legend')}</legend>
      <Field
        name="postalCode"
        label={t('orders.address.postalCode')}
        hint={t('orders.address.postalCodeHint')}
        value={address.postalCode}
        errors={errors}
        autocomplete="postal-code"
        inputMode="numeric"
        maxLength={8}
      />
      <div class={own.length ? 'field field--error' : 'field'}>
        <label for={fieldId('prefecture')}>{t('orders.address.prefecture')}</label>
        {own.length > 0 && <p class="field-error">{t(own[0]?.message ?? '')}</p>}
        <select id={fieldId('prefecture')} name="prefecture" autocomplete="address-level1">
          <option value="">{t('orders.address.choose')}</option>
          {prefectures.map(([code]) => (
            <option key={code} value={code} selected={code === address.prefecture}>
              {prefectureName(code, lang)}
            </option>
          ))}
        </select>
      </div>
      <Field
        name="city"
        label={t('orders.address.city')}
        value={address.city}
        errors={errors}
        autocomplete="address-level2"
        maxLength={100}
      />
      <Field
        name="street"
        label={t('orders.address.street')}
        value={address.street}
        errors={errors}
        autocomplete="address-line1"
        maxLength={100}
      />
      <Field
        name="building"
        label={t('orders.address.building')}
        value={address.building}
        errors={errors}
        autocomplete="address-line2"
        maxLength={100}
      />
      <Field
        name="recipient"
        label={t('orders.address.recipient')}
        value={address.recipient}
        errors={errors}
        autocomplete="name"
        maxLength={100}
      />
    </fieldset>
  );
}

function RecipientFields({ values, errors }: { values: OrderFormValues; errors: FieldError[] }) {
  const { t } = usePage();
  const accepts = errors.filter((error) => error.field === 'recipientAccepts');
  return (
    <fieldset class="stack">
      <legend>{t('orders.recipient.legend')}</legend>
      <Field
        name="recipientName"
        label={t('orders.recipient.name')}
        hint={t('orders.recipient.nameHint')}
        value={values.recipient.name}
        errors={errors}
        maxLength={100}
      />
      <Field
        name="recipientEmail"
        label={t('orders.recipient.email')}
        type="email"
        value={values.recipient.email}
        errors={errors}
        inputMode="email"
        maxLength={254}
      />
      <div class="field">
        <label for={fieldId('recipientLang')}>{t('orders.recipient.lang')}</label>
        <select id={fieldId('recipientLang')} name="recipientLang">
          {languages.map((code) => (
            <option key={code} value={code} selected={code === values.recipient.lang}>
              {t(`common.languageName.${code}`)}
            </option>
          ))}
        </select>
      </div>
      <div class={accepts.length ? 'field field--error' : 'field'} id={fieldId('recipientAccepts')}>
        {accepts.length > 0 && <p class="field-error">{t(accepts[0]?.message ?? '')}</p>}
        <label class="checkbox">
          <input type="checkbox" name="recipientAccepts" value="yes" checked={values.recipientAccepts} />{' '}
          {t('orders.recipient.accepts')}
        </label>
      </div>
    </fieldset>
  );
}
