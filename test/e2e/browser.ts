import { existsSync } from 'node:fs';
import { type Browser, type BrowserContextOptions, chromium } from 'playwright-core';
import { describe } from 'vitest';

/** Debian's Chromium; the tests never download a browser of their own. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const hasBrowser = existsSync(chromiumPath);

// Locally a missing Chromium skips the browser tests; in CI it must fail, never pass silently.
if (!hasBrowser && process.env.CI === 'true') {
  throw new Error(`Chromium is missing at ${chromiumPath}: the e2e tests cannot run in CI without it`);
}

/** `describe` when Chromium is there; otherwise (outside CI) a skipped suite whose name says why. */
export function describeBrowser(name: string, body: () => void): void {
  if (hasBrowser) describe(name, body);
  else describe.skip(`${name} (skipped: no Chromium at ${chromiumPath})`, body);
}

/** One browser per test file; Playwright gives every launch a fresh, temporary user-data dir. */
export async function launchBrowser(): Promise<Browser> {
  if (!hasBrowser) throw new Error(`Chromium is missing at ${chromiumPath}`);
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

export type DeviceName = 'desktop' | 'phone';

/** The two sizes every journey is walked at: a laptop and an iPhone-sized touch screen. */
export const devices: Record<DeviceName, BrowserContextOptions> = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};

/** Accept-Language the way a student's browser would send it. */
export const locales = { ja: 'ja-JP', en: 'en-US' } as const;
