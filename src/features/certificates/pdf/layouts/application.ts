/**
 * 受講申込書 (course application): a form the student signs by hand, addressed to the president,
 * with the student's data printed from the records in a ruled table. It carries no seal.
 */
import { CONTENT_W, FOOTER_TOP, grey, headerFill, ink, MARGIN, PAGE_W, type Sheet } from '../sheet.js';
import { certificateBody } from '../wording.js';
import { type Blocks, type NameSizes, squeezeToFit } from './blocks.js';

/** The holder's name (with the other form of it) in the name row. */
const NAME = Symbol('name');

interface Row {
  label: string;
  value: string | typeof NAME;
  /** The row's height when its value fits on one line. */
  height: number;
  size?: number;
  /** Set as a paragraph from the top (notes), not centred. */
  paragraph?: boolean;
}

/** Where the notes under the form may end at the latest: above the footer's rule. */
const LOWEST = FOOTER_TOP - 10;

export function drawApplication(b: Blocks): void {
  const s = b.newPage();
  // Long values make rows taller: the rows' spare height and the gaps give way (squeeze 0 is the
  // tightest, 1 the natural spacing), so the form never runs into its footer (#9).
  drawForm(
    b,
    s,
    squeezeToFit((squeeze) => drawForm(b, s.measuring(), squeeze), LOWEST),
  );
  b.footer(s);
}

/** The form above the footer, its spacing set by `squeeze` (0–1). Returns the last baseline. */
function drawForm(b: Blocks, s: Sheet, squeeze: number): number {
  const gap = (natural: number, tightest: number) => tightest + squeeze * (natural - tightest);
  const { data, w } = b;
  const { holder, university } = data;
  const application = data.courseApplication!;
  const x = MARGIN;
  const right = PAGE_W - MARGIN;
  let y: number;
  if (b.ja) {
    b.serialLine(s, 62);
    s.text(`申込日　${w.date(data.issueDate)}`, right, 80, { size: 10.5, align: 'right' });
    b.title(s, 126, 26);
    y = 172;
    const addressee = w.issuerLine.replace(/　[^　]*$/, '');
    y = s.fitted(`${addressee}　殿`, x + 8, y, { size: 13, minSize: 10, maxWidth: CONTENT_W - 8 });
    y += gap(34, 24);
    s.text(`　${certificateBody(data)}`, x + 8, y, { size: 12 });
    y += gap(28, 20);
    s.text('記', PAGE_W / 2, y, { size: 12, align: 'center' });
    y += 14;
  } else {
    const head = b.letterhead(s);
    b.serialLine(s, head + 22);
    s.text(`Date: ${w.date(data.issueDate)}`, right, head + 36, { size: 9.5, align: 'right' });
    b.title(s, head + 74, 19);
    y = head + 112;
    y = s.fitted(`To: The ${university.presidentTitle.en}, ${university.name.en}`, x + 8, y, {
      size: 12,
      minSize: 9,
      maxWidth: CONTENT_W - 8,
    });
    y += gap(26, 18);
    s.text(certificateBody(data), x + 8, y, { size: 12 });
    y += 18;
  }

  const labelW = b.ja ? 112 : 150;
  const rows: Row[] = b.ja
    ? [
        { label: '講座名', value: application.courseName.ja, height: 38, size: 13 },
        { label: '学籍番号', value: holder.studentNumber, height: 27 },
        { label: 'フリガナ', value: holder.nameKana, height: 22, size: 9.5 },
        { label: '氏名', value: NAME, height: 38, size: 15 },
        { label: '生年月日', value: w.birth(holder.birthDate), height: 27 },
        { label: '所属', value: `${w.affiliation}　${w.yearOfStudy}`, height: 27 },
        { label: '入学年月日', value: w.date(holder.admissionDate), height: 27 },
        { label: '卒業予定年月', value: w.yearMonth(holder.expectedGraduationDate), height: 27 },
        { label: '備考', value: application.note?.ja ?? '', height: 54, paragraph: true },
        { label: '本人署名', value: '', height: 48 },
      ]
    : [
        { label: 'Course', value: application.courseName.en, height: 38, size: 13 },
        { label: 'Student Number', value: holder.studentNumber, height: 26 },
        { label: 'Name', value: NAME, height: 34, size: 14 },
        { label: 'Date of Birth', value: w.birth(holder.birthDate), height: 26 },
        { label: 'Faculty', value: holder.faculty.en, height: 26 },
        { label: 'Department / Year', value: `${holder.department.en}, ${w.yearOfStudy}`, height: 26 },
        { label: 'Date of Admission', value: w.date(holder.admissionDate), height: 26 },
        { label: 'Expected Graduation', value: w.yearMonth(holder.expectedGraduationDate), height: 26 },
        { label: 'Notes', value: application.note?.en ?? '', height: 54, paragraph: true },
        { label: "Applicant's Signature", value: '', height: 48 },
      ];
  const valueX = x + labelW + 14;
  const valueWidth = CONTENT_W - labelW - 28;
  const nameSizes: NameSizes = { name: b.ja ? 15 : 14, other: 10, kana: 0, gap: 16, kanaRise: 0 };
  /**
   * Each value is fitted into its cell (shrunk, then wrapped) and the row grows to hold it (#9):
   * returns the block's height from its first line's top and draws it when given where.
   */
  const valueBlock = (row: Row, sheet: Sheet, top?: number): number => {
    const size = row.size ?? 11.5;
    if (row.value === NAME) {
      const layout = b.nameLayout(sheet, valueWidth, nameSizes);
      const ascent = 0.88 * layout.main.size;
      const lastBaseline = b.drawName(
        top === undefined ? sheet.measuring() : sheet,
        layout,
        valueX,
        (top ?? 0) + ascent,
        valueWidth,
        nameSizes,
      );
      const lastSize = layout.beside ? layout.main.size : layout.other.size;
      return lastBaseline + 0.12 * lastSize - (top ?? 0);
    }
    const fit = sheet.fit(row.value, { size, minSize: size * 0.75, maxWidth: valueWidth });
    const step = fit.size * 1.25;
    if (top !== undefined)
      fit.lines.forEach((line, i) => sheet.text(line, valueX, top + 0.88 * fit.size + i * step, { size: fit.size }));
    return (fit.lines.length - 1) * step + fit.size;
  };
  // A long note is set smaller before the page runs out.
  const noteStyle = { size: gap(10.5, 8.5) };
  const noteLeading = noteStyle.size * 1.4;
  const tableTop = y;
  for (const row of rows) {
    if (row.paragraph && row.value !== NAME) {
      const lastBaseline = s.measuring().paragraph(row.value, valueX, 0, valueWidth, noteLeading, noteStyle);
      row.height = Math.max(gap(row.height, 40), 18 + lastBaseline + 8);
    } else {
      row.height = Math.max(gap(row.height, row.value ? row.height * 0.7 : 40), valueBlock(row, s) + 12);
    }
    s.box(x, y, labelW, row.height, { fill: headerFill });
    const mid = y + row.height / 2 + 3.8;
    if (b.ja) s.distributed(row.label, x + 16, mid, labelW - 32, { size: 10.5 });
    else s.text(row.label, x + 12, mid, { size: 10 });
    if (row.paragraph && row.value !== NAME) s.paragraph(row.value, valueX, y + 18, valueWidth, noteLeading, noteStyle);
    else valueBlock(row, s, y + (row.height - valueBlock(row, s)) / 2);
    y += row.height;
  }
  // Grid: outer frame, the label column, and a line under every row.
  s.box(x, tableTop, CONTENT_W, y - tableTop, { border: ink, borderWidth: 0.9 });
  s.vline(x + labelW, tableTop, y, 0.5, ink);
  let lineY = tableTop;
  for (const row of rows.slice(0, -1)) {
    lineY += row.height;
    s.hline(x, x + CONTENT_W, lineY, 0.4, ink);
  }
  y += gap(18, 14);
  if (b.ja) s.text('以上', right, y, { size: 11, align: 'right' });
  y += gap(20, 15);
  const notes = b.ja
    ? [
        `※ 学籍番号から卒業予定年月までの欄は、${university.name.ja}の学籍記録に基づいて出力したものです。`,
        '※ 本人署名欄は、申込者本人が自署してください。',
      ]
    : [
        `The student data in this form are printed from the records of ${university.name.en}.`,
        'The applicant signs in the signature box by hand.',
      ];
  let last = y;
  for (const note of notes) {
    last = s.paragraph(note, x, y, CONTENT_W, 12, { size: 8.5, color: grey });
    y = last + gap(13, 11);
  }
  return last;
}
