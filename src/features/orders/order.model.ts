import type { Lang } from '../../platform/i18n.js';
import type { Destination, OrderState } from './order.state.js';

export interface ShippingAddress {
  postalCode: string;
  prefecture: string;
  city: string;
  street: string;
  building: string;
  recipient: string;
}

export interface DigitalRecipient {
  name: string;
  email: string;
  /** The language of the mail the recipient gets, chosen by the student (#10); older orders lack it. */
  lang?: Lang;
}

export interface OrderItem {
  seq: number;
  type: string;
  lang: Lang;
  copies: number;
  unitFeeYen: number;
}

export interface Order {
  tenantId: string;
  id: string;
  accountId: string;
  studentNumber: string;
  destination: Destination;
  state: OrderState;
  lang: Lang;
  feeYen: number;
  postageYen: number;
  reservationNumber: string | null;
  reservationExpiresAt: number | null;
  terminalId: string | null;
  /** The machine of the terminal's network the payment was taken at, and its transaction id (#9). */
  storeId: string | null;
  machineId: string | null;
  paymentTransactionId: string | null;
  printFailures: number;
  shippingAddress: ShippingAddress | null;
  trackingNumber: string | null;
  recipient: DigitalRecipient | null;
  createdAt: number;
  updatedAt: number;
  paidAt: number | null;
  printedAt: number | null;
  shippedAt: number | null;
  cancelledAt: number | null;
  /** The terminal cancelled the payment after the print failed (#9). */
  voidedAt: number | null;
  /** Paid but never printed: released by staff or at the deadline, refunded at the registrar (#9). */
  releasedAt: number | null;
  /**
   * A postal or digital order's payment number, payable at a convenience store until its own
   * expiry (#12, A-8): paying moves the order as staff marking it paid would. Nothing prints on it.
   */
  paymentNumber: string | null;
  paymentExpiresAt: number | null;
  /** Paid at the campus cashier: the receipt number staff recorded (#12 C-4 (b)). */
  paymentReceipt: string | null;
  /** Ended unprinted: how it is refunded, as staff wrote it for the student (#12). */
  refundNote: string | null;
  items: OrderItem[];
}

/** The 47 prefectures in JIS X 0401 order, as the postal form lists them. */
export const prefectures = [
  ['01', '北海道', 'Hokkaido'],
  ['02', '青森県', 'Aomori'],
  ['03', '岩手県', 'Iwate'],
  ['04', '宮城県', 'Miyagi'],
  ['05', '秋田県', 'Akita'],
  ['06', '山形県', 'Yamagata'],
  ['07', '福島県', 'Fukushima'],
  ['08', '茨城県', 'Ibaraki'],
  ['09', '栃木県', 'Tochigi'],
  ['10', '群馬県', 'Gunma'],
  ['11', '埼玉県', 'Saitama'],
  ['12', '千葉県', 'Chiba'],
  ['13', '東京都', 'Tokyo'],
  ['14', '神奈川県', 'Kanagawa'],
  ['15', '新潟県', 'Niigata'],
  ['16', '富山県', 'Toyama'],
  ['17', '石川県', 'Ishikawa'],
  ['18', '福井県', 'Fukui'],
  ['19', '山梨県', 'Yamanashi'],
  ['20', '長野県', 'Nagano'],
  ['21', '岐阜県', 'Gifu'],
  ['22', '静岡県', 'Shizuoka'],
  ['23', '愛知県', 'Aichi'],
  ['24', '三重県', 'Mie'],
  ['25', '滋賀県', 'Shiga'],
  ['26', '京都府', 'Kyoto'],
  ['27', '大阪府', 'Osaka'],
  ['28', '兵庫県', 'Hyogo'],
  ['29', '奈良県', 'Nara'],
  ['30', '和歌山県', 'Wakayama'],
  ['31', '鳥取県', 'Tottori'],
  ['32', '島根県', 'Shimane'],
  ['33', '岡山県', 'Okayama'],
  ['34', '広島県', 'Hiroshima'],
  ['35', '山口県', 'Yamaguchi'],
  ['36', '徳島県', 'Tokushima'],
  ['37', '香川県', 'Kagawa'],
  ['38', '愛媛県', 'Ehime'],
  ['39', '高知県', 'Kochi'],
  ['40', '福岡県', 'Fukuoka'],
  ['41', '佐賀県', 'Saga'],
  ['42', '長崎県', 'Nagasaki'],
  ['43', '熊本県', 'Kumamoto'],
  ['44', '大分県', 'Oita'],
  ['45', '宮崎県', 'Miyazaki'],
  ['46', '鹿児島県', 'Kagoshima'],
  ['47', '沖縄県', 'Okinawa'],
] as const;

export function prefectureName(code: string, lang: Lang): string | undefined {
  const entry = prefectures.find(([c]) => c === code);
  return entry ? (lang === 'ja' ? entry[1] : entry[2]) : undefined;
}

/** A shipping address as the review, the order detail and the order mail write it (#10). */
export function addressLines(address: ShippingAddress, lang: Lang): string[] {
  const postalCode = address.postalCode.replace(/^(\d{3})-?(\d{4})$/, '$1-$2');
  const place = [prefectureName(address.prefecture, lang), address.city, address.street, address.building]
    .filter(Boolean)
    .join(' ');
  return [`〒${postalCode} ${place}`, address.recipient];
}
