import { usePage } from '../../../platform/views/page-context.js';
import { type ShippingAddress, prefectureName } from '../order.model.js';

/** A shipping address as the review and the order detail show it. */
export function AddressBlock({ address }: { address: ShippingAddress }) {
  const { t, lang } = usePage();
  return (
    <dl class="summary">
      <dt>{t('orders.address.legend')}</dt>
      <dd>
        〒{address.postalCode.replace(/^(\d{3})-?(\d{4})$/, '$1-$2')} {prefectureName(address.prefecture, lang)}{' '}
        {address.city} {address.street} {address.building}
        <br />
        {address.recipient}
      </dd>
    </dl>
  );
}
