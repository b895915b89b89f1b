import type { Lang } from '../../src/platform/i18n.js';
import { type Harness, TestBrowser } from '../helpers/harness.js';

/**
 * Browsers for one test file, each from the next address of `subnet` ('10.20.0' gives 10.20.0.1,
 * 10.20.0.2, …), so the per-address rate limits one test trips do not reach the next.
 * `harness` is read at each call: the file starts its harness in beforeAll.
 */
export function browsers(
  harness: () => Harness,
  subnet: string,
  defaultLang?: Lang,
): (lang?: Lang, userAgent?: string) => TestBrowser {
  let next = 1;
  return (lang = defaultLang, userAgent) =>
    new TestBrowser(harness(), { ...(lang && { lang }), ip: `${subnet}.${next++}`, ...(userAgent && { userAgent }) });
}
