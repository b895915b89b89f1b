import { describe, expect, it } from 'vitest';
import { sampleCertificate, sampleIssuedAt } from '../../../../test/helpers/certificate-fixtures.js';
import { pdftotext, skipWithoutPoppler } from '../../../../test/helpers/poppler.js';
import { CertificateRenderer } from './certificate.renderer.js';

describe.skipIf(skipWithoutPoppler)('#9 the words of the 受講申込書', () => {
  it('#9 the 受講申込書 footer calls it an application, never a 証明書 (ja) or a certificate (en)', async () => {
    const renderer = new CertificateRenderer();
    const ja = await pdftotext(await renderer.render(sampleCertificate('course_application', 'ja'), sampleIssuedAt));
    expect(ja.replace(/\s/g, '')).toContain('受講申込書');
    expect(ja.replace(/\s/g, '')).toContain('この申込書が本学の発行したもの');
    expect(ja).not.toContain('証明書');
    const en = await pdftotext(await renderer.render(sampleCertificate('course_application', 'en'), sampleIssuedAt));
    expect(en.replace(/\s+/g, ' ')).toContain('confirm that this form was issued');
    expect(en.toLowerCase()).not.toContain('certificate');
    // A certificate keeps its own word.
    const enrollment = await pdftotext(await renderer.render(sampleCertificate('enrollment', 'ja'), sampleIssuedAt));
    expect(enrollment.replace(/\s/g, '')).toContain('この証明書が本学の発行したもの');
  });
});
