import type { Lang } from '../../src/platform/i18n.js';
import { type Harness, type Page, TestBrowser } from './harness.js';

/** A multipart/form-data body, fields in the order given. */
export function multipart(fields: Array<{ name: string; filename?: string; content: Buffer | string }>) {
  const boundary = `----shomei${Math.random().toString(16).slice(2)}`;
  const parts = fields.map((field) =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${field.name}"${
          field.filename ? `; filename="${field.filename}"\r\nContent-Type: application/pdf` : ''
        }\r\n\r\n`,
      ),
      Buffer.isBuffer(field.content) ? field.content : Buffer.from(field.content),
      Buffer.from('\r\n'),
    ]),
  );
  return {
    payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/**
 * Uploads a file to the verification page as a browser would: the page's CSRF token first, then
 * the file (#9). The answer is a redirect to the page that shows the verdict (#10), followed.
 */
export async function uploadToVerify(
  h: Harness,
  lang: Lang,
  pdf: Buffer | undefined,
  options: { csrf?: string | false; ip?: string } = {},
): Promise<Page> {
  const browser = new TestBrowser(h, { lang, ...(options.ip && { ip: options.ip }) });
  await browser.get('/tu/verify');
  const token = options.csrf ?? browser.csrf();
  const fields = [
    ...(token === false ? [] : [{ name: '_csrf', content: token }]),
    pdf ? { name: 'pdf', filename: 'certificate.pdf', content: pdf } : { name: 'note', content: 'no file' },
  ];
  const body = multipart(fields);
  const posted = await h.app.server.inject({
    method: 'POST',
    url: '/tu/verify/file',
    payload: body.payload,
    remoteAddress: options.ip ?? '127.0.0.1',
    headers: {
      'content-type': body.contentType,
      cookie: [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    },
  });
  if (posted.statusCode !== 303)
    return { status: posted.statusCode, body: posted.body, location: undefined, headers: posted.headers };
  for (const cookie of posted.cookies as Array<{ name: string; value: string }>)
    browser.cookies.set(cookie.name, cookie.value);
  return browser.get(posted.headers.location as string);
}
