import { describe, expect, it } from 'vitest';
import { type Lang, languages, translator } from '../../platform/i18n.js';
import { type Tenant, tenantContentSchema, tenantPolicySchema } from '../tenants/tenant.model.js';
import { type MailEvent, composeMail } from './mail.templates.js';

const mailEvents = Object.keys({
  emailRegistration: 1,
  emailChange: 1,
  emailChangedNotice: 1,
  authKey: 1,
  secondPasswordReset: 1,
  secondPasswordChangedNotice: 1,
  twoFactorChangedNotice: 1,
  orderStatus: 1,
  digitalDelivery: 1,
  staffInvitation: 1,
} satisfies Record<MailEvent, 1>) as MailEvent[];

/** Enough of an HTML entity decoder for what Preact writes. */
function unescapeHtml(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

const URL = 'https://shomei.test/tu/mail-address/confirm?token=AbC_123-xyz';

function makeTenant(name: Record<Lang, string> = { ja: 'テスト大学', en: 'Test University' }): Tenant {
  return {
    id: 'tenant-1',
    slug: 'tu',
    name,
    policy: tenantPolicySchema.parse({}),
    branding: {},
    content: tenantContentSchema.parse({
      ja: {
        inquiry: {
          title: 'テスト大学 コールセンター',
          phones: [{ number: '03-0000-0000', hours: '平日 9:00～17:00' }],
          chat: { url: 'https://chat.example.jp/tu', hours: '24時間' },
        },
      },
      en: {
        inquiry: {
          title: 'Test University call centre',
          phones: [{ number: '+81-3-0000-0000', hours: 'Weekdays 9:00–17:00' }],
          chat: { url: 'https://chat.example.jp/tu', hours: '24 hours' },
        },
      },
    }),
    directory: { kind: 'local' },
    enabled: true,
  };
}

function paramsFor(event: MailEvent): Record<string, string | number> {
  return {
    url: URL,
    minutes: 30,
    userId: 'u1001',
    key: '048213',
    expiry: '2026/11/22 10:10',
    newAddress: 'new@example.ac.jp',
    reservationNumber: '123456789012',
    total: 300,
    recipient: 'Sample Corporation',
    studentName: 'YAMADA Taro',
    documents: '- Certificate of Enrollment (TU-2026-000001)',
    verifyUrl: 'https://shomei.test/tu/verify',
    days: 3,
    ...(event === 'twoFactorChangedNotice' ? { context: 'on' } : {}),
    ...(event === 'orderStatus' ? { context: 'convenience_reserved' } : {}),
  };
}

const cases = languages.flatMap((lang) => mailEvents.map((event) => [event, lang] as const));

describe("composeMail (L-16: every mail ends like the manuals' samples)", () => {
  it.each(cases)(
    'L-16 %s in %s: subject names the tenant, text ends with inquiries and the two closing lines',
    (event, lang) => {
      const tenant = makeTenant();
      const t = translator(lang);
      const mail = composeMail(event, lang, tenant, paramsFor(event));

      expect(mail.subject).toContain(tenant.name[lang]);
      expect(mail.subject).toContain(
        t(`mail.${event}.subject`, { ...paramsFor(event), tenantName: tenant.name[lang] }),
      );
      expect(mail.subject).not.toContain('\n');

      const closing = `${t('mail.footer.deleteIfUnknown')}\n${t('mail.footer.sendOnly')}\n`;
      expect(mail.text.endsWith(closing)).toBe(true);

      const inquiry = mail.text.indexOf(t('mail.footer.inquiryHeading'));
      expect(inquiry).toBeGreaterThan(0);
      const block = mail.text.slice(inquiry, mail.text.length - closing.length);
      expect(block).toContain(t('mail.footer.inquiryAbout'));
      expect(block).toContain(tenant.content[lang].inquiry.title);
      for (const phone of tenant.content[lang].inquiry.phones) {
        expect(block).toContain(phone.number);
        expect(block).toContain(phone.hours);
      }
      expect(block).toContain('https://chat.example.jp/tu');
      // Nothing but the inquiry block stands between the body and the closing lines.
      expect(block.trimEnd().split('\n').at(-1)).toContain('https://chat.example.jp/tu');

      // The body was found and filled in: no raw key, no unfilled placeholder.
      expect(mail.text.startsWith(`${tenant.name[lang]}\n`)).toBe(true);
      expect(mail.text).not.toContain(`mail.${event}`);
      expect(mail.text).not.toMatch(/\{\{|\}\}/);
      expect(mail.html).not.toContain(`mail.${event}`);
      expect(mail.html.startsWith('<!doctype html>')).toBe(true);
      expect(mail.html).toContain(`<html lang="${lang}">`);
      expect(mail.html).toContain(t('mail.footer.sendOnly'));
    },
  );

  it('L-16 the English closing lines say what the manual says', () => {
    const mail = composeMail('authKey', 'en', makeTenant(), paramsFor('authKey'));
    expect(mail.text).toContain('Inquiries about payment method, and operations and failure of the system');
    expect(mail.text).toContain("Please delete this message if you don't recognize it");
    expect(mail.text).toContain('This email address is used only for sending');
  });

  it('L-7 the key mail carries the key and its expiry, in both languages', () => {
    for (const lang of languages) {
      const mail = composeMail('authKey', lang, makeTenant(), paramsFor('authKey'));
      expect(mail.text).toContain('048213');
      expect(mail.text).toContain('2026/11/22 10:10');
      expect(mail.text).toMatch(/(?:Authentication key|認証キー)\s*[:：]\s*048213/);
    }
  });

  it.each(['emailRegistration', 'emailChange', 'secondPasswordReset'] as const)(
    'L-3 L-9 L-11 %s carries the one-time URL whole in both languages',
    (event) => {
      for (const lang of languages) {
        const mail = composeMail(event, lang, makeTenant(), paramsFor(event));
        expect(mail.text).toContain(URL);
        expect(mail.text).toContain('u1001');
      }
    },
  );

  it('L-13 the two-factor notice says on or off as asked', () => {
    for (const lang of languages) {
      const on = composeMail('twoFactorChangedNotice', lang, makeTenant(), { userId: 'u1001', context: 'on' });
      const off = composeMail('twoFactorChangedNotice', lang, makeTenant(), { userId: 'u1001', context: 'off' });
      expect(on.text).not.toBe(off.text);
      expect(on.text).toContain(translator(lang)('mail.twoFactorChangedNotice.body_on', { userId: 'u1001' }));
      expect(off.text).toContain(translator(lang)('mail.twoFactorChangedNotice.body_off', { userId: 'u1001' }));
    }
  });

  it.each(languages)('Q-1 the HTML escapes a hostile tenant name and parameters (%s)', (lang) => {
    const hostile = '<b>x</b>';
    const tenant = makeTenant({ ja: hostile, en: hostile });
    tenant.content[lang].inquiry.title = '<script>alert(1)</script>';
    const mail = composeMail('emailChangedNotice', lang, tenant, {
      userId: '<img src=x onerror=alert(1)>',
      newAddress: '"><svg onload=alert(1)>@example.jp',
    });
    // Preact escapes "<", "&" and '"' (enough: no tag can open); ">" alone is harmless text.
    expect(unescapeHtml(mail.html)).toContain(hostile);
    expect(mail.html).toMatch(/&lt;b(>|&gt;)x&lt;\/b(>|&gt;)/);
    expect(mail.html).not.toContain('<b>');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).not.toContain('<svg');
    expect(unescapeHtml(mail.html)).toContain('<img src=x onerror=alert(1)>');
    expect(unescapeHtml(mail.html)).toContain('"><svg onload=alert(1)>@example.jp');
    // The plain text is plain: shown as typed, nothing to escape.
    expect(mail.text).toContain(hostile);
    expect(mail.subject).toContain(hostile);
  });

  it('Q-1 a hostile URL cannot break out of the link', () => {
    const mail = composeMail('emailRegistration', 'en', makeTenant(), {
      ...paramsFor('emailRegistration'),
      url: 'https://shomei.test/x?a=1&b="><script>alert(1)</script>',
    });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toMatch(/href="[^"]*"[^>]*>[^<]*<script/);
    const href = /<a href="([^"]*)">/.exec(mail.html)?.[1];
    expect(href && unescapeHtml(href)).toBe('https://shomei.test/x?a=1&b="><script>alert(1)</script>');
  });

  it.each(languages)('L-3 URLs in the body become links in the HTML (%s)', (lang) => {
    const url = 'https://shomei.test/tu/confirm?token=AbC_123-xyz&lang=en';
    const mail = composeMail('emailRegistration', lang, makeTenant(), { ...paramsFor('emailRegistration'), url });
    const escaped = url.replace(/&/g, '&amp;');
    expect(mail.html).toContain(`<a href="${escaped}">${escaped}</a>`);
  });

  it('L-16 the chat-support URL of the inquiry block is a link in the HTML', () => {
    const mail = composeMail('authKey', 'en', makeTenant(), paramsFor('authKey'));
    expect(mail.html).toContain('<a href="https://chat.example.jp/tu">https://chat.example.jp/tu</a>');
  });

  it('L-16 a tenant without inquiry details still gets the heading and the closing lines', () => {
    const tenant = makeTenant();
    tenant.content = tenantContentSchema.parse({});
    const t = translator('ja');
    const mail = composeMail('secondPasswordChangedNotice', 'ja', tenant, { userId: 'u1001' });
    expect(mail.text).toContain(t('mail.footer.inquiryHeading'));
    expect(mail.text.endsWith(`${t('mail.footer.deleteIfUnknown')}\n${t('mail.footer.sendOnly')}\n`)).toBe(true);
    expect(mail.text).not.toContain('undefined');
  });

  it('L-12 the mail is in the language asked for', () => {
    const ja = composeMail('authKey', 'ja', makeTenant(), paramsFor('authKey'));
    const en = composeMail('authKey', 'en', makeTenant(), paramsFor('authKey'));
    expect(ja.subject).toContain('テスト大学');
    expect(en.subject).toContain('Test University');
    expect(ja.text).not.toContain('Test University');
    expect(en.text).not.toContain('テスト大学');
  });
});
