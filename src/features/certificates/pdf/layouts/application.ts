/**
 * 受講申込書 (course application): a form the student signs by hand, addressed to the president,
 * with the student's data printed from the records in a ruled table. It carries no seal.
 */
import { CONTENT_W, grey, headerFill, ink, MARGIN, PAGE_H, PAGE_W } from '../sheet.js';
import { certificateBody } from '../wording.js';
import type { Blocks } from './blocks.js';

export function drawApplication(b: Blocks): void {
  const s = b.newPage();
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
    s.text(`${addressee}　殿`, x + 8, y, { size: 13 });
    y += 34;
    s.text(`　${certificateBody(data)}`, x + 8, y, { size: 12 });
    y += 28;
    s.text('記', PAGE_W / 2, y, { size: 12, align: 'center' });
    y += 14;
  } else {
    const head = b.letterhead(s);
    b.serialLine(s, head + 22);
    s.text(`Date: ${w.date(data.issueDate)}`, right, head + 36, { size: 9.5, align: 'right' });
    b.title(s, head + 74, 19);
    y = head + 112;
    s.text(`To: The ${university.presidentTitle.en}, ${university.name.en}`, x + 8, y, { size: 12 });
    y += 26;
    s.text(certificateBody(data), x + 8, y, { size: 12 });
    y += 18;
  }

  const labelW = b.ja ? 112 : 150;
  const rows: Array<{ label: string; value: string; height: number; size?: number; small?: string }> = b.ja
    ? [
        { label: '講座名', value: application.courseName.ja, height: 38, size: 13 },
        { label: '学籍番号', value: holder.studentNumber, height: 27 },
        { label: 'フリガナ', value: holder.nameKana, height: 22, size: 9.5 },
        { label: '氏名', value: holder.nameKanji, height: 38, size: 15, small: holder.nameRoman },
        { label: '生年月日', value: w.birth(holder.birthDate), height: 27 },
        { label: '所属', value: `${w.affiliation}　${w.yearOfStudy}`, height: 27 },
        { label: '入学年月日', value: w.date(holder.admissionDate), height: 27 },
        { label: '卒業予定年月', value: w.yearMonth(holder.expectedGraduationDate), height: 27 },
        { label: '備考', value: application.note?.ja ?? '', height: 54 },
        { label: '本人署名', value: '', height: 48 },
      ]
    : [
        { label: 'Course', value: application.courseName.en, height: 38, size: 13 },
        { label: 'Student Number', value: holder.studentNumber, height: 26 },
        { label: 'Name', value: holder.nameRoman, height: 34, size: 14, small: holder.nameKanji },
        { label: 'Date of Birth', value: w.birth(holder.birthDate), height: 26 },
        { label: 'Faculty', value: holder.faculty.en, height: 26 },
        { label: 'Department / Year', value: `${holder.department.en}, ${w.yearOfStudy}`, height: 26 },
        { label: 'Date of Admission', value: w.date(holder.admissionDate), height: 26 },
        { label: 'Expected Graduation', value: w.yearMonth(holder.expectedGraduationDate), height: 26 },
        { label: 'Notes', value: application.note?.en ?? '', height: 54 },
        { label: "Applicant's Signature", value: '', height: 48 },
      ];
  const tableTop = y;
  for (const row of rows) {
    s.box(x, y, labelW, row.height, { fill: headerFill });
    const mid = y + row.height / 2 + 3.8;
    if (b.ja) s.distributed(row.label, x + 16, mid, labelW - 32, { size: 10.5 });
    else s.text(row.label, x + 12, mid, { size: 10 });
    const size = row.size ?? 11.5;
    const valueX = x + labelW + 14;
    if (row.height > 50 && row.value) {
      s.paragraph(row.value, valueX, y + 18, CONTENT_W - labelW - 28, 15, { size: 10.5 });
    } else {
      const width = s.text(row.value, valueX, y + row.height / 2 + size * 0.36, { size });
      if (row.small) s.text(row.small, valueX + width + 16, mid, { size: 10, color: grey });
    }
    y += row.height;
  }
  // Grid: outer frame, the label column, and a line under every row.
  s.box(x, tableTop, CONTENT_W, y - tableTop, { border: ink, borderWidth: 0.9 });
  s.page.drawLine({
    start: { x: x + labelW, y: PAGE_H - tableTop },
    end: { x: x + labelW, y: PAGE_H - y },
    thickness: 0.5,
    color: ink,
  });
  let lineY = tableTop;
  for (const row of rows.slice(0, -1)) {
    lineY += row.height;
    s.hline(x, x + CONTENT_W, lineY, 0.4, ink);
  }
  y += 18;
  if (b.ja) s.text('以上', right, y, { size: 11, align: 'right' });
  y += 20;
  const notes = b.ja
    ? [
        `※ 学籍番号から卒業予定年月までの欄は、${university.name.ja}の学籍記録に基づいて出力したものです。`,
        '※ 本人署名欄は、申込者本人が自署してください。',
      ]
    : [
        `The student data in this form are printed from the records of ${university.name.en}.`,
        'The applicant signs in the signature box by hand.',
      ];
  for (const note of notes) y = s.paragraph(note, x, y, CONTENT_W, 12, { size: 8.5, color: grey }) + 13;
  b.footer(s);
}
