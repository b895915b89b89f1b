import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../src/features/tenants/tenant.model.js';
import { errorMessages } from './helpers/accounts.js';
import { type Harness, TestBrowser, textOf } from './helpers/harness.js';
import { orderingStudent, startIssuanceHarness } from './helpers/orders.js';
import { enrolWithTotp, invite } from './helpers/staff.js';

let h: Harness;
let other: Tenant;
let admin: TestBrowser;
let registrar: TestBrowser;
let otherAdmin: TestBrowser;

beforeAll(async () => {
  h = await startIssuanceHarness();
  other = await h.tenants.create({ slug: 'ou', name: { ja: '他大学', en: 'Other University' } });
  admin = (
    await enrolWithTotp(
      h,
      await invite(h, h.tenant, 'admin@tu.example.ac.jp', 'administrator'),
      'admin@tu.example.ac.jp',
      'Admin',
    )
  ).browser;
  registrar = (
    await enrolWithTotp(
      h,
      await invite(h, h.tenant, 'reg@tu.example.ac.jp', 'registrar'),
      'reg@tu.example.ac.jp',
      'Reg',
    )
  ).browser;
  otherAdmin = (
    await enrolWithTotp(
      h,
      await invite(h, other, 'admin@ou.example.ac.jp', 'administrator'),
      'admin@ou.example.ac.jp',
      'Other',
    )
  ).browser;
});
afterAll(async () => {
  await h.close();
});

async function stored(): Promise<Tenant> {
  return (await h.uow.repos.tenants.findById(h.tenant.id))!;
}

async function settingsEvents(): Promise<unknown[]> {
  return (await h.uow.repos.auditLog.list(h.tenant.id, { limit: 500 }))
    .filter((entry) => entry.event === 'tenant.settings_changed')
    .map((entry) => entry.subject);
}

/** A real PNG of the given size (one grey row repeated), as an upload would carry it. */
function png(width: number, height: number, padding = 0): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    return Buffer.concat([length, Buffer.from(type), data, Buffer.alloc(4)]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8);
  const rows = Buffer.alloc((width + 1) * height, 0x80);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    ...(padding > 0 ? [chunk('tEXt', Buffer.alloc(padding, 0x41))] : []),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A logo upload as a browser sends the form: multipart, the CSRF token first. */
async function uploadLogo(browser: TestBrowser, file: Buffer, filename: string, type: string) {
  const page = await browser.get('/tu/staff/settings/branding');
  const boundary = 'settingsboundary';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${browser.csrf(page.body)}\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="logo"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const response = await h.app.server.inject({
    method: 'POST',
    url: '/tu/staff/settings/branding/logo',
    payload,
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      cookie: [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    },
  });
  expect(response.statusCode).toBe(303);
  return browser.get(response.headers.location as string);
}

const routes = [
  ['GET', '/tu/staff/settings'],
  ['GET', '/tu/staff/settings/catalogue'],
  ['GET', '/tu/staff/settings/catalogue/enrollment'],
  ['GET', '/tu/staff/settings/catalogue/new'],
  ['GET', '/tu/staff/settings/policy'],
  ['GET', '/tu/staff/settings/texts'],
  ['GET', '/tu/staff/settings/branding'],
  ['POST', '/tu/staff/settings/catalogue/new'],
  ['POST', '/tu/staff/settings/catalogue/enrollment'],
  ['POST', '/tu/staff/settings/catalogue/enrollment/active'],
  ['POST', '/tu/staff/settings/policy'],
  ['POST', '/tu/staff/settings/texts'],
  ['POST', '/tu/staff/settings/branding'],
  ['POST', '/tu/staff/settings/branding/logo/remove'],
] as const;

describe('#12 A-3 settings: who may open them', () => {
  it('#12 A-3 every settings route: no session → the staff login, a registrar → 403, nothing saved', async () => {
    const before = JSON.stringify(await stored());
    for (const [method, url] of routes) {
      const anonymous = new TestBrowser(h, { lang: 'en' });
      await anonymous.get('/tu/staff/login');
      const answer =
        method === 'GET'
          ? await anonymous.get(url, { follow: false })
          : await anonymous.post(url, {}, { follow: 'never' });
      expect(answer.status, `${method} ${url}`).toBe(303);
      expect(answer.location, `${method} ${url}`).toMatch(/^\/tu\/staff\/login\?notice=loginRequired/);

      await registrar.get('/tu/staff');
      const refused =
        method === 'GET'
          ? await registrar.get(url, { follow: false })
          : await registrar.post(url, { confirm: '1', active: '0', feeYen: '1' }, { follow: 'never' });
      expect(refused.status, `${method} ${url}`).toBe(403);
    }
    expect(JSON.stringify(await stored())).toBe(before);
  });

  it("#12 A-3 another university's administrator cannot open or change this one's settings", async () => {
    const before = JSON.stringify(await stored());
    for (const [method, url] of routes) {
      await otherAdmin.get('/ou/staff');
      const answer =
        method === 'GET'
          ? await otherAdmin.get(url, { follow: false })
          : await otherAdmin.post(url, { feeYen: '1' }, { follow: 'never' });
      // The staff session is its own university's: here it is no session at all.
      expect(answer.status, `${method} ${url}`).toBe(303);
      expect(answer.location).toMatch(/^\/tu\/staff\/login/);
    }
    // Its own console with this university's type names only what it has itself.
    expect((await otherAdmin.get('/ou/staff/settings/catalogue/enrollment')).status).toBe(404);
    expect((await otherAdmin.get('/ou/staff/settings/catalogue/no-such-type')).status).toBe(404);
    expect(JSON.stringify(await stored())).toBe(before);
  });
});

describe('#12 A-3 catalogue', () => {
  it("#12 A-3 a new fee is saved, audited, and the student's order form shows it at once", async () => {
    const page = await admin.get('/tu/staff/settings/catalogue/enrollment');
    expect(page.status).toBe(200);
    const form = Object.fromEntries(
      [...page.body.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"[^>]*>/g)]
        .filter((match) => !/type="checkbox"/.test(match[0]) || /checked/.test(match[0]))
        .map((match) => [match[1]!, match[2]!]),
    );
    const saved = await admin.post('/tu/staff/settings/catalogue/enrollment', {
      ...form,
      feeYen: '１,２３０',
      intent: 'save',
    });
    expect(saved.status).toBe(200);
    expect(textOf(saved.body)).toContain('The settings have been saved.');
    expect((await h.uow.repos.catalogue.find(h.tenant.id, 'enrollment'))!.feeYen).toBe(1230);
    expect(await settingsEvents()).toContain('catalogue');

    const student = await orderingStudent(h, 'en');
    const order = await student.browser.get('/tu/orders/new?destination=campus');
    expect(textOf(order.body)).toMatch(/¥1,230|1,230/);
  });

  it('#12 A-3 bad input per field gives its own message, keeps what was typed, and saves nothing', async () => {
    const before = await h.uow.repos.catalogue.find(h.tenant.id, 'transcript');
    await admin.get('/tu/staff/settings/catalogue/transcript');
    const refused = await admin.post(
      '/tu/staff/settings/catalogue/transcript',
      {
        nameJa: '',
        nameEn: 'Transcript',
        feeYen: 'abc',
        maxCopies: '1000',
        availableFrom: '02-30',
        'status-enrolled': '1',
        intent: 'save',
      },
      { follow: false },
    );
    expect(refused.status).toBe(422);
    const messages = errorMessages(refused.body).join(' | ');
    expect(messages).toContain('Name in Japanese: enter or choose a value');
    expect(messages).toContain('Fee per copy (yen): enter a whole number');
    expect(messages).toContain('Copies per order must be 100 or less');
    expect(messages).toContain('Available from (month-day): enter it in the form the hint shows');
    expect(messages).toContain('Languages: enter or choose a value');
    expect(messages).toContain('Destinations: enter or choose a value');
    expect(refused.body).toContain('value="abc"');
    expect(await h.uow.repos.catalogue.find(h.tenant.id, 'transcript')).toEqual(before);

    const ja = new TestBrowser(h, { lang: 'ja' });
    ja.cookies.clear();
    for (const [name, value] of admin.cookies) ja.cookies.set(name, value);
    ja.cookies.set('shomei-lang', 'ja');
    await ja.get('/tu/staff/settings/catalogue/transcript');
    const inJapanese = await ja.post(
      '/tu/staff/settings/catalogue/transcript',
      { feeYen: '-5', intent: 'save' },
      { follow: false },
    );
    expect(errorMessages(inJapanese.body).join(' ')).toContain('手数料（1通・円）は0以上にしてください');
  });

  it("#12 A-3 the preview renders the students' real order form with the draft, saving nothing", async () => {
    const before = await h.uow.repos.catalogue.find(h.tenant.id, 'course_application');
    await admin.get('/tu/staff/settings/catalogue/course_application');
    const preview = await admin.post(
      '/tu/staff/settings/catalogue/course_application',
      {
        nameJa: '受講申込書',
        nameEn: 'Course application form (draft)',
        'language-ja': '1',
        feeYen: '700',
        maxCopies: '3',
        'destination-campus': '1',
        'status-enrolled': '1',
        intent: 'preview',
      },
      { follow: false },
    );
    expect(preview.status).toBe(200);
    expect(preview.body).toContain('class="settings-preview__frame" inert');
    const shown = textOf(preview.body.slice(preview.body.indexOf('settings-preview')));
    expect(shown).toContain('Course application form (draft)');
    expect(shown).toContain('¥700');
    expect(preview.body).toContain('name="copies-course_application-ja"');
    expect(await h.uow.repos.catalogue.find(h.tenant.id, 'course_application')).toEqual(before);
  });

  it('#12 A-3 a type is added to its own university only, and a type it has already is refused', async () => {
    const list = await otherAdmin.get('/ou/staff/settings/catalogue');
    expect(list.body).toContain('href="/ou/staff/settings/catalogue/new"');
    await otherAdmin.get('/ou/staff/settings/catalogue/new');
    const form = {
      type: 'enrollment',
      nameJa: '在学証明書',
      nameEn: 'Certificate of Enrollment',
      'language-ja': '1',
      'language-en': '1',
      feeYen: '300',
      maxCopies: '5',
      'destination-campus': '1',
      'status-enrolled': '1',
      intent: 'save',
    };
    const added = await otherAdmin.post('/ou/staff/settings/catalogue/new', form);
    expect(textOf(added.body)).toContain('The certificate type has been added.');
    expect((await h.uow.repos.catalogue.find(other.id, 'enrollment'))!.feeYen).toBe(300);
    expect((await h.uow.repos.catalogue.find(h.tenant.id, 'enrollment'))!.feeYen).toBe(1230);
    await otherAdmin.get('/ou/staff/settings/catalogue/new');
    const again = await otherAdmin.post(
      '/ou/staff/settings/catalogue/new',
      { ...form, feeYen: '1' },
      { follow: false },
    );
    expect(again.status).toBe(422);
    expect(errorMessages(again.body).join(' ')).toContain('in the catalogue already');
    expect((await h.uow.repos.catalogue.find(other.id, 'enrollment'))!.feeYen).toBe(300);
  });

  it('#12 A-3 a type is disabled only with the confirmation, and students no longer see it', async () => {
    await admin.get('/tu/staff/settings/catalogue/transcript');
    const unconfirmed = await admin.post(
      '/tu/staff/settings/catalogue/transcript/active',
      { active: '0' },
      { follow: false },
    );
    expect(unconfirmed.status).toBe(422);
    expect((await h.uow.repos.catalogue.find(h.tenant.id, 'transcript'))!.active).toBe(true);
    await admin.get('/tu/staff/settings/catalogue/transcript');
    const done = await admin.post('/tu/staff/settings/catalogue/transcript/active', { active: '0', confirm: '1' });
    expect(textOf(done.body)).toContain('no longer offered');
    expect((await h.uow.repos.catalogue.find(h.tenant.id, 'transcript'))!.active).toBe(false);
    const student = await orderingStudent(h, 'en');
    expect((await student.browser.get('/tu/orders/new?destination=campus')).body).not.toContain(
      'field-copies-transcript',
    );
    await admin.get('/tu/staff/settings/catalogue/transcript');
    await admin.post('/tu/staff/settings/catalogue/transcript/active', { active: '1' });
    expect((await h.uow.repos.catalogue.find(h.tenant.id, 'transcript'))!.active).toBe(true);
  });
});

describe('#12 A-3 policy', () => {
  it('#12 A-3 the policy is saved within the bounds, refused outside them with the field named', async () => {
    const page = await admin.get('/tu/staff/settings/policy');
    expect(page.status).toBe(200);
    const values = {
      keyLength: '8',
      keyLifetimeMinutes: '15',
      keyMaxAttempts: '3',
      keyReissueCooldownSeconds: '90',
      trustedBrowserDays: '14',
      linkLifetimeMinutes: '60',
      twoFactorMandatory: '1',
      defaultLang: 'en',
    };
    const refused = await admin.post(
      '/tu/staff/settings/policy',
      { ...values, keyLength: '4', trustedBrowserDays: '400', defaultLang: 'fr' },
      { follow: false },
    );
    expect(refused.status).toBe(422);
    const messages = errorMessages(refused.body).join(' | ');
    expect(messages).toContain('Authentication key length (digits) must be 6 or more');
    expect(messages).toContain('A trusted browser is trusted for (days) must be 365 or less');
    expect(messages).toContain('Default language: this value cannot be used');
    expect((await stored()).policy.keyLength).toBe(6);

    await admin.get('/tu/staff/settings/policy');
    const saved = await admin.post('/tu/staff/settings/policy', values);
    expect(textOf(saved.body)).toContain('The settings have been saved.');
    const policy = (await stored()).policy;
    expect(policy).toMatchObject({
      keyLength: 8,
      keyLifetimeMinutes: 15,
      keyMaxAttempts: 3,
      twoFactorMandatory: true,
      defaultLang: 'en',
    });
    // What the console does not edit is kept.
    expect(policy.postageYen).toBe(h.tenant.policy.postageYen);
    expect(await settingsEvents()).toContain('policy');
  });
});

describe('#12 A-3 texts', () => {
  it('#12 A-3 the landing text is saved as Markdown and the landing page shows it rendered', async () => {
    const page = await admin.get('/tu/staff/settings/texts');
    expect(page.status).toBe(200);
    const saved = await admin.post('/tu/staff/settings/texts', {
      'en-landing':
        'Welcome to the **certificate service**.\n\n- Open on weekdays\n- [Faculty office](https://www.example.ac.jp/office)',
      'ja-landing': '証明書発行サービスへ**ようこそ**。',
      'en-loginNotes': '- First time: use your university password.',
      'ja-inquiryTitle': 'テスト大学 コールセンター',
      'ja-phone1': '03-0000-0000',
      'ja-hours1': '平日 9:00～17:00',
      'en-chatUrl': 'https://chat.example.ac.jp/',
      'en-chatHours': '24 hours',
      intent: 'save',
    });
    expect(textOf(saved.body)).toContain('The settings have been saved.');
    expect(await settingsEvents()).toContain('texts');
    const landing = await new TestBrowser(h, { lang: 'en' }).get('/tu/');
    expect(landing.body).toContain('Welcome to the <strong>certificate service</strong>.');
    expect(landing.body).toContain(
      '<a href="https://www.example.ac.jp/office" rel="noopener noreferrer">Faculty office</a>',
    );
    const login = await new TestBrowser(h, { lang: 'en' }).get('/tu/login');
    expect(login.body).toContain('<li>First time: use your university password.</li>');
    expect(login.body).toContain('href="https://chat.example.ac.jp/"');
  });

  it('#12 A-3 markdown injection comes out inert: <script>, raw HTML and javascript: links are text', async () => {
    await admin.get('/tu/staff/settings/texts');
    const attack = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(2)>',
      '[click](javascript:alert(3))',
      '[data](data:text/html;base64,PHNjcmlwdD4=)',
      '<a href="javascript:alert(4)">x</a>',
    ].join('\n\n');
    const preview = await admin.post(
      '/tu/staff/settings/texts',
      { 'en-landing': attack, intent: 'preview' },
      { follow: false },
    );
    expect(preview.status).toBe(200);
    await admin.post('/tu/staff/settings/texts', { 'en-landing': attack, 'en-manual': attack, intent: 'save' });
    for (const page of [preview, await new TestBrowser(h, { lang: 'en' }).get('/tu/')]) {
      expect(page.body).not.toMatch(/<script>alert|<img src=x|href="javascript:|href="data:/);
      expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });

  it('#12 A-3 a manual of 10,000 Japanese characters is taken (beyond the usual form size); one more is refused at its field', async () => {
    await admin.get('/tu/staff/settings/texts');
    const saved = await admin.post('/tu/staff/settings/texts', { 'ja-manual': '証'.repeat(10_000), intent: 'save' });
    expect(saved.status).toBe(200);
    expect((await stored()).content.ja.manual).toHaveLength(10_000);
    await admin.get('/tu/staff/settings/texts');
    const refused = await admin.post(
      '/tu/staff/settings/texts',
      { 'ja-manual': '証'.repeat(10_001), intent: 'save' },
      { follow: false },
    );
    expect(refused.status).toBe(422);
    expect(errorMessages(refused.body).join(' ')).toContain('Manual must be 10000 characters or fewer');
  });

  it('#12 A-3 a chat address that is not http(s) is refused at its field', async () => {
    await admin.get('/tu/staff/settings/texts');
    const refused = await admin.post(
      '/tu/staff/settings/texts',
      { 'en-chatUrl': 'javascript:alert(1)', intent: 'save' },
      { follow: false },
    );
    expect(refused.status).toBe(422);
    expect(errorMessages(refused.body).join(' ')).toContain(
      'Chat support address (https://…): enter an address starting with https:// or http://',
    );
    expect(JSON.stringify((await stored()).content)).not.toContain('javascript:alert(1)');
  });
});

describe('#12 A-3 branding', () => {
  it('#12 A-3 name and colour are saved; the colour reaches the pages as a stylesheet, the CSP untouched', async () => {
    await admin.get('/tu/staff/settings/branding');
    const saved = await admin.post('/tu/staff/settings/branding', {
      nameJa: 'テスト大学',
      nameEn: 'Test University of Tokyo',
      colour: '#1A5E20',
    });
    expect(textOf(saved.body)).toContain('The settings have been saved.');
    expect(textOf(saved.body)).toMatch(/Contrast of the colour with white: \d+\.\d\d:1/);
    const landing = await new TestBrowser(h, { lang: 'en' }).get('/tu/');
    expect(textOf(landing.body)).toContain('Test University of Tokyo');
    const href = /<link rel="stylesheet" href="(\/tu\/branding\/colours\.css\?v=1a5e20)"/.exec(landing.body)?.[1];
    expect(href).toBeDefined();
    expect(landing.body).not.toMatch(/style="/);
    const css = await new TestBrowser(h).get(href!);
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(css.body).toContain('--brand: #1a5e20;');
    expect(String(landing.headers['content-security-policy'])).toContain("style-src 'self'");
  });

  it('#12 A-3 a colour below 4.5:1 against white is refused with its ratio, and nothing is saved', async () => {
    await admin.get('/tu/staff/settings/branding');
    const refused = await admin.post(
      '/tu/staff/settings/branding',
      { nameJa: 'テスト大学', nameEn: 'Renamed', colour: '#ffcc00' },
      { follow: false },
    );
    expect(refused.status).toBe(422);
    expect(errorMessages(refused.body).join(' ')).toMatch(/contrast with white is 1\.\d\d:1, below the 4\.5:1/);
    expect(refused.body).toContain('value="#ffcc00"');
    const tenant = await stored();
    expect(tenant.branding.colour).toBe('#1a5e20');
    expect(tenant.name.en).toBe('Test University of Tokyo');
    await admin.get('/tu/staff/settings/branding');
    const malformed = await admin.post(
      '/tu/staff/settings/branding',
      { nameJa: '', nameEn: 'x', colour: 'red' },
      { follow: false },
    );
    expect(errorMessages(malformed.body).join(' | ')).toMatch(
      /University name in Japanese: enter or choose a value.*six hexadecimal digits/,
    );
  });

  it('#12 A-3 a PNG logo is checked, stored and served from the database with its type and nosniff; SVG and fakes are refused', async () => {
    const svg = await uploadLogo(
      admin,
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      'logo.png',
      'image/png',
    );
    expect(svg.status).toBe(422);
    expect(textOf(svg.body)).toContain('The logo must be a PNG or JPEG image');
    const fake = await uploadLogo(
      admin,
      Buffer.concat([png(1, 1).subarray(0, 8), Buffer.from('not an image at all')]),
      'logo.png',
      'image/png',
    );
    expect(textOf(fake.body)).toContain('could not be read as an image');
    const large = await uploadLogo(admin, png(10, 10, 210 * 1024), 'logo.png', 'image/png');
    expect(textOf(large.body)).toContain('200 KB or smaller');
    const huge = await uploadLogo(admin, png(2500, 10), 'logo.png', 'image/png');
    expect(textOf(huge.body)).toContain('at most 2000 × 2000 pixels');
    expect((await stored()).branding.logo).toBeUndefined();

    const logo = png(120, 40);
    const saved = await uploadLogo(admin, logo, 'logo.svg', 'image/svg+xml');
    expect(textOf(saved.body)).toContain('The logo has been saved.');
    expect((await stored()).branding.logo).toMatchObject({ contentType: 'image/png', width: 120, height: 40 });
    const landing = await new TestBrowser(h, { lang: 'en' }).get('/tu/');
    const src = /<img class="brand__logo" src="([^"]+)"/.exec(landing.body)?.[1];
    expect(src).toMatch(/^\/tu\/branding\/logo\?v=[0-9a-f]{16}$/);
    const served = await h.app.server.inject({ method: 'GET', url: src! });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.rawPayload.equals(logo)).toBe(true);
    // Another university has no logo of its own, and never this one's.
    expect((await h.app.server.inject({ method: 'GET', url: '/ou/branding/logo' })).statusCode).toBe(404);

    await admin.get('/tu/staff/settings/branding');
    const unconfirmed = await admin.post('/tu/staff/settings/branding/logo/remove', {}, { follow: false });
    expect(unconfirmed.status).toBe(422);
    await admin.get('/tu/staff/settings/branding');
    await admin.post('/tu/staff/settings/branding/logo/remove', { confirm: '1' });
    expect((await stored()).branding.logo).toBeUndefined();
    expect((await h.app.server.inject({ method: 'GET', url: '/tu/branding/logo' })).statusCode).toBe(404);
    expect(await settingsEvents()).toContain('branding');
  });
});
