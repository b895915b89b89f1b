/** 在学証明書 and 卒業見込み証明書 (enrollment, expected graduation): one page, the holder and one sentence. */
import { FOOTER_TOP, grey, MARGIN, PAGE_W, type Sheet } from '../sheet.js';
import { certificateBody } from '../wording.js';
import { type Blocks, squeezeToFit } from './blocks.js';

/**
 * Where the text above the issuer may end at the latest: room for the issuer and the seal above
 * the footer. In Japanese it is the date's baseline (the issuer's address sits 30 pt above the
 * issuer line), in English the body's last baseline (the seal reaches 50 pt above the issuer line).
 */
const ISSUER_LOWEST = { ja: FOOTER_TOP - 26, en: FOOTER_TOP - 14 };
const TEXT_LOWEST = { ja: ISSUER_LOWEST.ja - 44, en: ISSUER_LOWEST.en - 58 };

export function drawStatement(b: Blocks): void {
  const s = b.newPage();
  const lang = b.ja ? 'ja' : 'en';
  // A long name or faculty takes more lines: the space between the blocks gives way (squeeze 0
  // is the tightest spacing, 1 the natural one), so the page never runs into its footer.
  const squeeze = squeezeToFit((value) => drawHolderAndBody(b, s.measuring(), value), TEXT_LOWEST[lang]);
  const y = drawHolderAndBody(b, s, squeeze);
  if (b.ja) b.issuer(s, Math.min(Math.max(y + 68, 548), ISSUER_LOWEST.ja), true);
  else b.issuer(s, Math.min(Math.max(y + 96, 590), ISSUER_LOWEST.en), true);
  b.footer(s);
}

/**
 * Everything above the issuer, the gaps between blocks set by `squeeze` (0–1). Returns the last
 * baseline: the date (Japanese) or the body (English).
 */
function drawHolderAndBody(b: Blocks, s: Sheet, squeeze: number): number {
  const { data, w } = b;
  const gap = (natural: number, tightest: number) => tightest + squeeze * (natural - tightest);
  const x = MARGIN + 22;
  let y: number;
  if (b.ja) {
    b.serialLine(s, 62);
    b.title(s, 140, 28);
    y = b.nameRow(s, x, 222);
    const rows = b.holderData();
    if (data.type === 'expected_graduation')
      rows.push(['卒業見込年月', w.yearMonth(data.holder.expectedGraduationDate)]);
    y = b.holderRows(s, rows, x, y + gap(38, 24), gap(34, 18));
    y += gap(66, 36);
    const bodyX = x;
    y = s.paragraph(`　${certificateBody(data)}`, bodyX, y, PAGE_W - MARGIN - 22 - bodyX, gap(28, 19), { size: 13 });
    y += gap(50, 30);
    s.text(w.date(data.issueDate), bodyX + 13, y, { size: 13 });
    return y;
  }
  const head = b.letterhead(s);
  b.serialLine(s, head + 22);
  s.text(`Date of Issue: ${w.date(data.issueDate)}`, PAGE_W - MARGIN, head + 36, {
    size: 9,
    align: 'right',
    color: grey,
  });
  b.title(s, head + 86, 19);
  y = b.nameRow(s, x, head + 138);
  const rows = b.holderData();
  if (data.type === 'expected_graduation') {
    rows.push(['Expected Graduation', w.yearMonth(data.holder.expectedGraduationDate)]);
  }
  y = b.holderRows(s, rows, x, y + gap(28, 20), gap(23, 16));
  y += gap(52, 30);
  return s.paragraph(certificateBody(data), x, y, PAGE_W - MARGIN - 22 - x, gap(20, 15.5), { size: 12.5 });
}
