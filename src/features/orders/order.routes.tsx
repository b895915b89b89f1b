import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Lang, languages } from '../../platform/i18n.js';
import { sendPage, tenantBase } from '../../platform/views/render.js';
import { fieldErrors, formField, queryField } from '../../platform/http/form.js';
import { session } from '../auth/auth.http.js';
import type { AuthServices } from '../auth/auth.services.js';
import type { CatalogueItem } from '../catalogue/catalogue.model.js';
import type { DeliveryService } from './delivery.service.js';
import type { DraftLine, OrderDraft } from './order.rules.js';
import type { OrderingService } from './ordering.service.js';
import { canTake, isDestination } from './order.state.js';
import { DestinationPage } from './pages/destination.page.js';
import { LandingPage } from './pages/landing.page.js';
import { OrderDetailPage } from './pages/order-detail.page.js';
import { type OrderFormValues, OrderFormPage, emptyFormValues } from './pages/order-form.page.js';
import { HistoryPage } from './pages/order-history.page.js';
import { ReviewPage } from './pages/order-review.page.js';

const detailNotices = ['placed', 'cancelled', 'notCancellable'] as const;

function formValues(body: unknown, catalogue: readonly CatalogueItem[]): OrderFormValues {
  const copies: Record<string, string> = {};
  for (const item of catalogue) {
    for (const lang of item.languages) {
      const name = `copies-${item.type}-${lang}`;
      copies[name] = formField(body, name, 4).trim() || '0';
    }
  }
  return {
    copies,
    address: {
      postalCode: formField(body, 'postalCode', 20).normalize('NFKC').trim(),
      prefecture: formField(body, 'prefecture', 4),
      city: formField(body, 'city', 200).trim(),
      street: formField(body, 'street', 200).trim(),
      building: formField(body, 'building', 200).trim(),
      recipient: formField(body, 'recipient', 200).trim(),
    },
    recipient: {
      name: formField(body, 'recipientName', 200).trim(),
      email: formField(body, 'recipientEmail', 300).trim(),
      lang: formField(body, 'recipientLang', 2) === 'en' ? 'en' : 'ja',
    },
    recipientAccepts: formField(body, 'recipientAccepts') === 'yes',
  };
}

/** Where the order form shows each violation of order.rules.ts, and in which words. */
const orderForm = {
  fields: (path: string) => {
    if (path.startsWith('lines.')) return `copies-${path.slice('lines.'.length)}`;
    const recipientFields: Record<string, string> = {
      'recipient.name': 'recipientName',
      'recipient.email': 'recipientEmail',
      'recipient.accepts': 'recipientAccepts',
    };
    return recipientFields[path] ?? path;
  },
  message: (code: string) => {
    if (code.startsWith('email.')) return `validation.${code}`;
    if (code.startsWith('order.')) return `orders.errors.${code.slice('order.'.length)}`;
    return `orders.${code}`;
  },
};

/** The form as the student filled it, from a draft on review: Back from the review (#10 §1). */
function draftValues(draft: OrderDraft): OrderFormValues {
  return {
    copies: Object.fromEntries(draft.lines.map((line) => [`copies-${line.type}-${line.lang}`, String(line.copies)])),
    address: draft.address ?? emptyFormValues.address,
    recipient: draft.recipient
      ? { ...draft.recipient, lang: draft.recipient.lang ?? emptyFormValues.recipient.lang }
      : emptyFormValues.recipient,
    recipientAccepts: draft.recipientAccepts ?? false,
  };
}

function draftLines(values: OrderFormValues, catalogue: readonly CatalogueItem[]): DraftLine[] {
  const lines: DraftLine[] = [];
  for (const item of catalogue) {
    for (const lang of languages) {
      const raw = values.copies[`copies-${item.type}-${lang}`];
      if (raw === undefined || raw === '0') continue;
      lines.push({ type: item.type, lang: lang as Lang, copies: /^\d{1,3}$/.test(raw) ? Number(raw) : Number.NaN });
    }
  }
  return lines;
}

/** The landing page, the Select Printing Destination screen, ordering, history and cancel (L-20, C-1, C-4, C-8, C-10). */
export async function orderRoutes(
  app: FastifyInstance,
  { auth, orders, deliveries }: { auth: AuthServices; orders: OrderingService; deliveries: DeliveryService },
) {
  const { http } = auth;
  const loggedIn = { preHandler: http.requireSession };
  const catalogueNames = async (request: FastifyRequest) => {
    const catalogue = await orders.catalogue(request.tenant);
    return Object.fromEntries(catalogue.map((item) => [item.type, item.name[request.lang]]));
  };

  app.get('/', async (request, reply) =>
    sendPage(
      request,
      reply,
      <LandingPage items={await orders.catalogue(request.tenant)} destinations={orders.destinations(request.tenant)} />,
    ),
  );

  app.get('/home', loggedIn, async (request, reply) => {
    const { account } = session(request);
    await auth.settings.rememberLanguage(request.tenant, account, request.lang);
    const record = await orders.record(request.tenant, account);
    return sendPage(
      request,
      reply,
      <DestinationPage destinations={orders.destinations(request.tenant)} hasRecord={record !== undefined} />,
    );
  });

  app.get('/orders/new', loggedIn, async (request, reply) => {
    const destination = queryField(request.query, 'destination');
    const record = await orders.record(request.tenant, session(request).account);
    if (!isDestination(destination) || !orders.destinations(request.tenant).includes(destination) || !record) {
      return reply.redirect(`${tenantBase(request)}/home`, 303);
    }
    const offerings = await orders.offerings(request.tenant, record, destination);
    const kept = await http.forms.recall<OrderFormValues>(request, reply);
    const flowId = queryField(request.query, 'flow');
    const review =
      flowId && !kept
        ? await orders.review(request.tenant, session(request).account, flowId, http.actor(request, reply))
        : undefined;
    const draft =
      review?.status === 'ok' && review.draft.destination === destination
        ? review.draft
        : kept
          ? undefined
          : await orders.openDraft(request.tenant, session(request).account, destination, http.actor(request, reply));
    const values = kept?.values ?? (draft ? draftValues(draft) : emptyFormValues);
    return sendPage(
      request,
      reply,
      <OrderFormPage
        destination={destination}
        offerings={offerings}
        values={values}
        errors={kept?.errors ?? []}
        postageYen={request.tenant.policy.postageYen}
      />,
      kept?.status,
    );
  });

  app.post('/orders/new', loggedIn, async (request, reply) => {
    const destination = queryField(request.query, 'destination');
    const { account } = session(request);
    const record = await orders.record(request.tenant, account);
    if (!isDestination(destination) || !record) return reply.redirect(`${tenantBase(request)}/home`, 303);
    const catalogue = await orders.catalogue(request.tenant);
    const values = formValues(request.body, catalogue);
    const draft: OrderDraft = {
      destination,
      lines: draftLines(values, catalogue),
      ...(destination === 'postal' && { address: values.address }),
      ...(destination === 'digital' && { recipient: values.recipient, recipientAccepts: values.recipientAccepts }),
    };
    const result = await orders.draft(request.tenant, account, draft, http.actor(request, reply));
    if (result.status === 'invalid') {
      return http.forms.redirect(request, reply, `${tenantBase(request)}/orders/new?destination=${destination}`, {
        values,
        errors: fieldErrors(result.violations, orderForm),
        status: 422,
      });
    }
    return reply.redirect(`${tenantBase(request)}/orders/review?flow=${encodeURIComponent(result.flowId)}`, 303);
  });

  app.get('/orders/review', loggedIn, async (request, reply) => {
    const flowId = queryField(request.query, 'flow');
    const review = await orders.review(request.tenant, session(request).account, flowId, http.actor(request, reply));
    if (review.status !== 'ok') return reply.redirect(`${tenantBase(request)}/home`, 303);
    const kept = await http.forms.recall(request, reply);
    return sendPage(
      request,
      reply,
      <ReviewPage flowId={flowId} draft={review.draft} quote={review.quote} errors={kept?.errors ?? []} />,
      kept?.status,
    );
  });

  app.post('/orders/place', loggedIn, async (request, reply) => {
    const flowId = queryField(request.query, 'flow');
    const { account } = session(request);
    const actor = http.actor(request, reply);
    const placed = await orders.place(request.tenant, account, flowId, actor);
    if (placed.status === 'gone') return reply.redirect(`${tenantBase(request)}/orders`, 303);
    if (placed.status === 'invalid') {
      return http.forms.redirect(
        request,
        reply,
        `${tenantBase(request)}/orders/review?flow=${encodeURIComponent(flowId)}`,
        { values: {}, errors: fieldErrors(placed.violations, orderForm), status: 422 },
      );
    }
    return reply.redirect(`${tenantBase(request)}/orders/${placed.order.id}?notice=placed`, 303);
  });

  app.get('/orders', loggedIn, async (request, reply) => {
    const list = await orders.history(request.tenant, session(request).account);
    const expired = new Set(list.filter((order) => orders.isExpired(order)).map((order) => order.id));
    return sendPage(
      request,
      reply,
      <HistoryPage orders={list} names={await catalogueNames(request)} expired={expired} />,
    );
  });

  app.get('/orders/:id', loggedIn, async (request, reply) => {
    const order = await orders.find(request.tenant, session(request).account, (request.params as { id: string }).id);
    if (!order) return reply.redirect(`${tenantBase(request)}/orders`, 303);
    const notice = queryField(request.query, 'notice');
    const delivery = order.destination === 'digital' ? await deliveries.forOrder(request.tenant, order) : undefined;
    return sendPage(
      request,
      reply,
      <OrderDetailPage
        order={order}
        names={await catalogueNames(request)}
        cancellable={canTake(order.destination, order.state, 'cancel') && !orders.isExpired(order)}
        expired={orders.isExpired(order)}
        payable={orders.payableByNumber(order)}
        delivery={delivery}
        notice={detailNotices.find((known) => known === notice)}
      />,
    );
  });

  app.post('/orders/:id/cancel', loggedIn, async (request, reply) => {
    const id = (request.params as { id: string }).id;
    const outcome = await orders.cancel(request.tenant, session(request).account, id, http.actor(request, reply));
    return reply.redirect(`${tenantBase(request)}/orders/${encodeURIComponent(id)}?notice=${outcome.status}`, 303);
  });
}
