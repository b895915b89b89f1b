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
import type { FittedText } from '../text-fit.js';
import { footerWording, titles, verificationPage, type Wording } from '../wording.js';

/**
 * The loosest spacing (1 natural, 0 tightest) at which a page's content ends by `lowest`: `layout`
 * runs the page on a measuring sheet and returns where it ends. Lines wrap differently as sizes
 * change, so the answer is searched for rather than solved.
 */
export function squeezeToFit(layout: (squeeze: number) => number, lowest: number): number {
  if (layout(1) <= lowest) return 1;
  let [tight, loose] = [0, 1];
  for (let i = 0; i < 7; i++) {
    const middle = (tight + loose) / 2;
    if (layout(middle) <= lowest) tight = middle;
    else loose = middle;
  }
  return tight;
}

/** Sizes of the holder's name: the name, the other form of it, the kana, and how they sit. */
export interface NameSizes {
  name: number;
  other: number;
  /** 0 where the kana are printed elsewhere (the application's own フリガナ row). */
  kana: number;
  /** Between the name and the other form beside it. */
  gap: number;
  /** From the name's baseline up to the kana's. */
  kanaRise: number;
}

export interface NameLayout {
  main: FittedText;
  mainWidth: number;
  other: FittedText;
  beside: boolean;
  kana: FittedText | undefined;
}

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
    const serialStyle = {
      size: 9,
      minSize: 6,
      maxWidth: CONTENT_W / 2,
      maxLines: 1,
      align: 'right',
      color: grey,
    } as const;
    if (this.ja) {
      const label = data.type === 'course_application' ? '整理番号' : '証明書番号';
      s.fitted(`${label}　${data.serial}`, right, y, serialStyle);
    } else {
      s.fitted(`No. ${data.serial}`, right, y, serialStyle);
    }
  }

  /** English certificates open with the university as a letterhead. */
  letterhead(s: Sheet): number {
    const { university } = this.data;
    s.fitted(university.name.en, PAGE_W / 2, 86, {
      size: 19,
      minSize: 12,
      maxWidth: CONTENT_W,
      maxLines: 1,
      align: 'center',
    });
    let y = 86;
    if (university.address) {
      y += 17;
      s.fitted(university.address.en, PAGE_W / 2, y, {
        size: 8.5,
        minSize: 6,
        maxWidth: CONTENT_W,
        maxLines: 1,
        align: 'center',
        color: grey,
      });
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

  /**
   * Label / value rows of the holder's data, each value fitted into the width left of it (a long
   * faculty name shrinks, then wraps and pushes the rows below down). Returns the last baseline.
   */
  holderRows(s: Sheet, rows: Array<[string, string]>, x: number, y: number, step: number): number {
    const labelSize = this.ja ? 11 : 10;
    const labelWidth = this.ja ? 6 * labelSize : 118;
    const valueX = x + labelWidth + (this.ja ? 30 : 14);
    const size = this.ja ? 12 : 11.5;
    let baseline = y - step;
    for (const [label, value] of rows) {
      baseline += step;
      if (this.ja) s.distributed(label, x, baseline, labelWidth, { size: labelSize });
      else s.text(label, x, baseline, { size: labelSize, color: grey });
      baseline = s.fitted(value, valueX, baseline, { size, minSize: 9, maxWidth: PAGE_W - MARGIN - valueX });
    }
    return baseline;
  }

  /**
   * How the holder's name is set in a cell `width` wide: the name (kanji on Japanese certificates,
   * roman on English ones) fitted, the other form beside it when both fit on one line, else on
   * lines of its own below; on Japanese certificates the kana above the name.
   */
  nameLayout(s: Sheet, width: number, sizes: NameSizes): NameLayout {
    const { holder } = this.data;
    const [main, other] = this.ja ? [holder.nameKanji, holder.nameRoman] : [holder.nameRoman, `(${holder.nameKanji})`];
    const mainFit = s.fit(main, { size: sizes.name, minSize: Math.round(sizes.name * 0.7), maxWidth: width });
    const mainWidth = s.width(mainFit.lines[0] ?? '', mainFit.size);
    const otherWidth = s.width(other, sizes.other);
    const beside = mainFit.lines.length === 1 && mainWidth + sizes.gap + otherWidth <= width;
    return {
      main: mainFit,
      mainWidth,
      other: beside
        ? { size: sizes.other, lines: [other] }
        : s.fit(other, { size: sizes.other, minSize: Math.min(sizes.other, 7.5), maxWidth: width }),
      beside,
      kana:
        this.ja && sizes.kana > 0
          ? s.fit(holder.nameKana, { size: sizes.kana, minSize: Math.min(sizes.kana, 6), maxWidth: width })
          : undefined,
    };
  }

  /** Draws the name laid out by nameLayout with its first baseline at y; returns the last baseline. */
  drawName(s: Sheet, layout: NameLayout, x: number, y: number, width: number, sizes: NameSizes): number {
    const { main, other, kana } = layout;
    if (kana) {
      // フリガナ over the name, centred on its first line, kept inside the cell; extra lines go up.
      const kanaStep = kana.size * 1.25;
      kana.lines.forEach((line, i) => {
        const lineWidth = s.width(line, kana.size);
        const left = Math.min(Math.max(x, x + layout.mainWidth / 2 - lineWidth / 2), x + width - lineWidth);
        s.text(line, left, y - sizes.kanaRise - (kana.lines.length - 1 - i) * kanaStep, {
          size: kana.size,
          color: grey,
        });
      });
    }
    const mainStep = main.size * 1.25;
    main.lines.forEach((line, i) => s.text(line, x, y + i * mainStep, { size: main.size }));
    let last = y + (main.lines.length - 1) * mainStep;
    if (layout.beside) {
      s.text(other.lines[0] ?? '', x + layout.mainWidth + sizes.gap, last, { size: other.size, color: grey });
      return last;
    }
    const otherStep = other.size * 1.3;
    other.lines.forEach((line) => {
      last += otherStep;
      s.text(line, x, last, { size: other.size, color: grey });
    });
    return last;
  }

  /** The name row with its label: kana above (Japanese) or the name in Japanese after it (English). Returns the last baseline. */
  nameRow(s: Sheet, x: number, y: number): number {
    const valueX = this.ja ? x + 6 * 11 + 30 : x + 118 + 14;
    const width = PAGE_W - MARGIN - valueX;
    const sizes: NameSizes = this.ja
      ? { name: 17, other: 10.5, kana: 8, gap: 18, kanaRise: 19 }
      : { name: 15, other: 10.5, kana: 0, gap: 10, kanaRise: 0 };
    if (this.ja) s.distributed('氏名', x, y, 6 * 11, { size: 11 });
    else s.text('Name', x, y, { size: 10, color: grey });
    return this.drawName(s, this.nameLayout(s, width, sizes), valueX, y, width, sizes);
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
    const one = { maxLines: 1, align: 'right' } as const;
    if (this.ja) {
      if (university.address) {
        s.fitted(university.address.ja, right - 14, y - 30, {
          size: 9,
          minSize: 6,
          maxWidth: right - 14 - MARGIN,
          color: grey,
          ...one,
        });
      }
      s.fitted(this.w.issuerLine, right, y, { size: 15, minSize: 9, maxWidth: right - MARGIN, ...one });
      if (seal) drawSeal(s, this.sealGlyphs, university.name.ja, right + r - 9, y - 5.5, r);
    } else {
      const nameY = y - 14;
      s.fitted(university.presidentName.en, right, nameY, { size: 14, minSize: 9, maxWidth: right - MARGIN, ...one });
      s.fitted(this.w.issuerLine, right, nameY + 18, {
        size: 10.5,
        minSize: 7,
        maxWidth: right - MARGIN,
        color: grey,
        ...one,
      });
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
    // Three lines at most (a long university name), so the footer stays above the page number.
    y =
      s.fitted(footer.instruction, x, y, {
        size: 8,
        minSize: 8,
        maxWidth: width,
        maxLines: 3,
        leading: 1.5,
        color: grey,
      }) + 13;
    s.fitted(verificationPage(data.verificationUrl), x, y, {
      size: 9,
      minSize: 6,
      maxWidth: width,
      maxLines: 1,
      font: 'gothic',
    });
    y += 13;
    s.fitted(footer.signatureNote, x, y, { size: 8, minSize: 6, maxWidth: width, maxLines: 1, color: grey });
    if (pageNumber) {
      s.text(`${pageNumber.index} / ${pageNumber.count}`, PAGE_W / 2, PAGE_H - 42, {
        size: 9,
        align: 'center',
        color: grey,
      });
    }
  }
}
