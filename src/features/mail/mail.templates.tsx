import { render } from 'preact-render-to-string';
import { type Lang, translator } from '../../platform/i18n.js';
import type { Tenant } from '../tenants/tenant.model.js';

/** Every mail the service sends; each has `mail.<event>.subject` and `.body` in both locales. */
export type MailEvent =
  | 'emailRegistration'
  | 'emailChange'
  | 'emailChangedNotice'
  | 'authKey'
  | 'secondPasswordReset'
  | 'secondPasswordChangedNotice'
  | 'twoFactorChangedNotice'
  | 'orderStatus'
  | 'digitalDelivery'
  | 'staffInvitation';

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

const URL_PATTERN = /(https?:\/\/[^\s]+)/g;

/** A line of text with its URLs as links (Preact escapes the text and the href). */
function linked(line: string) {
  return line.split(URL_PATTERN).map((part) => (/^https?:\/\//.test(part) ? <a href={part}>{part}</a> : part));
}

/**
 * Plain text and HTML from the same locale strings, ending the way the manuals' samples do:
 * the inquiry block, "delete this message if you don't recognize it", "used only for sending".
 */
export function composeMail(
  event: MailEvent,
  lang: Lang,
  tenant: Tenant,
  params: Record<string, string | number>,
): ComposedMail {
  const t = translator(lang);
  const content = tenant.content[lang];
  const tenantName = tenant.name[lang];
  const body = t(`mail.${event}.body`, { ...params, tenantName });
  const japaneseOnly = lang !== 'ja' && content.inquiry.phonesJapaneseOnly && content.inquiry.phones.length > 0;
  const inquiryTitle = [content.inquiry.title, ...(japaneseOnly ? [t('inquiry.onlyJapanese')] : [])].join(' ').trim();
  const inquiryLines = [
    t('mail.footer.inquiryHeading'),
    t('mail.footer.inquiryAbout'),
    ...(inquiryTitle ? [inquiryTitle] : []),
    ...(japaneseOnly && content.inquiry.chat ? [t('mail.footer.useChat')] : []),
    ...content.inquiry.phones.map((phone) => `${t('inquiry.phone')}: ${phone.number} ${phone.hours}`),
    ...(content.inquiry.chat
      ? [`${t('inquiry.chat')}: ${content.inquiry.chat.url} ${content.inquiry.chat.hours}`]
      : []),
  ];
  const closing = [t('mail.footer.deleteIfUnknown'), t('mail.footer.sendOnly')];
  const subject = `【${tenantName}】${t(`mail.${event}.subject`, { ...params, tenantName })}`;
  const text = [tenantName, '', body, '', ...inquiryLines, '', ...closing, ''].join('\n');

  const paragraphs = body.split(/\n\s*\n/);
  const html = `<!doctype html>${render(
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <title>{subject}</title>
      </head>
      <body style="font-family: sans-serif; line-height: 1.6; color: #1a1a1a;">
        <p style="font-weight: bold;">{tenantName}</p>
        {paragraphs.map((paragraph) => (
          <p key={paragraph}>
            {paragraph.split('\n').map((line, index) => (
              <>
                {index > 0 && <br />}
                {linked(line)}
              </>
            ))}
          </p>
        ))}
        <hr />
        <p style="font-size: 90%;">
          {inquiryLines.map((line, index) => (
            <>
              {index > 0 && <br />}
              {linked(line)}
            </>
          ))}
        </p>
        <p style="font-size: 90%;">
          {closing[0]}
          <br />
          {closing[1]}
        </p>
      </body>
    </html>,
  )}`;
  return { subject, text, html };
}
