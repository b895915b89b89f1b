/** 在学証明書 and 卒業見込み証明書 (enrollment, expected graduation): one page, the holder and one sentence. */
import { grey, MARGIN, PAGE_W } from '../sheet.js';
import { certificateBody } from '../wording.js';
import type { Blocks } from './blocks.js';

export function drawStatement(b: Blocks): void {
  const s = b.newPage();
  const { data, w } = b;
  const x = MARGIN + 22;
  let y: number;
  if (b.ja) {
    b.serialLine(s, 62);
    b.title(s, 140, 28);
    y = 222;
    b.nameRow(s, x, y);
    const rows = b.holderData();
    if (data.type === 'expected_graduation')
      rows.push(['卒業見込年月', w.yearMonth(data.holder.expectedGraduationDate)]);
    y = b.holderRows(s, rows, x, y + 38, 34);
    y += 66;
    const bodyX = x;
    y = s.paragraph(`　${certificateBody(data)}`, bodyX, y, PAGE_W - MARGIN - 22 - bodyX, 28, { size: 13 });
    y += 50;
    s.text(w.date(data.issueDate), bodyX + 13, y, { size: 13 });
    b.issuer(s, Math.max(y + 68, 548), true);
  } else {
    const head = b.letterhead(s);
    b.serialLine(s, head + 22);
    s.text(`Date of Issue: ${w.date(data.issueDate)}`, PAGE_W - MARGIN, head + 36, {
      size: 9,
      align: 'right',
      color: grey,
    });
    b.title(s, head + 86, 19);
    y = head + 138;
    b.nameRow(s, x, y);
    const rows = b.holderData();
    if (data.type === 'expected_graduation') {
      rows.push(['Expected Graduation', w.yearMonth(data.holder.expectedGraduationDate)]);
    }
    y = b.holderRows(s, rows, x, y + 28, 23);
    y += 52;
    y = s.paragraph(certificateBody(data), x, y, PAGE_W - MARGIN - 22 - x, 20, { size: 12.5 });
    b.issuer(s, Math.max(y + 96, 590), true);
  }
  b.footer(s);
}
