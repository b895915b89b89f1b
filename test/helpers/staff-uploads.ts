import type { Harness, Page, TestBrowser } from './harness.js';

/**
 * A multipart form POST from `browser` (its cookies, and the CSRF token of its last page first,
 * as the form sends it), for the console's file uploads. Files are sent only when given.
 */
export async function postFiles(
  h: Harness,
  browser: TestBrowser,
  url: string,
  fields: Record<string, string>,
  files: Record<string, Buffer | string>,
  options: { csrf?: string } = {},
): Promise<Page> {
  const boundary = '----shomei-upload-boundary';
  const parts: Buffer[] = [];
  const field = (name: string, value: string) =>
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  field('_csrf', options.csrf ?? browser.csrf());
  for (const [name, value] of Object.entries(fields)) field(name, value);
  for (const [name, content] of Object.entries(files)) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      Buffer.isBuffer(content) ? content : Buffer.from(content),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const response = await h.app.server.inject({
    method: 'POST',
    url,
    payload: Buffer.concat(parts),
    headers: {
      cookie: [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'accept-language': browser.options.lang === 'en' ? 'en-US,en;q=0.9' : 'ja,en;q=0.5',
    },
    remoteAddress: browser.options.ip ?? '127.0.0.1',
  });
  for (const cookie of response.cookies as Array<{ name: string; value: string }>)
    browser.cookies.set(cookie.name, cookie.value);
  return {
    status: response.statusCode,
    body: response.body,
    location: response.headers.location as string | undefined,
    headers: response.headers,
  };
}
