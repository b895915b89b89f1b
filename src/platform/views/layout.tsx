import type { ComponentChildren } from 'preact';
import { InquiryBlock, LangSwitch, Menu } from './components.js';
import { usePage } from './page-context.js';
import { staticPart } from './static-parts.js';

export interface LayoutProps {
  title: string;
  /** Prefixes the document title with "Error: " so screen readers hear it first (GOV.UK). */
  hasErrors?: boolean;
  /** The LANG pull-down shows only on Login and Select Printing Destination (§2.5). */
  langSwitch?: { keep: Record<string, string> };
  children: ComponentChildren;
}

export function Layout({ title, hasErrors, langSwitch, children }: LayoutProps) {
  const page = usePage();
  const { t, lang, tenant } = page;
  const siteName = tenant ? tenant.name[lang] : t('common.serviceName');
  const documentTitle = `${hasErrors ? `${t('common.errorPrefix')} ` : ''}${title} – ${siteName}`;
  const colour = tenant?.branding?.colour;
  const logo = tenant?.branding?.logo;
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{documentTitle}</title>
        <link rel="stylesheet" href="/static/app.css" />
        {tenant && colour && (
          <link rel="stylesheet" href={`/${tenant.slug}/branding/colours.css?v=${colour.slice(1)}`} />
        )}
        <script src="/static/app.js" defer />
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t('common.skipToContent')}
        </a>
        <header class="site-header">
          <div class="site-header__inner">
            <p
              class="brand"
              dangerouslySetInnerHTML={staticPart(page, 'brand', () => (
                <>
                  {tenant && logo && (
                    <img
                      class="brand__logo"
                      src={`/${tenant.slug}/branding/logo?v=${logo.sha256.slice(0, 16)}`}
                      alt=""
                      width={logo.width}
                      height={logo.height}
                    />
                  )}
                  <span class="brand__tenant">{siteName}</span>
                  {tenant && <span class="brand__service">{t('common.serviceName')}</span>}
                </>
              ))}
            />
            <div class="site-header__tools">
              {langSwitch && <LangSwitch keep={langSwitch.keep} />}
              <Menu />
            </div>
          </div>
        </header>
        <main id="main" class="main" tabIndex={-1}>
          <h1>{title}</h1>
          {children}
        </main>
        <footer
          class="site-footer"
          dangerouslySetInnerHTML={staticPart(page, 'inquiry', () => (
            <InquiryBlock />
          ))}
        />
      </body>
    </html>
  );
}
