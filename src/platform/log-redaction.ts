/** Query parameters that carry a secret or a lookup key: one-time tokens, verification codes, flow ids. */
const secretParameters = new Set(['token', 'code', 'flow']);

/** A reservation number (12 digits) is what a store terminal prints with: not for the logs. */
const RESERVATION_IN_PATH = /(^|\/)\d{12}(?=\/|$)/g;

/**
 * The request line as it may be logged. The URL is parsed, so an encoded name (`%74oken=`) is
 * recognised like a plain one; anything that cannot be parsed is not logged at all.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://logged.invalid');
  } catch {
    return '[unparsable]';
  }
  const path = parsed.pathname.replace(RESERVATION_IN_PATH, '$1[reservation]');
  const query = [...parsed.searchParams.keys()].length
    ? `?${[...parsed.searchParams]
        .map(([name, value]) =>
          secretParameters.has(name.toLowerCase())
            ? `${encodeURIComponent(name)}=[redacted]`
            : `${encodeURIComponent(name)}=${encodeURIComponent(value)}`,
        )
        .join('&')}`
    : '';
  return `${path}${query}`;
}

/** Anything shaped like a mail address: SMTP replies quote the recipient ("550 <s1@uni.example> unknown"). */
const MAIL_ADDRESS = /[^\s<>()[\]"',;:@]+@[^\s<>()[\]"',;:@]+/g;

/** A message from elsewhere (an SMTP server, a directory) as it may be logged: no mail addresses. */
export function redactAddresses(text: string): string {
  return text.replace(MAIL_ADDRESS, '[address]');
}
