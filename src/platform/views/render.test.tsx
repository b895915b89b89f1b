import { describe, expect, it } from 'vitest';
import { translator } from '../i18n.js';
import { Form } from './components.js';
import { Layout } from './layout.js';
import { type PageContextValue, type PageTenant, usePage } from './page-context.js';
import { documentBytes, renderDocument, reusablePage } from './render.js';

const documentHtml = (...args: Parameters<typeof documentBytes>) => documentBytes(...args).toString('utf8');

const tenant: PageTenant = {
  slug: 'tu',
  name: { ja: 'テスト大学', en: 'Test University' },
  policy: { twoFactorMandatory: false },
  content: {
    ja: { inquiry: { title: '窓口', phones: [], phonesJapaneseOnly: true } },
    en: { inquiry: { title: 'Desk', phones: [], phonesJapaneseOnly: true } },
  },
};

function context(overrides: Partial<PageContextValue> = {}): PageContextValue {
  return {
    t: translator('en'),
    lang: 'en',
    tenant,
    csrfToken: 'token-1',
    account: undefined,
    base: '/tu',
    ...overrides,
  };
}

let renders = 0;

function Greeting({ name, items }: { name: string; items: string[] }) {
  const { account } = usePage();
  renders++;
  return (
    <Layout title={`Hello ${name}`}>
      <p data-user={account?.userId}>{account?.userId}</p>
      <ul>
        {items.map((item) => (
          <li>{item}</li>
        ))}
      </ul>
      <Form action="/tu/x">
        <button type="submit">Go</button>
      </Form>
    </Layout>
  );
}
reusablePage(Greeting);

function Other({ name, items }: { name: string; items: string[] }) {
  return <Layout title={`Other ${name}`}>{items.join(',')}</Layout>;
}
reusablePage(Other);

function WithCallback({ onPick }: { onPick: () => string }) {
  renders++;
  return <Layout title={onPick()}>x</Layout>;
}
reusablePage(WithCallback);

describe('#11 reusable pages: rendered once per university, language and props, slots filled per request', () => {
  it('#11 the reused page is byte for byte what rendering it anew gives, with this request’s token and user ID', () => {
    const page = <Greeting name="A & B 証明書" items={['one', '<two>', '在学証明書']} />;
    const before = renders;
    const first = documentHtml(context(), page);
    expect(first).toBe(renderDocument(context(), page));
    const account = { userId: 's"1<&>', twoFactorEnabled: false };
    const again = documentHtml(context({ csrfToken: 'token-2', account }), page);
    expect(again).toBe(renderDocument(context({ csrfToken: 'token-2', account }), page));
    expect(again).toContain('name="_csrf" value="token-2"');
    expect(again).toContain('data-user="s&quot;1&lt;&amp;>"');
    expect(documentHtml(context({ csrfToken: 'token-3', account }), page)).toContain('value="token-3"');
    // Rendered once for the visitor and once for the logged-in student, besides the direct renders.
    expect(renders - before).toBe(2 + 2);
  });

  it('#11 other props, another language, another page or university are not served a kept page', () => {
    const page = <Greeting name="C" items={[]} />;
    expect(documentHtml(context(), page)).toContain('Hello C');
    expect(documentHtml(context(), <Greeting name="D" items={[]} />)).toContain('Hello D');
    expect(documentHtml(context(), <Other name="C" items={[]} />)).toContain('Other C');
    expect(documentHtml(context({ lang: 'ja', t: translator('ja') }), page)).toContain('<html lang="ja">');
    const renamed = { ...tenant, name: { ja: '別の大学', en: 'Another University' } };
    expect(documentHtml(context({ tenant: renamed }), page)).toContain('Another University');
  });

  it('#11 a page whose props are not plain data is rendered every time', () => {
    const before = renders;
    let n = 0;
    const pick = () => `pick ${++n}`;
    expect(documentHtml(context(), <WithCallback onPick={pick} />)).toContain('pick 1');
    expect(documentHtml(context(), <WithCallback onPick={pick} />)).toContain('pick 2');
    expect(renders - before).toBe(2);
  });
});
