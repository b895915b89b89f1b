import { formatMonthDay } from '../../../platform/format.js';
import { usePage } from '../../../platform/views/page-context.js';
import type { CatalogueItem } from '../../catalogue/catalogue.model.js';
import { type ShippingAddress, addressLines } from '../order.model.js';

/** A shipping address as the review and the order detail show it. */
export function AddressBlock({ address }: { address: ShippingAddress }) {
  const { t, lang } = usePage();
  const [place, recipient] = addressLines(address, lang);
  return (
    <dl class="summary">
      <dt>{t('orders.address.legend')}</dt>
      <dd>
        {place}
        <br />
        {recipient}
      </dd>
    </dl>
  );
}

/**
 * Who may have each certificate (C-10), said before the student meets a refusal (#10): on the
 * landing page and the order form, from the catalogue itself.
 */
export function EligibilityRules({ items }: { items: readonly CatalogueItem[] }) {
  const { t, lang } = usePage();
  const line = (item: CatalogueItem) => {
    const extras = [
      ...(item.eligibility.finalYearOnly ? [t('orders.rules.finalYearOnly')] : []),
      ...(item.eligibility.availableFromMonthDay
        ? [t('orders.rules.from', { date: formatMonthDay(item.eligibility.availableFromMonthDay, lang) })]
        : []),
    ];
    return t('orders.rules.line', {
      name: item.name[lang],
      statuses: item.eligibility.statuses.map((status) => t(`orders.status.${status}`)).join(t('orders.rules.or')),
      extra: extras.length
        ? `${t('orders.rules.extraOpen')}${extras.join(t('orders.rules.extraSeparator'))}${t('orders.rules.extraClose')}`
        : '',
    });
  };
  return (
    <ul class="rules">
      {items.map((item) => (
        <li key={item.type}>{line(item)}</li>
      ))}
    </ul>
  );
}
