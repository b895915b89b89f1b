/**
 * The blocks the three layouts are built from: the framed page, serial line, English letterhead,
 * title, holder rows, the issuer with the seal, and the verification footer with the QR code.
 */
import type { PDFDocument } from 'pdf-lib';
import type { CertificateData } from '../../certificate.model.js';
import type { Fonts } from '../fonts.js';
import { drawQrCode } from '../qr.js';
import { drawSeal, type SealGlyphs } from '../seal.js';
import { CONTENT_W, FOOTER_TOP, frame, grey, MARGIN, PAGE_H, PAGE_W, rule, Sheet } from '../sheet.js';
import { footerWording, titles, verificationPage, type Wording } from '../wording.js';

export class Blocks {
  readonly ja: boolean;

  constructor(
    private readonly doc: PDFDocument,
    readonly fonts: Fonts,
    private readonly sealGlyphs: SealGlyphs,
    readonly data: CertificateData,
    readonly w: Wording,
  ) {
    this.ja = data.lang === 'ja';
  }

  /** A new A4 page with a thin double rule around it. */
  newPage(): Sheet {
    const s = new Sheet(this.doc.addPage([PAGE_W, PAGE_H]), this.fonts);
    s.box(26, 26, PAGE_W - 52, PAGE_H - 52, { border: frame, borderWidth: 1.4 });
    s.box(30.5, 30.5, PAGE_W - 61, PAGE_H - 61, { border: frame, borderWidth: 0.4 });
    return s;
  }

  /** Serial number (and on English certificates the date) at the top right. */
  serialLine(s: Sheet, y: number): void {
    const { data } = this;
    const right = PAGE_W - MARGIN;
    if (this.ja) {
      const label = data.type === 'course_application' ? '整理番号' : '証明書番号';
      s.text(`${label}　${data.serial}`, right, y, { size: 9, align: 'right', color: grey });
    } else {
      s.text(`No. ${data.serial}`, right, y, { size: 9, align: 'right', color: grey });
    }
  }

  /** Where the letterhead's rule is (English certificates). */
  letterheadBottom(): number {
    return 86 + (this.data.university.address ? 17 : 0) + 12;
  }

  /** English certificates open with the university as a letterhead. */
  letterhead(s: Sheet): number {
    const { university } = this.data;
    s.text(university.name.en, PAGE_W / 2, 86, { size: 19, align: 'center' });
    let y = 86;
    if (university.address) {
      y += 17;
      s.text(university.address.en, PAGE_W / 2, y, { size: 8.5, align: 'center', color: grey });
    }
    y += 12;
    s.hline(MARGIN, PAGE_W - MARGIN, y, 0.8, frame);
    s.hline(MARGIN, PAGE_W - MARGIN, y + 2.5, 0.3, frame);
    return y;
  }

  /** The title, letter-spaced, centred, made smaller when it would not fit the width. */
  title(s: Sheet, y: number, size: number): void {
    const title = this.ja ? titles[this.data.type].ja : titles[this.data.type].en.toUpperCase();
    const spacingRatio = this.ja ? 0.55 : 0.12;
    const chars = [...title].length;
    const natural = s.width(title, size) + size * spacingRatio * (chars - 1);
    const fitted = natural > CONTENT_W - 20 ? (size * (CONTENT_W - 20)) / natural : size;
    s.spaced(title, PAGE_W / 2, y, fitted * spacingRatio, { size: fitted });
  }

  /** Label / value rows of the holder's data; returns the baseline of the last row. */
  holderRows(s: Sheet, rows: Array<[string, string]>, x: number, y: number, step: number): number {
    const labelSize = this.ja ? 11 : 10;
    const labelWidth = this.ja ? 6 * labelSize : 118;
    const valueX = x + labelWidth + (this.ja ? 30 : 14);
    rows.forEach(([label, value], i) => {
      const baseline = y + i * step;
      if (this.ja) s.distributed(label, x, baseline, labelWidth, { size: labelSize });
      else s.text(label, x, baseline, { size: labelSize, color: grey });
      s.text(value, valueX, baseline, { size: this.ja ? 12 : 11.5 });
    });
    return y + (rows.length - 1) * step;
  }

  /** The name with kana above (Japanese) or the name in Japanese beside it (English). */
  nameRow(s: Sheet, x: number, y: number): void {
    const { holder } = this.data;
    if (this.ja) {
      const labelWidth = 6 * 11;
      const valueX = x + labelWidth + 30;
      s.distributed('氏名', x, y, labelWidth, { size: 11 });
      const kanjiWidth = s.width(holder.nameKanji, 17);
      // フリガナ over the name, centred on it.
      s.text(holder.nameKana, valueX + kanjiWidth / 2, y - 19, { size: 8, align: 'center', color: grey });
      s.text(holder.nameKanji, valueX, y + 1, { size: 17 });
      s.text(holder.nameRoman, valueX + kanjiWidth + 18, y, { size: 10.5, color: grey });
    } else {
      const valueX = x + 118 + 14;
      s.text('Name', x, y, { size: 10, color: grey });
      const width = s.text(holder.nameRoman, valueX, y + 1, { size: 15 });
      s.text(`(${holder.nameKanji})`, valueX + width + 10, y, { size: 10.5, color: grey });
    }
  }

  holderData(): Array<[string, string]> {
    const { holder } = this.data;
    const { w } = this;
    if (this.ja) {
      return [
        ['学籍番号', holder.studentNumber],
        ['生年月日', w.birth(holder.birthDate)],
        ['所属', w.affiliation],
        ['学年', w.yearOfStudy],
        ['入学年月日', w.date(holder.admissionDate)],
      ];
    }
    return [
      ['Date of Birth', w.birth(holder.birthDate)],
      ['Student Number', holder.studentNumber],
      ['Faculty', holder.faculty.en],
      ['Department', holder.department.en],
      ['Year', w.yearOfStudy],
      ['Date of Admission', w.date(holder.admissionDate)],
    ];
  }

  /**
   * The issuer (president) with the seal stamped over the end of the name, as a 公印 is: the
   * seal's left edge covers about half of the last character.
   */
  issuer(s: Sheet, y: number, seal: boolean): void {
    const { university } = this.data;
    const r = 28;
    const right = PAGE_W - MARGIN - 2 * r + 4;
    if (this.ja) {
      if (university.address)
        s.text(university.address.ja, right - 14, y - 30, { size: 9, align: 'right', color: grey });
      s.text(this.w.issuerLine, right, y, { size: 15, align: 'right' });
      if (seal) drawSeal(s, this.sealGlyphs, university.name.ja, right + r - 9, y - 5.5, r);
    } else {
      const nameY = y - 14;
      s.text(university.presidentName.en, right, nameY, { size: 14, align: 'right' });
      s.text(this.w.issuerLine, right, nameY + 18, { size: 10.5, align: 'right', color: grey });
      if (seal) drawSeal(s, this.sealGlyphs, university.name.ja, right + r - 4, nameY - 8, r);
    }
  }

  /** Vector QR code with the verification code and where to check it; page numbers when given. */
  footer(s: Sheet, pageNumber?: { index: number; count: number }): void {
    const { data } = this;
    const top = FOOTER_TOP;
    s.hline(MARGIN, PAGE_W - MARGIN, top, 0.4, rule);
    const qrSide = 76;
    const qrX = MARGIN;
    const qrTop = top + 14;
    drawQrCode(s, data.verificationUrl, qrX, qrTop, qrSide);

    const x = qrX + qrSide + 18;
    const width = PAGE_W - MARGIN - x;
    let y = qrTop + 11;
    const label = this.ja ? '照合コード' : 'Verification code';
    const labelWidth = s.text(label, x, y, { size: 9, font: 'gothic', color: grey });
    s.text(data.verificationCode, x + labelWidth + 10, y + 0.5, { size: 13, font: 'gothic' });
    y += 18;
    const footer = footerWording(data);
    y = s.paragraph(footer.instruction, x, y, width, 12, { size: 8, color: grey }) + 13;
    s.text(verificationPage(data.verificationUrl), x, y, { size: 9, font: 'gothic' });
    y += 13;
    s.text(footer.signatureNote, x, y, { size: 8, color: grey });
    if (pageNumber) {
      s.text(`${pageNumber.index} / ${pageNumber.count}`, PAGE_W / 2, PAGE_H - 42, {
        size: 9,
        align: 'center',
        color: grey,
      });
    }
  }
}
