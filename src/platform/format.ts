import type { Lang } from './i18n.js';

const TIME_ZONE = 'Asia/Tokyo';

const dateTimeFormats: Record<Lang, Intl.DateTimeFormat> = {
  ja: new Intl.DateTimeFormat('ja-JP', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }),
  en: new Intl.DateTimeFormat('en-US', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }),
};

/** Times are stored in UTC and shown in Japan time, with the zone named so nobody guesses. */
export function formatDateTime(ms: number, lang: Lang): string {
  const text = dateTimeFormats[lang].format(new Date(ms));
  return lang === 'ja' ? `${text}（日本時間）` : `${text} (JST)`;
}

/** Shows enough of an address to recognize it, not enough to harvest it: ta***@example.ac.jp. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '***';
  const local = address.slice(0, at);
  return `${local.slice(0, Math.min(2, local.length - 1))}***${address.slice(at)}`;
}

/** A calendar date ('YYYY-MM-DD') as people write it: 2027年4月1日 / April 1, 2027. */
export function formatDate(isoDate: string, lang: Lang): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  if (!year || !month || !day) return isoDate;
  const date = new Date(Date.UTC(year, month - 1, day));
  return lang === 'ja'
    ? `${year}年${month}月${day}日`
    : new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' }).format(
        date,
      );
}

/** Money as people read it: 1,200円 / ¥1,200 (amounts are integer yen everywhere). */
export function formatYen(amount: number, lang: Lang): string {
  return lang === 'ja' ? `${amount.toLocaleString('ja-JP')}円` : `¥${amount.toLocaleString('en-US')}`;
}

/** A 12-digit reservation number grouped for keying in at a machine: 1234-5678-9012 (#10). */
export function formatReservationNumber(number: string): string {
  return /^\d{12}$/.test(number) ? `${number.slice(0, 4)}-${number.slice(4, 8)}-${number.slice(8)}` : number;
}

/**
 * A reservation number as typed or sent: full-width digits, spaces and hyphens of any width
 * are accepted, so 1234-5678-9012 and 123456789012 are the same number (#10).
 */
export function canonicalReservationNumber(typed: string): string {
  return typed.normalize('NFKC').replace(/[\s\-‐‑‒–—―ー−]/g, '');
}

/** A day of the year ('MM-DD') as people write it: 4月1日 / April 1. */
export function formatMonthDay(monthDay: string, lang: Lang): string {
  const [month, day] = monthDay.split('-').map(Number);
  if (!month || !day) return monthDay;
  return lang === 'ja'
    ? `${month}月${day}日`
    : new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'long', day: 'numeric' }).format(
        new Date(Date.UTC(2001, month - 1, day)),
      );
}

const timeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** A moment within the next minutes, to the second, in Japan time: 18:42:10（日本時間） / 18:42:10 (JST). */
export function formatTime(ms: number, lang: Lang): string {
  const text = timeFormat.format(new Date(ms));
  return lang === 'ja' ? `${text}（日本時間）` : `${text} (JST)`;
}
