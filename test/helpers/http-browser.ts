import { keptFormState } from './harness.js';

/** A cookie-keeping browser over real HTTP (fetch), for tests against running Shomei processes. */
export class HttpBrowser {
  readonly cookies = new Map<string, string>();
  lastBody = '';

  constructor(private readonly options: { lang?: 'ja' | 'en' } = {}) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      'accept-language': this.options.lang === 'en' ? 'en' : 'ja',
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36',
      ...extra,
    };
  }

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(url: string): Promise<{ status: number; body: string; location: string | null }> {
    const response = await fetch(url, { headers: this.headers(), redirect: 'manual' });
    this.remember(response);
    const body = await response.text();
    if (response.status < 300 || response.status >= 400) this.lastBody = body;
    return { status: response.status, body, location: response.headers.get('location') };
  }

  csrf(): string {
    const match = /name="_csrf" value="([^"]+)"/.exec(this.lastBody);
    if (!match?.[1]) throw new Error('no CSRF token on the page');
    return match[1];
  }

  async post(
    url: string,
    form: Record<string, string>,
    csrf = this.csrf(),
  ): Promise<{ status: number; body: string; location: string | null }> {
    const response = await fetch(url, {
      method: 'POST',
      headers: this.headers({ 'content-type': 'application/x-www-form-urlencoded' }),
      body: new URLSearchParams({ _csrf: csrf, ...form }).toString(),
      redirect: 'manual',
    });
    this.remember(response);
    const body = await response.text();
    if (response.status < 300 || response.status >= 400) this.lastBody = body;
    const location = response.headers.get('location');
    // A form's error answer (#10): a 303 to the form with its kept state; the page says what was wrong.
    if (location && keptFormState.test(location)) return this.get(new URL(location, url).toString());
    return { status: response.status, body, location };
  }
}
