import fontkit from '@pdf-lib/fontkit';
import jsQRModule from 'jsqr';
import { PDFDocument } from 'pdf-lib';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { type CertificateData, type CertificateType, certificateTypes } from '../certificate.model.js';
import { sampleCertificate, sampleIssuedAt } from '../../../../test/helpers/certificate-fixtures.js';
import {
  pdftoppm,
  pdftotext,
  pdfWordBoxes,
  popplerAvailable,
  skipWithoutPoppler,
} from '../../../../test/helpers/poppler.js';
import { CertificateRenderer } from './certificate.renderer.js';
import { type CertificateSigner, createDevelopmentSigner } from './certificate.signing.js';
import { openPkcs12Signer } from '../signing/pkcs12-signer.js';
import { CertificateTextError } from './data-checks.js';
import { readCertificateIds } from './certificate-ids.js';
import { certificateBody } from './wording.js';

// jsqr is CommonJS with an ES-style default export: under NodeNext the function is .default.
const jsQR = (jsQRModule as unknown as { default: typeof jsQRModule.default }).default;

const langs = ['ja', 'en'] as const;
let renderer: CertificateRenderer;
let signer: CertificateSigner;

beforeAll(() => {
  renderer = new CertificateRenderer();
  const dev = createDevelopmentSigner('Demo University (development)', 'Demo University', sampleIssuedAt);
  signer = { key: openPkcs12Signer(Buffer.from(dev.p12Base64, 'base64'), dev.passphrase), name: 'デモ大学' };
});

const rendered = new Map<string, Promise<Uint8Array>>();
/** Each sample rendered (and signed) once for the whole file. */
function sample(type: CertificateType, lang: 'ja' | 'en'): Promise<Uint8Array> {
  const key = `${type}/${lang}`;
  let pdf = rendered.get(key);
  if (!pdf) {
    pdf = renderer.render(sampleCertificate(type, lang, sampleOptions(type)), sampleIssuedAt, signer);
    rendered.set(key, pdf);
  }
  return pdf;
}

/** Transcripts of the per-type tests list 16 courses: one page in both languages. */
function sampleOptions(type: CertificateType) {
  return type === 'transcript' ? { courses: 16 } : {};
}

/** Text with all white space removed: lines break anywhere in Japanese. */
const flat = (text: string) => text.replace(/\s+/g, '');

function decodePng(bytes: Buffer): PNG {
  return PNG.sync.read(bytes);
}

/** Pixels in a box darker than `below` (0–255): paper is 255, small grey text at 50 dpi ~180. */
function inkPixels(png: PNG, box: { x0: number; y0: number; x1: number; y1: number }, below: number): number {
  let count = 0;
  for (let y = Math.max(0, box.y0); y < Math.min(png.height, box.y1); y++) {
    for (let x = Math.max(0, box.x0); x < Math.min(png.width, box.x1); x++) {
      const i = (y * png.width + x) * 4;
      if ((png.data[i]! + png.data[i + 1]! + png.data[i + 2]!) / 3 < below) count++;
    }
  }
  return count;
}

function sealPixels(png: PNG): number {
  let count = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
    if (r > 170 && g < 120 && b < 120) count++;
  }
  return count;
}

/** What each certificate must say (SPEC appendix "what Japanese university certificates say"). */
function expectedTexts(data: CertificateData): string[] {
  const { holder } = data;
  const common = [holder.studentNumber, holder.nameRoman, data.serial, data.verificationCode, certificateBody(data)];
  if (data.lang === 'ja') {
    const titles: Record<CertificateType, string> = {
      enrollment: '在学証明書',
      transcript: '成績証明書',
      expected_graduation: '卒業見込み証明書',
      course_application: '受講申込書',
    };
    return [
      ...common,
      titles[data.type],
      holder.nameKanji,
      holder.nameKana,
      '平成16年4月1日生',
      '令和8年11月22日',
      '経済学部',
      '経済学科',
      '照合コード',
      'https://shomei.demo.example/t/demo/verify',
      data.type === 'course_application' ? 'デモ大学長殿' : 'デモ大学長鈴木一郎',
    ];
  }
  const titles: Record<CertificateType, string> = {
    enrollment: 'CERTIFICATE OF ENROLLMENT',
    transcript: 'ACADEMIC TRANSCRIPT',
    expected_graduation: 'CERTIFICATE OF EXPECTED GRADUATION',
    course_application: 'COURSE APPLICATION FORM',
  };
  return [
    ...common,
    titles[data.type],
    holder.nameKanji,
    'April 1, 2004',
    'November 22, 2026',
    'Faculty of Economics',
    'Department of Economics',
    'Verification code',
    ...(data.type === 'course_application'
      ? ['To: The President, Demo University']
      : ['SUZUKI Ichiro', 'President, Demo University']),
  ];
}

describe('certificate PDFs (C-6, #4 "What the PDFs must be")', () => {
  it('#4: poppler-utils (pdftotext, pdftoppm, pdfsig) is installed where CI runs the tests', (context) => {
    context.skip(process.env.CI !== 'true', 'checked under CI=true only: elsewhere the poppler tests skip without it');
    expect(popplerAvailable).toBe(true);
  });

  describe.each(certificateTypes.flatMap((type) => langs.map((lang) => [type, lang] as const)))(
    'C-6: %s in %s',
    (type, lang) => {
      it('is one signed A4 page with the university, title, holder, body, date, serial and code', async () => {
        const pdf = await sample(type, lang);
        const doc = await PDFDocument.load(pdf);
        expect(doc.getPageCount()).toBe(1);
        const { width, height } = doc.getPage(0).getSize();
        expect([Math.round(width), Math.round(height)]).toEqual([595, 842]);
        expect(doc.getTitle()).toContain(lang === 'ja' ? '山田 太郎' : 'YAMADA Taro');
      });

      it.skipIf(skipWithoutPoppler)('pdftotext finds every text the certificate must state', async () => {
        const data = sampleCertificate(type, lang, sampleOptions(type));
        const pdf = await sample(type, lang);
        // Reading order and layout order differ where blocks sit side by side; either will do.
        const texts = [flat(await pdftotext(pdf)), flat(await pdftotext(pdf, { layout: true }))];
        for (const expected of expectedTexts(data)) {
          expect(
            texts.some((text) => text.includes(flat(expected))),
            expected,
          ).toBe(true);
        }
      });

      it.skipIf(skipWithoutPoppler)(
        'pdftoppm -r 50 shows ink in the box of every word (glyphs drawn, not blank)',
        async () => {
          const pdf = await sample(type, lang);
          const [page] = await pdftoppm(pdf, 50);
          const png = decodePng(page!);
          const scale = 50 / 72;
          const words = (await pdfWordBoxes(pdf)).filter((word) => word.page === 1);
          expect(words.length).toBeGreaterThan(20);
          const box = (word: { xMin: number; yMin: number; xMax: number; yMax: number }) => ({
            x0: Math.floor(word.xMin * scale),
            y0: Math.floor(word.yMin * scale),
            x1: Math.ceil(word.xMax * scale),
            y1: Math.ceil(word.yMax * scale),
          });
          // A blank glyph leaves its box white: every word extracted must also be drawn.
          const blank = words.filter((word) => inkPixels(png, box(word), 230) === 0).map((word) => word.word);
          expect(blank).toEqual([]);
          // The largest text (the title; on English certificates also the letterhead) puts plenty
          // of dark ink on the page.
          const tallest = Math.max(...words.map((word) => word.yMax - word.yMin));
          const title = words.filter((word) => word.yMax - word.yMin >= 0.75 * tallest);
          expect(title.length).toBeGreaterThanOrEqual(3);
          const titleInk = title.reduce((sum, word) => sum + inkPixels(png, box(word), 128), 0);
          expect(titleInk).toBeGreaterThan(60);
          // The official seal is red ink; the course application form carries none.
          if (type === 'course_application') expect(sealPixels(png)).toBe(0);
          else expect(sealPixels(png)).toBeGreaterThan(150);
        },
      );
    },
  );

  it.skipIf(skipWithoutPoppler)('C-6: the QR code decodes to the verification URL', async () => {
    const [page] = await pdftoppm(await sample('enrollment', 'ja'), 100);
    const png = decodePng(page!);
    const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(code?.data).toBe(sampleCertificate('enrollment', 'ja').verificationUrl);
  });

  it.skipIf(skipWithoutPoppler)(
    'C-6: a transcript of 60 courses continues on a second page, numbered "1 / 2", with totals and GPA',
    async () => {
      for (const lang of langs) {
        const data = sampleCertificate('transcript', lang, { courses: 60 });
        const pdf = await renderer.render(data, sampleIssuedAt, signer);
        const doc = await PDFDocument.load(pdf);
        expect(doc.getPageCount()).toBeGreaterThanOrEqual(2);
        const count = doc.getPageCount();
        const text = await pdftotext(pdf);
        const flatText = flat(text);
        for (let page = 1; page <= count; page++) expect(flatText).toContain(`${page}/${count}`);
        for (const course of data.transcript!.courses) expect(flatText).toContain(flat(course.name[lang]));
        expect(flatText).toContain(
          lang === 'ja' ? `修得単位数合計${data.transcript!.creditsEarned}単位` : 'Totalcreditsearned:',
        );
        expect(flatText).toContain(`GPA${lang === 'ja' ? '' : ':'}${data.transcript!.gpa.toFixed(2)}`);
        expect(flatText).toContain(flat(certificateBody(data)));
        // The statement, date and seal come once, on the last page.
        expect(text.split('\f')[count - 1]).toContain(
          lang === 'ja' ? '上記のとおり相違ないことを証明する' : 'SUZUKI Ichiro',
        );
        expect(text.split('\f')[0]).not.toContain(
          lang === 'ja' ? '上記のとおり相違ないことを証明する' : 'SUZUKI Ichiro',
        );
      }
    },
  );

  it.skipIf(skipWithoutPoppler)(
    'C-6: failed courses are listed or left out per the tenant policy, and the note says which',
    async () => {
      const shown = await renderer.render(
        sampleCertificate('transcript', 'ja', { includeFailed: true }),
        sampleIssuedAt,
      );
      const hidden = await renderer.render(
        sampleCertificate('transcript', 'ja', { includeFailed: false }),
        sampleIssuedAt,
      );
      const shownText = flat(await pdftotext(shown));
      const hiddenText = flat(await pdftotext(hidden));
      expect(shownText).toContain('不合格（不可）となった科目も記載しています');
      expect(hiddenText).toContain('不合格（不可）となった科目は記載していません');
      const failed = sampleCertificate('transcript', 'ja').transcript!.courses.filter((c) => c.grade === 'F');
      expect(failed.length).toBeGreaterThan(0);
      for (const course of failed) {
        expect(shownText).toContain(flat(course.name.ja));
        expect(hiddenText).not.toContain(flat(course.name.ja));
      }
      const en = flat(
        await pdftotext(
          await renderer.render(sampleCertificate('transcript', 'en', { includeFailed: false }), sampleIssuedAt),
        ),
      );
      expect(en).toContain(flat('Failed courses (F) are not listed in this record.'));
    },
  );

  it.skipIf(skipWithoutPoppler)(
    'C-6: the western calendar on Japanese certificates when the tenant chooses it',
    async () => {
      const text = flat(
        await pdftotext(
          await renderer.render(sampleCertificate('enrollment', 'ja', { calendar: 'western' }), sampleIssuedAt),
        ),
      );
      expect(text).toContain('2026年11月22日');
      expect(text).toContain('2004年4月1日生');
      expect(text).not.toContain('令和');
    },
  );

  it('#7: the creation and signing times are the issue time the caller passes, not the system clock', async () => {
    const pdf = await sample('enrollment', 'ja');
    const doc = await PDFDocument.load(pdf, { updateMetadata: false });
    expect(doc.getCreationDate()).toEqual(new Date(sampleIssuedAt));
    expect(doc.getModificationDate()).toEqual(new Date(sampleIssuedAt));
    expect(Buffer.from(pdf).toString('latin1')).toContain('/M (D:20261122010000Z)');
  });

  it('#4: a signed one-page Japanese certificate stays small (subset fonts): under 100 KB', async () => {
    const pdf = await sample('enrollment', 'ja');
    expect(pdf.byteLength).toBeLessThan(100 * 1024);
    expect(pdf.byteLength).toBeGreaterThan(5 * 1024);
  });

  it('C-7: readCertificateIds finds the verification code and serial of a certificate, signed or not', async () => {
    const data = sampleCertificate('enrollment', 'en');
    const ids = { verificationCode: data.verificationCode, serial: data.serial };
    expect(await readCertificateIds(await sample('enrollment', 'en'))).toEqual(ids);
    expect(await readCertificateIds(await renderer.render(data, sampleIssuedAt))).toEqual(ids);
    const other = { ...data, serial: 'DEMO-2027-000001', verificationCode: 'ABCD-EFGH-JKLM' };
    expect(await readCertificateIds(await renderer.render(other, sampleIssuedAt))).toEqual({
      verificationCode: 'ABCD-EFGH-JKLM',
      serial: 'DEMO-2027-000001',
    });
    expect(await readCertificateIds(new TextEncoder().encode('not a pdf at all'))).toEqual({});
    const plain = await PDFDocument.create();
    plain.addPage();
    expect(await readCertificateIds(await plain.save())).toEqual({});
  });

  it('#4: the fonts are parsed once per renderer, not per document', async () => {
    const create = vi.spyOn(fontkit, 'create');
    try {
      await renderer.render(sampleCertificate('enrollment', 'ja'), sampleIssuedAt);
      await renderer.render(sampleCertificate('transcript', 'en'), sampleIssuedAt);
      expect(create).not.toHaveBeenCalled();
      new CertificateRenderer();
      expect(create).toHaveBeenCalledTimes(2); // Mincho and Gothic
    } finally {
      create.mockRestore();
    }
  });

  it('#4: refuses data it cannot print truthfully', async () => {
    const transcript = sampleCertificate('transcript', 'ja');
    delete transcript.transcript;
    await expect(renderer.render(transcript, sampleIssuedAt)).rejects.toThrow(/transcript/);
    const application = sampleCertificate('course_application', 'en');
    delete application.courseApplication;
    await expect(renderer.render(application, sampleIssuedAt)).rejects.toThrow(/courseApplication/);
    const badDate = sampleCertificate('enrollment', 'ja');
    badDate.holder.birthDate = '2004-02-30';
    await expect(renderer.render(badDate, sampleIssuedAt)).rejects.toThrow(RangeError);
    // A character the font cannot draw would print blank on an official document: refused.
    const rare = sampleCertificate('enrollment', 'ja');
    rare.holder.nameKanji = '𠮷田 太郎';
    await expect(renderer.render(rare, sampleIssuedAt)).rejects.toThrow(CertificateTextError);
    await expect(renderer.render(rare, sampleIssuedAt)).rejects.toThrow(/U\+20BB7/);
    const withIvs = sampleCertificate('enrollment', 'ja');
    withIvs.holder.nameKanji = '葛\u{E0100}城 太郎'; // an ideographic variation sequence is fine
    await expect(renderer.render(withIvs, sampleIssuedAt)).resolves.toBeInstanceOf(Uint8Array);
  });
});
