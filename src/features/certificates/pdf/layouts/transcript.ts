/**
 * 成績証明書 (transcript): the holder, the courses in a two-column table running over as many pages
 * as it needs, then totals, notes, the statement and the issuer.
 */
import { type CourseGrade, japaneseGrades, type TranscriptCourse } from '../../certificate.model.js';
import { formatJapaneseAcademicYear } from '../dates.js';
import { CONTENT_W, FOOTER_TOP, frame, grey, headerFill, MARGIN, PAGE_W, rule, type Sheet } from '../sheet.js';
import { wrapText } from '../text-fit.js';
import { certificateBody, titles } from '../wording.js';
import type { Blocks } from './blocks.js';

interface TableRow {
  course: TranscriptCourse;
  nameLines: string[];
  height: number;
}

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
  const rows: TableRow[] = courses.map((course) => {
    const nameLines = wrapText(b.fonts.kit.mincho, course.name[data.lang], fontSize, wName - 6);
    return { course, nameLines, height: 4.5 + nameLines.length * lineStep };
  });

  const firstTop = b.ja ? 236 : b.letterheadBottom() + 176;
  const nextTop = 126;
  const bottom = FOOTER_TOP - 22;
  const closingHeight = transcriptClosing(b, undefined, 0);

  /** Rows from `start` that fit two columns of `height`; returns where the page stops. */
  const fill = (start: number, height: number): { columns: TableRow[][]; next: number } => {
    const columns: TableRow[][] = [[], []];
    let index = start;
    for (const column of columns) {
      let used = 0;
      while (index < rows.length && (used + rows[index]!.height <= height || column.length === 0)) {
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
    const full = fill(start, bottom - top);
    const closing = fill(start, bottom - top - closingHeight);
    if (closing.next === rows.length) {
      pages.push(closing.columns); // the last page: rows and the closing block fit
      break;
    }
    const page = full.next === rows.length ? closing : full;
    pages.push(page.columns);
    start = page.next;
  } while (pages.length < 1000);

  const gradeText = (grade: CourseGrade) => (b.ja ? japaneseGrades[grade] : grade);
  const termText = (course: TranscriptCourse) =>
    b.ja
      ? `${formatJapaneseAcademicYear(course.academicYear, data.calendar)}${course.term.ja}`
      : `${course.academicYear} ${course.term.en}`;
  const count = pages.length;
  pages.forEach((columns, index) => {
    const s = b.newPage();
    let top: number;
    if (index === 0) {
      transcriptHead(b, s);
      top = firstTop;
    } else {
      b.serialLine(s, 62);
      const heading = b.ja
        ? `${titles.transcript.ja}（続き）　${data.holder.nameKanji}　学籍番号 ${data.holder.studentNumber}`
        : `${titles.transcript.en} (continued) — ${data.holder.nameRoman}, Student Number ${data.holder.studentNumber}`;
      s.text(heading, MARGIN, 100, { size: 11 });
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
          s.text(termText(course), xs.term + 4, baseline, { size: 7.5, color: grey });
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
      // 以下余白: nothing more is listed after the last course.
      s.text(b.ja ? '以下余白' : '(end of record)', lastRowEnd.x, lastRowEnd.y + 11, {
        size: 7.5,
        color: grey,
      });
      transcriptClosing(b, s, tableBottom, courses.length === 0);
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

/** Title and holder block of the transcript's first page. */
function transcriptHead(b: Blocks, s: Sheet): void {
  const { data, w } = b;
  const { holder } = data;
  const x = MARGIN;
  const half = MARGIN + CONTENT_W / 2 + 16;
  if (b.ja) {
    b.serialLine(s, 62);
    b.title(s, 112, 24);
    const pair = (label: string, value: string, lx: number, y: number, size = 11) => {
      s.distributed(label, lx, y, 50, { size: 10 });
      s.text(value, lx + 66, y, { size });
    };
    let y = 164;
    const kanjiWidth = s.width(holder.nameKanji, 14);
    s.text(holder.nameKana, x + 66 + kanjiWidth / 2, y - 15, { size: 7.5, align: 'center', color: grey });
    pair('氏名', holder.nameKanji, x, y, 14);
    s.text(holder.nameRoman, x + 66 + kanjiWidth + 12, y, { size: 9.5, color: grey });
    pair('学籍番号', holder.studentNumber, half, y);
    y += 22;
    pair('生年月日', w.birth(holder.birthDate), x, y);
    pair('入学年月日', w.date(holder.admissionDate), half, y);
    y += 22;
    pair('所属', `${w.affiliation}　${w.yearOfStudy}`, x, y);
    return;
  }
  const head = b.letterhead(s);
  b.serialLine(s, head + 22);
  s.text(`Date of Issue: ${w.date(data.issueDate)}`, PAGE_W - MARGIN, head + 36, {
    size: 9,
    align: 'right',
    color: grey,
  });
  b.title(s, head + 66, 18);
  const pair = (label: string, value: string, lx: number, y: number, size = 10.5) => {
    s.text(label, lx, y, { size: 8.5, color: grey });
    s.text(value, lx + 82, y, { size });
  };
  let y = head + 100;
  const nameWidth = s.width(holder.nameRoman, 13);
  pair('Name', holder.nameRoman, x, y, 13);
  s.text(`(${holder.nameKanji})`, x + 82 + nameWidth + 8, y, { size: 9.5, color: grey });
  pair('Student Number', holder.studentNumber, half, y);
  y += 19;
  pair('Date of Birth', w.birth(holder.birthDate), x, y);
  pair('Date of Admission', w.date(holder.admissionDate), half, y);
  y += 19;
  pair('Faculty', holder.faculty.en, x, y);
  pair('Year', w.yearOfStudy, half, y);
  y += 19;
  pair('Department', holder.department.en, x, y);
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
 * The block under the last rows: end mark, totals, notes, the statement, date and issuer. With
 * `s` it draws from `tableBottom`; without, it only measures. Returns the height it takes.
 */
function transcriptClosing(b: Blocks, s: Sheet | undefined, tableBottom: number, empty = false): number {
  const { data, w } = b;
  const transcript = data.transcript!;
  const right = MARGIN + CONTENT_W;
  const noteStyle = { size: 7.5, color: grey };
  let y = tableBottom + 13;
  if (s && empty) s.text(b.ja ? '（記載する科目はありません）' : '(no courses to list)', MARGIN + 8, y, { size: 9 });
  y += 21;
  const totals = b.ja
    ? `修得単位数合計　${transcript.creditsEarned}単位　　GPA　${transcript.gpa.toFixed(2)}`
    : `Total credits earned: ${transcript.creditsEarned}      GPA: ${transcript.gpa.toFixed(2)} (4.0 scale)`;
  s?.text(totals, right, y, { size: 11, align: 'right' });
  y += 19;
  for (const note of transcriptNotes(b)) {
    const lines = wrapText(b.fonts.kit.mincho, note, noteStyle.size, CONTENT_W);
    lines.forEach((line, i) => s?.text(line, MARGIN, y + i * 11, noteStyle));
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
