/**
 * The postal queue's papers (#12 A-5): a packing slip to put in the envelope and an address label
 * for Japanese post (〒 and the postcode, the address, the name with 様, and the university's
 * return address). Pure: data in, PDF bytes out; drawn in IPAex Gothic, parsed once per process.
 */
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import type { Font as FontkitFont } from '@pdf-lib/fontkit';
import { addressee } from '../../platform/addressee.js';
import { formatDateTime } from '../../platform/format.js';
import { type Lang, translator } from '../../platform/i18n.js';
import { CertificateFonts, certificateFontFiles } from '../certificates/pdf/fonts.js';
import { widthOf, wrapText } from '../certificates/pdf/text-fit.js';
import type { Tenant } from '../tenants/tenant.model.js';
import { type Order, type ShippingAddress, prefectureName } from './order.model.js';

export interface PostalDocumentData {
  tenant: Tenant;
  order: Order;
  address: ShippingAddress;
  studentName: string;
  /** Certificate type → its name in `lang`. */
  names: Record<string, string>;
  lang: Lang;
  printedAt: number;
}

const MM = 72 / 25.4;
const A4 = [210 * MM, 297 * MM] as const;
/** A label of 100 × 148 mm (postcard size): a sheet of labels or a plain postcard both take it. */
const LABEL = [100 * MM, 148 * MM] as const;
const INK = rgb(0.1, 0.1, 0.1);

let fonts: CertificateFonts | undefined;

interface Pen {
  page: PDFPage;
  pdf: PDFFont;
  kit: FontkitFont;
}

async function newDocument(title: string): Promise<{ doc: PDFDocument; pdf: PDFFont; kit: FontkitFont }> {
  fonts ??= new CertificateFonts(certificateFontFiles);
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  doc.setProducer('Shomei');
  const embedded = await fonts.embedInto(doc);
  return { doc, pdf: embedded.pdf.gothic, kit: embedded.kit.gothic };
}

/** Draws `text` at (x, top-down y), shrunk until it fits `maxWidth`. */
function line(pen: Pen, text: string, x: number, y: number, size: number, maxWidth: number): void {
  let fitted = size;
  while (fitted > 6 && widthOf(pen.kit, text, fitted) > maxWidth) fitted -= 0.5;
  pen.page.drawText(text, { x, y: pen.page.getHeight() - y, size: fitted, font: pen.pdf, color: INK });
}

/** Draws wrapped lines from top-down y; returns the y below them. */
function paragraph(pen: Pen, text: string, x: number, y: number, size: number, maxWidth: number): number {
  let at = y;
  for (const part of wrapText(pen.kit, text, size, maxWidth)) {
    line(pen, part, x, at, size, maxWidth);
    at += size * 1.5;
  }
  return at;
}

function postalCode(address: ShippingAddress): string {
  return address.postalCode.replace(/^(\d{3})-?(\d{4})$/, '$1-$2');
}

/** The address as Japanese post reads it: prefecture and city, then street, then building. */
function addressLines(address: ShippingAddress, lang: Lang): string[] {
  return [
    [prefectureName(address.prefecture, lang), address.city].filter(Boolean).join(' '),
    address.street,
    address.building,
  ].filter((part): part is string => Boolean(part));
}

function orderNumber(order: Order): string {
  return order.id;
}

export async function packingSlipPdf(data: PostalDocumentData): Promise<Uint8Array> {
  const t = translator(data.lang);
  const { tenant, order, address, lang } = data;
  const { doc, pdf, kit } = await newDocument(t('orders.console.slip.title'));
  const pen: Pen = { page: doc.addPage([...A4]), pdf, kit };
  const left = 20 * MM;
  const width = A4[0] - 40 * MM;
  line(pen, t('orders.console.slip.title'), left, 30 * MM, 20, width);
  line(pen, tenant.name[lang], left, 40 * MM, 12, width);
  let y = 55 * MM;
  const facts: Array<[string, string]> = [
    [t('orders.console.orderNumber'), orderNumber(order)],
    [t('orders.console.placedAt'), formatDateTime(order.createdAt, lang)],
    [t('orders.console.student'), `${data.studentName} (${order.studentNumber})`],
    [t('orders.console.slip.printedAt'), formatDateTime(data.printedAt, lang)],
  ];
  for (const [label, value] of facts) {
    line(pen, label, left, y, 10, 45 * MM);
    line(pen, value, left + 48 * MM, y, 10, width - 48 * MM);
    y += 7 * MM;
  }
  y += 5 * MM;
  line(pen, t('orders.console.items'), left, y, 12, width);
  y += 8 * MM;
  line(pen, t('orders.console.certificate'), left, y, 9, 90 * MM);
  line(pen, t('orders.console.language'), left + 95 * MM, y, 9, 35 * MM);
  line(pen, t('orders.console.copies'), left + 135 * MM, y, 9, 30 * MM);
  pen.page.drawLine({
    start: { x: left, y: A4[1] - y - 2 * MM },
    end: { x: left + width, y: A4[1] - y - 2 * MM },
    thickness: 0.5,
    color: INK,
  });
  y += 7 * MM;
  for (const item of order.items) {
    line(pen, data.names[item.type] ?? item.type, left, y, 10, 90 * MM);
    line(pen, t(`orders.form.language.${item.lang}`), left + 95 * MM, y, 10, 35 * MM);
    line(pen, String(item.copies), left + 135 * MM, y, 10, 30 * MM);
    y += 7 * MM;
  }
  y += 8 * MM;
  line(pen, t('orders.console.shipTo'), left, y, 12, width);
  y += 8 * MM;
  y = paragraph(pen, `〒${postalCode(address)}`, left, y, 10, width);
  for (const part of addressLines(address, lang)) y = paragraph(pen, part, left, y, 10, width);
  paragraph(pen, addressee(address.recipient, lang), left, y, 10, width);
  return doc.save();
}

export async function addressLabelPdf(data: PostalDocumentData): Promise<Uint8Array> {
  // The label is for Japanese post: written in Japanese whatever the console's language.
  const t = translator('ja');
  const { tenant, order, address } = data;
  const { doc, pdf, kit } = await newDocument(t('orders.console.label.title'));
  const pen: Pen = { page: doc.addPage([...LABEL]), pdf, kit };
  const left = 10 * MM;
  const width = LABEL[0] - 20 * MM;
  line(pen, `〒${postalCode(address)}`, left, 18 * MM, 16, width);
  let y = 30 * MM;
  for (const part of addressLines(address, 'ja')) y = paragraph(pen, part, left, y, 13, width);
  y += 8 * MM;
  line(pen, addressee(address.recipient, 'ja'), left, y, 20, width);
  let back = 112 * MM;
  line(pen, t('orders.console.label.from'), left, back, 8, width);
  back += 5 * MM;
  back = paragraph(pen, tenant.content.ja.address || tenant.content.en.address, left, back, 9, width);
  line(pen, tenant.name.ja, left, back, 10, width);
  line(pen, `${t('orders.console.orderNumber')}: ${orderNumber(order)}`, left, 142 * MM, 6, width);
  return doc.save();
}
