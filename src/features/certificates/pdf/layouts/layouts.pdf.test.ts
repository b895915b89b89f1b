/**
 * #9 §2 "Layout": every text the layouts place, recorded at the one drawing call (PDFPage.drawText)
 * for many generated documents — every type in both languages, names of 1–60 characters in kanji,
 * kana, roman letters or mixed, course lists of 0–120 courses with long names — must stay inside
 * the page's margins and overlap no other text.
 */
import { PDFPage, type PDFFont } from 'pdf-lib';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { sampleCertificate, sampleCourses, sampleIssuedAt } from '../../../../../test/helpers/certificate-fixtures.js';
import { type CertificateData, type CertificateType, certificateTypes, courseGrades } from '../../certificate.model.js';
import { CertificateRenderer } from '../certificate.renderer.js';
import { FOOTER_TOP, MARGIN, PAGE_H, PAGE_W } from '../sheet.js';

interface TextBox {
  page: number;
  text: string;
  left: number;
  right: number;
  /** Measured from the top of the page, as the layouts are written. */
  top: number;
  bottom: number;
}

// The IPAex fonts' ascent and descent (1802 and −246 of 2048 units): the em box of a line.
const ASCENT = 1802 / 2048;
const DESCENT = 246 / 2048;
// Text stays within the side margins and inside the inner frame line (30.5 pt from the edge).
const FRAME_INSET = 30.5 + 6;

let renderer: CertificateRenderer;
let drawn: Array<{ page: PDFPage; text: string; x: number; y: number; size: number; font: PDFFont }>;

beforeAll(() => {
  renderer = new CertificateRenderer();
});

beforeEach(() => {
  drawn = [];
  const original = PDFPage.prototype.drawText;
  vi.spyOn(PDFPage.prototype, 'drawText').mockImplementation(function (this: PDFPage, text, options = {}) {
    drawn.push({ page: this, text, x: options.x!, y: options.y!, size: options.size!, font: options.font! });
    original.call(this, text, options);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Renders the certificate and returns every text box drawn, by page. */
async function textBoxes(data: CertificateData): Promise<TextBox[][]> {
  drawn = [];
  await renderer.render(data, sampleIssuedAt);
  const pages: PDFPage[] = [];
  const boxes: TextBox[][] = [];
  for (const call of drawn) {
    let page = pages.indexOf(call.page);
    if (page < 0) {
      page = pages.push(call.page) - 1;
      boxes.push([]);
    }
    const baseline = PAGE_H - call.y;
    boxes[page]!.push({
      page: page + 1,
      text: call.text,
      left: call.x,
      right: call.x + call.font.widthOfTextAtSize(call.text, call.size),
      top: baseline - ASCENT * call.size,
      bottom: baseline + DESCENT * call.size,
    });
  }
  return boxes;
}

const EPSILON = 0.01;
const overlaps = (a: TextBox, b: TextBox) =>
  a.left < b.right - EPSILON && b.left < a.right - EPSILON && a.top < b.bottom - EPSILON && b.top < a.bottom - EPSILON;
const describeBox = (box: TextBox) =>
  `p${box.page} "${box.text}" [${box.left.toFixed(1)}–${box.right.toFixed(1)} × ${box.top.toFixed(1)}–${box.bottom.toFixed(1)}]`;

/** What is wrong with the boxes: pairs that overlap and boxes outside the margins. */
function layoutFaults(pages: TextBox[][]): string[] {
  const faults: string[] = [];
  for (const boxes of pages) {
    for (const box of boxes) {
      if (box.left < MARGIN - EPSILON || box.right > PAGE_W - MARGIN + EPSILON) {
        faults.push(`outside the side margins: ${describeBox(box)}`);
      }
      if (box.top < FRAME_INSET || box.bottom > PAGE_H - FRAME_INSET)
        faults.push(`outside the frame: ${describeBox(box)}`);
      if (box.top < FOOTER_TOP && box.bottom > FOOTER_TOP) faults.push(`across the footer's rule: ${describeBox(box)}`);
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        if (overlaps(boxes[i]!, boxes[j]!))
          faults.push(`overlap: ${describeBox(boxes[i]!)} and ${describeBox(boxes[j]!)}`);
      }
    }
  }
  return faults;
}

const flat = (text: string) => text.replace(/[\s　]+/g, '');

/** Text that fitting must never drop: the whole name and every course, however they wrap. */
function missingTexts(data: CertificateData, pages: TextBox[][]): string[] {
  const drawnText = flat(
    pages
      .flat()
      .map((box) => box.text)
      .join(''),
  );
  const { holder } = data;
  const expected = [holder.nameKanji, holder.nameRoman, ...(data.lang === 'ja' ? [holder.nameKana] : [])];
  for (const course of data.transcript?.courses ?? []) expected.push(course.name[data.lang]);
  return expected.filter((text) => !drawnText.includes(flat(text)));
}

/** A small seeded generator (mulberry32), so every run draws the same documents. */
function seeded(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const chars = (pool: string, length: number) => Array.from({ length }, () => pick([...pool])).join('');
  return { next, int, pick, chars };
}
type Random = ReturnType<typeof seeded>;

const kanji =
  '山田佐藤鈴木高橋渡辺伊中小林加吉松井上清水森池橋本阿部石川前岡村長坂遠近藤太郎花子一二三健翔美優陽菜結愛大輝蓮樹';
const kana =
  'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワンガギグゲゴパピプペポ';
const roman = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const nameKinds = ['kanji', 'kana', 'roman', 'mixed'] as const;

/** A name of exactly `length` characters in one script (or mixed), with a space between parts. */
function nameOf(r: Random, kind: (typeof nameKinds)[number], length: number): string {
  const pool = { kanji, kana, roman, mixed: kanji + kana + roman + roman.toLowerCase() }[kind];
  const name = [...r.chars(pool, length)];
  const space = kind === 'roman' ? ' ' : '　';
  for (let at = r.int(2, 6); at < length - 1; at += r.int(3, 12)) name[at] = space;
  return name.join('');
}

const courseWords = [
  'Advanced',
  'Seminar',
  'Topics',
  'International',
  'Comparative',
  'Environmental',
  'Analysis',
  'Policy',
  'and',
  'of',
  'Economics',
  'Law',
  'Engineering',
  '(Intensive)',
];

/** Courses as the fixture has them, every few with a long name (Japanese and English). */
function coursesOf(r: Random, count: number) {
  return sampleCourses(count).map((course, i) =>
    i % 3 === 0
      ? {
          ...course,
          name: {
            ja: `${course.name.ja}（${r.chars(kanji + kana, r.int(8, 60))}）`,
            en: Array.from({ length: r.int(4, 14) }, () => r.pick(courseWords)).join(' '),
          },
          grade: r.pick(courseGrades),
          credits: r.int(1, 12),
        }
      : course,
  );
}

/** The sample certificate with a generated holder (and course list, for transcripts). */
function generated(r: Random, type: CertificateType, lang: 'ja' | 'en', index: number): CertificateData {
  const data = sampleCertificate(type, lang);
  const kind = nameKinds[index % nameKinds.length]!;
  // The longest name in every script first, then the shortest, then any length.
  const length = index < 4 ? 60 : index < 8 ? 1 : r.int(1, 60);
  data.holder.nameKanji = nameOf(r, kind, length);
  data.holder.nameKana = nameOf(r, kind === 'roman' ? 'roman' : 'kana', Math.min(60, length * r.int(1, 2)));
  data.holder.nameRoman = nameOf(r, 'roman', index < 4 ? 60 : index < 8 ? 1 : r.int(1, 60));
  if (index === 2 || index === 5) {
    data.university = {
      name: {
        ja: '国立大学法人東京国際文化芸術工科大学',
        en: 'Tokyo International University of Culture, Arts and Technology',
      },
      presidentTitle: { ja: '学長', en: 'President' },
      presidentName: { ja: '長谷川 左右衛門太郎', en: 'HASEGAWA Sauemontaro Alexander' },
      address: {
        ja: '〒100-0001　東京都千代田区千代田1-1-1　国際文化芸術工科大学本部棟',
        en: '1-1-1 Chiyoda, Chiyoda-ku, Tokyo 100-0001, Japan (Headquarters Building, Main Campus)',
      },
    };
  }
  if (r.next() < 0.3) {
    data.holder.faculty = {
      ja: '国際文化交流学部',
      en: 'Faculty of International and Intercultural Communication Studies',
    };
    data.holder.department = {
      ja: '国際コミュニケーション学科',
      en: 'Department of Global Communication and Cross-Cultural Mediation',
    };
  }
  if (type === 'course_application' && index % 2 === 1) {
    data.courseApplication = {
      courseName: {
        ja: r.chars(kanji + kana, r.int(20, 70)),
        en: Array.from({ length: r.int(6, 16) }, () => r.pick(courseWords)).join(' '),
      },
      note: {
        ja: r.chars(kanji + kana + '、。', r.int(40, 160)),
        en: Array.from({ length: r.int(20, 50) }, () => r.pick(courseWords)).join(' '),
      },
    };
  }
  if (type === 'transcript') {
    const count = index === 0 ? 0 : index === 1 ? 120 : r.int(0, 120);
    data.transcript!.courses = coursesOf(r, count);
  }
  return data;
}

const langs = ['ja', 'en'] as const;
const DOCUMENTS_PER_KIND = 10;

describe('#9 §2 layout: text fits, nothing overlaps, nothing leaves the frame', () => {
  describe.each(certificateTypes.flatMap((type) => langs.map((lang) => [type, lang] as const)))(
    '%s in %s',
    (type, lang) => {
      it(`#9: ${DOCUMENTS_PER_KIND} generated holders${type === 'transcript' ? ' and course lists' : ''}: no text overlaps or leaves the margins`, async () => {
        const r = seeded(certificateTypes.indexOf(type) * 2 + langs.indexOf(lang) + 1);
        const faults: string[] = [];
        for (let index = 0; index < DOCUMENTS_PER_KIND; index++) {
          const data = generated(r, type, lang, index);
          const pages = await textBoxes(data);
          const found = [
            ...layoutFaults(pages),
            ...missingTexts(data, pages).map((text) => `not printed whole: ${text}`),
          ];
          if (found.length > 0)
            faults.push(`document ${index} (${data.holder.nameKanji.length} chars): ${found.slice(0, 3).join('; ')}`);
        }
        expect(faults).toEqual([]);
      });
    },
  );

  it('#9: the sample certificates (fixture) lay out without faults', async () => {
    for (const type of certificateTypes) {
      for (const lang of langs)
        expect(layoutFaults(await textBoxes(sampleCertificate(type, lang))), `${type}/${lang}`).toEqual([]);
    }
  });

  it('#9: a transcript fills page 1 before it continues (no page but the last is more than 15 % empty)', async () => {
    for (const lang of langs) {
      for (const count of [40, 52, 60, 75, 110]) {
        const pages = await textBoxes(sampleCertificate('transcript', lang, { courses: count }));
        pages.slice(0, -1).forEach((boxes, index) => {
          const tableTop =
            index === 0 ? boxes.find((box) => box.text === (lang === 'ja' ? '科目名' : 'Course'))!.top : MARGIN;
          const lowest = Math.max(...boxes.filter((box) => box.bottom < FOOTER_TOP).map((box) => box.bottom));
          const empty = (FOOTER_TOP - lowest) / (FOOTER_TOP - tableTop);
          expect(empty, `${lang}, ${count} courses, page ${index + 1} of ${pages.length}`).toBeLessThan(0.15);
        });
      }
    }
  });
});
