import { Message } from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { reusablePage } from '../../../platform/views/render.js';
import { usePage } from '../../../platform/views/page-context.js';
import type { Destination } from '../order.state.js';

/** C-1: Select Printing Destination, the start screen after login, with the LANG pull-down. */
export function DestinationPage({ destinations, hasRecord }: { destinations: Destination[]; hasRecord: boolean }) {
  const { t, base } = usePage();
  return (
    <Layout title={t('home.title')} langSwitch={{ keep: {} }}>
      {!hasRecord && (
        <Message kind="warning">
          <p>{t('orders.errors.noRecord')}</p>
        </Message>
      )}
      <p>{t('orders.destination.intro')}</p>
      <ul class="destinations">
        {destinations.map((destination) => (
          <li key={destination}>
            <a class="destination" href={`${base}/orders/new?destination=${destination}`}>
              <span class="destination__name">{t(`orders.destinations.${destination}.name`)}</span>
              <span class="destination__hint">{t(`orders.destinations.${destination}.hint`)}</span>
            </a>
          </li>
        ))}
      </ul>
      <p>
        <a href={`${base}/orders`}>{t('orders.history.link')}</a>
      </p>
      <p>{t('home.menuHint')}</p>
    </Layout>
  );
}

// Rendered once per university, language and props (#11).
reusablePage(DestinationPage);
