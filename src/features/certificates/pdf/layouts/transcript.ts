/**
 * 成績証明書 (transcript): the holder, the courses in a two-column table running over as many pages
 * as it needs, then totals, notes, the statement and the issuer.
 */
import { type CourseGrade, japaneseGrades, type TranscriptCourse } from '../../certificate.model.js';
import { formatJapaneseAcademicYear } from '../dates.js';
import { CONTENT_W, FOOTER_TOP, frame, grey, headerFill, MARGIN, PAGE_W, rule, type Sheet } from '../sheet.js';
import { fitText, type FittedText, wrapText } from '../text-fit.js';
import { certificateBody, titles } from '../wording.js';
import type { Blocks, NameSizes } from './blocks.js';

interface TableRow {
  course: TranscriptCourse;
  nameLines: string[];
  term: FittedText;
  height: number;
}

/** Rows carried to the last page when only the closing block would not fit: it never stands alone. */
const CARRIED_ROWS = 2;

/**
 * The course table runs in two columns per page (left column first), as Japanese transcripts
 * do, and continues on further pages; the totals, notes, statement and issuer close the last
 * page below both columns. Year and term are printed where they change and at each column top.
 */
export function drawTranscript(b: Blocks): void {
  const { data } = b;
  const transcript = data.transcript!;
  const courses = transcript.includeFailed
    ? transcript.courses
    : transcript.courses.filter((course) => course.grade !== 'F');

  const gutter = 14;
  const colW = (CONTENT_W - gutter) / 2;
  const wTerm = b.ja ? 58 : 54;
  const wCredits = b.ja ? 24 : 30;
  const wGrade = b.ja ? 24 : 26;
  const wName = colW - wTerm - wCredits - wGrade;
  const fontSize = b.ja ? 8.5 : 8;
  const lineStep = 10.5;
  const headerHeight = 16;
  const termStyle = { size: 7.5, minSize: 6, maxWidth: wTerm - 6 };
  const termText = (course: TranscriptCourse) =>
    b.ja
      ? `${formatJapaneseAcademicYear(course.academicYear, data.calendar)}${course.term.ja}`
      : `${course.academicYear} ${course.term.en}`;
  const rows: TableRow[] = courses.map((course) => {
    const nameLines = wrapText(b.fonts.kit.mincho, course.name[data.lang], fontSize, wName - 6);
    const term = fitText(b.fonts.kit.mincho, termText(course), termStyle);
    const lines = Math.max(nameLines.length, (term.lines.length * (term.size * 1.25)) / lineStep);
    return { course, nameLines, term, height: 4.5 + lines * lineStep };
  });

  // The holder block is drawn first: how many lines a long name takes decides where the table starts.
  const first = b.newPage();
  const firstTop = transcriptHead(b, first) + (b.ja ? 28 : 19);
  const heading = continuationHeading(b);
  const headingStyle = { size: 11, minSize: 8, maxWidth: CONTENT_W, leading: 1.3 };
  const headingFit = first.fit(heading, headingStyle);
  const nextTop = 100 + (headingFit.lines.length - 1) * headingFit.size * headingStyle.leading + 26;
  const bottom = FOOTER_TOP - 22;
  const closingHeight = transcriptClosing(b, undefined, 0);

  /** Rows from `start` (before `end`) that fit two columns of `height`; returns where the page stops. */
  const fill = (start: number, height: number, end = rows.length): { columns: TableRow[][]; next: number } => {
    const columns: TableRow[][] = [[], []];
    let index = start;
    for (const column of columns) {
      let used = 0;
      while (index < end && (used + rows[index]!.height <= height || column.length === 0)) {
        used += rows[index]!.height;
        column.push(rows[index]!);
        index++;
      }
    }
    return { columns, next: index };
  };
  const pages: TableRow[][][] = [];
  let start = 0;
  do {
    const top = (pages.length === 0 ? firstTop : nextTop) + headerHeight;
    const closing = fill(start, bottom - top - closingHeight);
    if (closing.next === rows.length) {
      pages.push(closing.columns); // the last page: rows and the closing block fit
      break;
    }
    // A page that continues is filled (#9: page 1 was left 40 % empty); when the rest of the
    // list would fit but the closing block would not, the last few rows go on with it.
    const full = fill(start, bottom - top);
    const page =
      full.next === rows.length ? fill(start, bottom - top, Math.max(start + 1, rows.length - CARRIED_ROWS)) : full;
    pages.push(page.columns);
    start = page.next;
  } while (pages.length < 1000);

  const gradeText = (grade: CourseGrade) => (b.ja ? japaneseGrades[grade] : grade);
  const count = pages.length;
  pages.forEach((columns, index) => {
    const s = index === 0 ? first : b.newPage();
    let top: number;
    if (index === 0) {
      top = firstTop;
    } else {
      b.serialLine(s, 62);
      s.fitted(heading, MARGIN, 100, headingStyle);
      top = nextTop;
    }
    let tableBottom = top + headerHeight;
    let lastRowEnd = { x: MARGIN, y: top + headerHeight };
    columns.forEach((column, c) => {
      if (column.length === 0 && c > 0) return;
      const x = MARGIN + c * (colW + gutter);
      const xs = { term: x, name: x + wTerm, credits: x + wTerm + wName, grade: x + wTerm + wName + wCredits };
      s.box(x, top, colW, headerHeight, { fill: headerFill });
      const labels = b.ja ? ['年度・学期', '科目名', '単位', '評価'] : ['Year / Term', 'Course', 'Credits', 'Grade'];
      const centres = [xs.term + wTerm / 2, xs.name + wName / 2, xs.credits + wCredits / 2, xs.grade + wGrade / 2];
      labels.forEach((label, i) =>
        s.text(label, centres[i]!, top + 11, { size: 7.5, font: 'gothic', align: 'center' }),
      );
      s.hline(x, x + colW, top, 0.8, frame);
      s.hline(x, x + colW, top + headerHeight, 0.5, frame);
      let y = top + headerHeight;
      let previous: TranscriptCourse | undefined;
      for (const row of column) {
        const baseline = y + 3 + 7.5;
        const { course } = row;
        if (
          !previous ||
          previous.academicYear !== course.academicYear ||
          previous.term.en !== course.term.en ||
          previous.term.ja !== course.term.ja
        ) {
          const { size, lines } = row.term;
          lines.forEach((line, i) => s.text(line, xs.term + 4, baseline + i * size * 1.25, { size, color: grey }));
        }
        row.nameLines.forEach((line, i) => s.text(line, xs.name + 3, baseline + i * lineStep, { size: fontSize }));
        s.text(String(course.credits), centres[2]!, baseline, { size: fontSize, align: 'center' });
        s.text(gradeText(course.grade), centres[3]!, baseline, { size: fontSize, align: 'center' });
        y += row.height;
        s.hline(x, x + colW, y, 0.25, rule);
        previous = course;
      }
      tableBottom = Math.max(tableBottom, y);
      lastRowEnd = { x: xs.name + 3, y };
      s.hline(x, x + colW, y, 0.8, frame);
    });
    if (index === count - 1) {
      let endMark = lastRowEnd.y + 11;
      if (courses.length === 0) {
        s.text(b.ja ? '（記載する科目はありません）' : '(no courses to list)', lastRowEnd.x, endMark, { size: 9 });
        endMark += 12;
      }
      // 以下余白: nothing more is listed after the last course.
      s.text(b.ja ? '以下余白' : '(end of record)', lastRowEnd.x, endMark, { size: 7.5, color: grey });
      transcriptClosing(b, s, tableBottom);
    } else {
      s.text(b.ja ? '（次頁に続く）' : '(continued on the next page)', MARGIN + CONTENT_W, tableBottom + 13, {
        size: 8,
        align: 'right',
        color: grey,
      });
    }
    b.footer(s, { index: index + 1, count });
  });
}

/** What a continuing page says at its top: whose transcript it continues. */
function continuationHeading(b: Blocks): string {
  const { holder } = b.data;
  return b.ja
    ? `${titles.transcript.ja}（続き）　${holder.nameKanji}　学籍番号 ${holder.studentNumber}`
    : `${titles.transcript.en} (continued) — ${holder.nameRoman}, Student Number ${holder.studentNumber}`;
}

/** One label and value of the holder block; the name is the holder's name block. */
type HolderItem = { label: string; value: string | typeof NAME; full?: boolean };
const NAME = Symbol('name');

/**
 * Title and holder block of the transcript's first page: label / value pairs two to a row, where
 * a value too long for half the width (a long name or faculty) takes the whole row (#9: a long
 * name ran into the student number). Returns the last baseline.
 */
function transcriptHead(b: Blocks, s: Sheet): number {
  const { data, w } = b;
  const { holder } = data;
  let y: number;
  let items: HolderItem[];
  if (b.ja) {
    b.serialLine(s, 62);
    b.title(s, 112, 24);
    y = 164;
    items = [
      { label: '氏名', value: NAME },
      { label: '学籍番号', value: holder.studentNumber },
      { label: '生年月日', value: w.birth(holder.birthDate) },
      { label: '入学年月日', value: w.date(holder.admissionDate) },
      { label: '所属', value: `${w.affiliation}　${w.yearOfStudy}`, full: true },
    ];
  } else {
    const head = b.letterhead(s);
    b.serialLine(s, head + 22);
    s.text(`Date of Issue: ${w.date(data.issueDate)}`, PAGE_W - MARGIN, head + 36, {
      size: 9,
      align: 'right',
      color: grey,
    });
    b.title(s, head + 66, 18);
    y = head + 100;
    items = [
      { label: 'Name', value: NAME },
      { label: 'Student Number', value: holder.studentNumber },
      { label: 'Date of Birth', value: w.birth(holder.birthDate) },
      { label: 'Date of Admission', value: w.date(holder.admissionDate) },
      { label: 'Faculty', value: holder.faculty.en },
      { label: 'Year', value: w.yearOfStudy },
      { label: 'Department', value: holder.department.en },
    ];
  }
  const valueOffset = b.ja ? 66 : 82;
  const size = b.ja ? 11 : 10.5;
  const step = b.ja ? 22 : 19;
  const half = MARGIN + CONTENT_W / 2 + 16;
  const halfWidths = [half - 12 - (MARGIN + valueOffset), PAGE_W - MARGIN - (half + valueOffset)] as const;
  const fullWidth = PAGE_W - MARGIN - (MARGIN + valueOffset);
  const nameSizes: NameSizes = b.ja
    ? { name: 14, other: 9.5, kana: 7.5, gap: 12, kanaRise: 15 }
    : { name: 13, other: 9.5, kana: 0, gap: 8, kanaRise: 0 };
  const valueStyle = (maxWidth: number) => ({ size, minSize: size * 0.8, maxWidth });
  const fitsIn = (item: HolderItem, width: number) => {
    if (item.full) return false;
    if (item.value !== NAME) return s.fit(item.value, valueStyle(width)).lines.length <= 1;
    const name = b.nameLayout(s, width, nameSizes);
    return name.main.lines.length === 1 && name.other.lines.length === 1 && (name.kana?.lines.length ?? 0) <= 1;
  };
  const draw = (item: HolderItem, lx: number, baseline: number, width: number): number => {
    if (b.ja) s.distributed(item.label, lx, baseline, 50, { size: 10 });
    else s.text(item.label, lx, baseline, { size: 8.5, color: grey });
    const vx = lx + valueOffset;
    if (item.value !== NAME) return s.fitted(item.value, vx, baseline, { ...valueStyle(width), leading: 1.25 });
    return b.drawName(s, b.nameLayout(s, width, nameSizes), vx, baseline, width, nameSizes);
  };
  let last = y;
  let column = 0;
  for (const item of items) {
    // A row is full after two halves or one whole-width item; an item too wide for the right half starts a row.
    if (column === 2 || (column === 1 && !fitsIn(item, halfWidths[1]))) {
      y = last + step;
      column = 0;
    }
    const width = halfWidths[column === 0 ? 0 : 1];
    const inHalf = fitsIn(item, width);
    last = Math.max(last, draw(item, column === 0 ? MARGIN : half, y, inHalf ? width : fullWidth));
    column = inHalf ? column + 1 : 2;
  }
  return last;
}

function transcriptNotes(b: Blocks): string[] {
  const transcript = b.data.transcript!;
  return b.ja
    ? [
        '※ 評価：秀（S）・優（A）・良（B）・可（C）は合格、不可（F）は不合格。GPAは秀4・優3・良2・可1・不可0として算出（4.0満点）。',
        transcript.includeFailed
          ? '※ 不合格（不可）となった科目も記載しています。'
          : '※ 不合格（不可）となった科目は記載していません。',
      ]
    : [
        'Grades: S, A, B and C are passing grades; F is a failing grade. GPA counts S = 4, A = 3, B = 2, C = 1, F = 0 (4.0 scale).',
        transcript.includeFailed
          ? 'Failed courses (F) are included in this record.'
          : 'Failed courses (F) are not listed in this record.',
      ];
}

/**
 * The block under the last rows (below the end mark): totals, notes, the statement, date and issuer. With
 * `s` it draws from `tableBottom`; without, it only measures. Returns the height it takes.
 */
function transcriptClosing(b: Blocks, s: Sheet | undefined, tableBottom: number): number {
  const { data, w } = b;
  const transcript = data.transcript!;
  const right = MARGIN + CONTENT_W;
  // A note a little too long for the line is set a little smaller rather than left a word on a line of its own.
  const noteStyle = { size: 7.5, minSize: 7, maxWidth: CONTENT_W, color: grey };
  let y = tableBottom + 34;
  const totals = b.ja
    ? `修得単位数合計　${transcript.creditsEarned}単位　　GPA　${transcript.gpa.toFixed(2)}`
    : `Total credits earned: ${transcript.creditsEarned}      GPA: ${transcript.gpa.toFixed(2)} (4.0 scale)`;
  s?.text(totals, right, y, { size: 11, align: 'right' });
  y += 19;
  for (const note of transcriptNotes(b)) {
    const { size, lines } = fitText(b.fonts.kit.mincho, note, noteStyle);
    lines.forEach((line, i) => s?.text(line, MARGIN, y + i * 11, { ...noteStyle, size }));
    y += lines.length * 11;
  }
  y += 22;
  const body = b.ja ? `　${certificateBody(data)}` : certificateBody(data);
  const bodyStyle = { size: b.ja ? 12 : 11 };
  const bodyLines = wrapText(b.fonts.kit.mincho, body, bodyStyle.size, CONTENT_W - 16);
  bodyLines.forEach((line, i) => s?.text(line, MARGIN + 8, y + i * 17, bodyStyle));
  y += (bodyLines.length - 1) * 17;
  if (b.ja) {
    y += 26;
    s?.text(w.date(data.issueDate), MARGIN + 20, y, { size: 12 });
  }
  y += b.ja ? 60 : 56;
  if (s) b.issuer(s, y, true);
  // The seal reaches about 24 pt below the issuer's baseline.
  return y + 26 - tableBottom;
}
