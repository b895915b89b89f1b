import { describe, expect, it } from 'vitest';
import { translator } from '../i18n.js';
import { Layout } from './layout.js';
import type { PageContextValue, PageTenant } from './page-context.js';
import { renderDocument } from './render.js';

function university(callCentre: string): PageTenant {
  const content = {
    inquiry: { title: callCentre, phones: [{ number: '03-0000-0000', hours: '9–17' }], phonesJapaneseOnly: true },
  };
  return {
    slug: 'tu',
    name: { ja: 'テスト大学', en: 'Test University' },
    policy: { twoFactorMandatory: false },
    content: { ja: content, en: content },
  };
}

function page(tenant: PageTenant | undefined, lang: 'ja' | 'en' = 'en'): string {
  const context: PageContextValue = {
    t: translator(lang),
    lang,
    tenant,
    csrfToken: 'token',
    account: undefined,
    base: '/tu',
  };
  return renderDocument(context, <Layout title="Title">body</Layout>);
}

describe('#11 the layout parts rendered once per university and language', () => {
  it('#11 the footer and the name are the same markup as rendered inline, every time', () => {
    const tenant = university('Call centre');
    const first = page(tenant);
    expect(page(tenant)).toBe(first);
    expect(first).toContain(
      '<p class="brand"><span class="brand__tenant">Test University</span><span class="brand__service">',
    );
    expect(first).toMatch(
      /<footer class="site-footer"><section class="inquiry" aria-labelledby="inquiry-title">.*Call centre.*<\/section><\/footer>/,
    );
  });

  it('#11 a changed university and the other language get their own parts', () => {
    expect(page(university('Old centre'))).toContain('Old centre');
    expect(page(university('New centre'))).toContain('New centre');
    expect(page(university('New centre'), 'ja')).toContain('テスト大学');
    expect(page(undefined)).not.toContain('inquiry');
  });
});
