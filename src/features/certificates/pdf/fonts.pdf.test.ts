import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleCertificate, sampleIssuedAt } from '../../../../test/helpers/certificate-fixtures.js';
import { pdftotext, skipWithoutPoppler } from '../../../../test/helpers/poppler.js';
import { CertificateRenderer } from './certificate.renderer.js';
import { CertificateTextError } from './data-checks.js';
import { ipamjMinchoFile } from './fonts.js';

const hasIpamj = fs.existsSync(ipamjMinchoFile);
let renderer: CertificateRenderer;

beforeAll(() => {
  renderer = new CertificateRenderer({ fallbackFontFile: ipamjMinchoFile });
});

describe.skipIf(!hasIpamj && process.env.CI !== 'true')('#9 C-11 外字 through the fallback font (IPAmj Mincho)', () => {
  it('#9 C-11 a name with 𠮷 (U+20BB7), 髙 and 﨑 renders, and pdftotext reads it back', async () => {
    const data = sampleCertificate('enrollment', 'ja');
    data.holder.nameKanji = '𠮷田 髙﨑';
    expect(renderer.undrawable(data)).toEqual([]);
    const pdf = await renderer.render(data, sampleIssuedAt);
    // The 46 MB font is embedded as a subset of the glyphs drawn, not whole.
    expect(pdf.byteLength).toBeLessThan(200_000);
    if (!skipWithoutPoppler) expect(await pdftotext(pdf)).toContain('𠮷田');
    const fonts = execFileSync('pdffonts', ['-'], { input: pdf }).toString();
    expect(fonts).toMatch(/[A-Z]{6}\+IPAmjMincho/);
  });

  it('#9 C-11 a document without 外字 does not embed the fallback font', async () => {
    const pdf = await renderer.render(sampleCertificate('enrollment', 'ja'), sampleIssuedAt);
    expect(execFileSync('pdffonts', ['-'], { input: pdf }).toString()).not.toContain('IPAmj');
  });

  it('#9 C-11 a character no font has is named; without the fallback file 𠮷 is refused', async () => {
    const data = sampleCertificate('enrollment', 'ja');
    data.holder.nameKanji = '𠮷田 \u{1F600}';
    expect(renderer.undrawable(data)).toEqual(['\u{1F600}']);
    await expect(renderer.render(data, sampleIssuedAt)).rejects.toThrow(CertificateTextError);
    const missing = path.join(os.tmpdir(), 'no-such-font.ttf');
    const without = new CertificateRenderer({ fallbackFontFile: missing });
    data.holder.nameKanji = '𠮷田 太郎';
    expect(without.undrawable(data)).toEqual(['𠮷']);
    await expect(without.render(data, sampleIssuedAt)).rejects.toThrow(/U\+20BB7/);
  });
});
