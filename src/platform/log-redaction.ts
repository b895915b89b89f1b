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

/**
 * The values of a distinguished name's parts (RFC 4514 names, and the ones directories use for
 * people): an LDAP error quotes the DN it failed on, and with a bind template that DN holds the
 * student's user ID.
 */
const DN_VALUE =
  /\b(cn|uid|ou|o|dc|l|st|c|street|mail|samaccountname|userprincipalname|employeenumber)=(?:"[^"]*"|[^,+;\s]+)/gi;

/** A directory's error message as it may be logged: no user IDs in DNs, no mail addresses. */
export function redactDirectoryMessage(text: string): string {
  return redactAddresses(text.replace(DN_VALUE, '$1=[redacted]'));
}
