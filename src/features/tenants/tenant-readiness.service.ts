import type { Infrastructure } from '../../infrastructure.js';
import { type Lang, languages } from '../../platform/i18n.js';
import type { Tenant } from './tenant.model.js';
import type { TenantService } from './tenant.service.js';

/** What the certificates feature says about a university's signing key (it sits above this one). */
export interface SignerCheck {
  /** False while it signs with the self-signed development key made for it. */
  hasOwnSigner(tenant: Tenant): Promise<boolean>;
}

/** One thing a university lacks before it may open, and the command that supplies it. */
export interface Missing {
  what: string;
  fix: string;
}

/**
 * Whether a university is set up well enough to open (#13): students would otherwise meet an
 * empty order form, certificates signed off with no name, or mail ending in an empty inquiry block.
 */
export class TenantReadinessService {
  constructor(private readonly deps: Pick<Infrastructure, 'uow'> & { signers: SignerCheck; tenants: TenantService }) {}

  async missing(tenant: Tenant): Promise<Missing[]> {
    const repos = this.deps.uow.repos;
    const missing: Missing[] = [];
    const catalogue = await repos.catalogue.list(tenant.id, { activeOnly: true });
    if (catalogue.length === 0)
      missing.push({ what: 'catalogue: no certificate type is offered', fix: 'shomei catalogue set' });

    const setContent = 'shomei tenant set --content';
    // Pages and mail are in both languages; the issuer only in the languages certificates are issued in.
    const certificateLangs: readonly Lang[] =
      catalogue.length === 0
        ? languages
        : languages.filter((lang) => catalogue.some((item) => item.languages.includes(lang)));
    for (const lang of languages) {
      const content = tenant.content[lang];
      if (!content.inquiry.title.trim())
        missing.push({ what: `content.${lang}.inquiry.title is empty`, fix: setContent });
      if (content.inquiry.phones.length === 0 && !content.inquiry.chat)
        missing.push({ what: `content.${lang}.inquiry has no phone or chat`, fix: setContent });
      if (!certificateLangs.includes(lang)) continue;
      for (const field of ['presidentTitle', 'presidentName', 'address'] as const)
        if (!content[field].trim()) missing.push({ what: `content.${lang}.${field} is empty`, fix: setContent });
    }

    if (!(await this.deps.signers.hasOwnSigner(tenant)))
      missing.push({ what: "signer: the university's own signing key is not imported", fix: 'shomei signer import' });

    if (tenant.directory.kind === 'local' && (await repos.roster.countActive(tenant.id)) === 0)
      missing.push({
        what: 'directory: the local roster has no users and no LDAP directory is set',
        fix: 'shomei tenant set --directory (LDAP) or shomei roster set',
      });
    return missing;
  }

  /** Opens the university, or answers what it still lacks and leaves it closed. */
  async enable(tenant: Tenant): Promise<{ status: 'enabled' } | { status: 'incomplete'; missing: Missing[] }> {
    const missing = await this.missing(tenant);
    if (missing.length > 0) return { status: 'incomplete', missing };
    await this.deps.tenants.setEnabled(tenant, true);
    return { status: 'enabled' };
  }
}
