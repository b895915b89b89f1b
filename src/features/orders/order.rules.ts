import type { Lang } from '../../platform/i18n.js';
import type { Violation } from '../../platform/violation.js';
import { emailAddressViolations, normalizeEmail } from '../auth/email-address.rules.js';
import type { CatalogueItem } from '../catalogue/catalogue.model.js';
import { availability, feeFor } from '../catalogue/eligibility.js';
import type { StudentRecord } from '../records/record.model.js';
import type { Tenant } from '../tenants/tenant.model.js';
import type { DigitalRecipient, Order, ShippingAddress } from './order.model.js';
import { prefectures } from './order.model.js';
import type { Destination } from './order.state.js';

/**
 * The order form's rules (C-1, C-4, C-9, C-10), pure. Violations name these paths: `lines` (the
 * form as a whole), `lines.<type>` (one certificate type's copies), the address's own fields
 * (`postalCode`, `prefecture`, `city`, `street`, `building`, `recipient`) and the digital
 * recipient's (`recipient.name`, `recipient.email`, `recipient.accepts`).
 */

export interface DraftLine {
  type: string;
  lang: Lang;
  copies: number;
}

export interface OrderDraft {
  destination: Destination;
  lines: DraftLine[];
  address?: ShippingAddress;
  recipient?: DigitalRecipient;
  /** Digital only: the student confirms the recipient accepts digitally delivered certificates (C-9). */
  recipientAccepts?: boolean;
}

export interface Quote {
  lines: Array<DraftLine & { name: string; unitFeeYen: number; subtotalYen: number }>;
  feeYen: number;
  postageYen: number;
  totalYen: number;
}

export function orderViolations(
  tenant: Tenant,
  record: StudentRecord,
  catalogue: readonly CatalogueItem[],
  draft: OrderDraft,
  today: string,
): Violation[] {
  if (!tenant.policy.destinations.includes(draft.destination)) return [{ code: 'order.destination', path: 'lines' }];
  const violations: Violation[] = [];
  if (draft.lines.length === 0) violations.push({ code: 'order.nothingChosen', path: 'lines' });
  for (const line of draft.lines) {
    const item = catalogue.find((entry) => entry.type === line.type);
    const path = `lines.${line.type}`;
    if (!item) {
      violations.push({ code: 'order.unknownType', path: 'lines' });
      continue;
    }
    const verdict = availability(item, record, draft.destination, today, line.lang);
    if (!verdict.available)
      violations.push({
        code: `unavailable.${verdict.reason}`,
        path,
        params: { date: verdict.availableFrom ?? '', status: verdict.status ?? '' },
      });
    const sameType = draft.lines
      .filter((other) => other.type === line.type)
      .reduce((sum, other) => sum + other.copies, 0);
    if (draft.destination === 'digital' && line.copies > 1) {
      violations.push({ code: 'order.digitalOneCopy', path });
    } else if (!Number.isInteger(line.copies) || line.copies < 1 || sameType > item.maxCopies) {
      violations.push({ code: 'order.copies', path, params: { max: item.maxCopies } });
    }
  }
  if (draft.destination === 'postal') violations.push(...addressViolations(draft.address));
  if (draft.destination === 'digital') {
    violations.push(...recipientViolations(tenant, draft.recipient));
    if (!draft.recipientAccepts) violations.push({ code: 'recipient.mustConfirm', path: 'recipient.accepts' });
  }
  // A type on two lines (Japanese and English) is one problem, told once.
  return violations.filter(
    (violation, index) =>
      violations.findIndex((other) => other.path === violation.path && other.code === violation.code) === index,
  );
}

const POSTAL_CODE = /^\d{3}-?\d{4}$/;

/** A Japanese address (C-4): 7-digit postal code, one of the 47 prefectures, city, street, building, recipient. */
function addressViolations(address: ShippingAddress | undefined): Violation[] {
  const a = address ?? { postalCode: '', prefecture: '', city: '', street: '', building: '', recipient: '' };
  const violations: Violation[] = [];
  if (!POSTAL_CODE.test(a.postalCode))
    violations.push({
      code: a.postalCode ? 'address.postalCodeInvalid' : 'address.postalCodeRequired',
      path: 'postalCode',
    });
  if (!prefectures.some(([code]) => code === a.prefecture))
    violations.push({ code: 'address.prefectureRequired', path: 'prefecture' });
  for (const field of ['city', 'street', 'recipient'] as const) {
    if (!a[field].trim()) violations.push({ code: `address.${field}Required`, path: field });
    else if (a[field].length > 100) violations.push({ code: 'address.tooLong', path: field });
  }
  if (a.building.length > 100) violations.push({ code: 'address.tooLong', path: 'building' });
  return violations;
}

/** A recipient of a digital copy (C-9), refused before the order when the university knows it does not accept them. */
function recipientViolations(tenant: Tenant, recipient: DigitalRecipient | undefined): Violation[] {
  const violations: Violation[] = [];
  if (!recipient?.name.trim()) violations.push({ code: 'recipient.nameRequired', path: 'recipient.name' });
  const email = recipient?.email ?? '';
  const emailRules = emailAddressViolations(email, email).address;
  if (emailRules.length > 0)
    violations.push(...emailRules.map((rule) => ({ code: `email.${rule}`, path: 'recipient.email' })));
  else {
    const domain = normalizeEmail(email).split('@')[1] ?? '';
    if (tenant.policy.digitalRefusingDomains.some((refusing) => domain === refusing || domain.endsWith(`.${refusing}`)))
      violations.push({ code: 'recipient.refuses', path: 'recipient.email' });
  }
  return violations;
}

/** The fee the review screen shows and the order keeps (C-2, C-4). */
export function quote(tenant: Tenant, catalogue: readonly CatalogueItem[], draft: OrderDraft, lang: Lang): Quote {
  const priced = feeFor(draft.lines, catalogue);
  const names = new Map(catalogue.map((item) => [item.type as string, item.name[lang]]));
  const postageYen = draft.destination === 'postal' ? tenant.policy.postageYen : 0;
  return {
    lines: priced.lines.map((line) => ({ ...line, name: names.get(line.type) ?? line.type })),
    feeYen: priced.totalYen,
    postageYen,
    totalYen: priced.totalYen + postageYen,
  };
}

/** A reservation past its expiry is dead (C-4): no terminal takes it, and the student is told so (C-8). */
export function isExpired(order: Order, now: number): boolean {
  return order.state === 'reserved' && order.reservationExpiresAt !== null && order.reservationExpiresAt <= now;
}
