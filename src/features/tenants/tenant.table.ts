import type { EpochMs, Flag } from '../../db/types.js';

export interface TenantTable {
  id: string;
  slug: string;
  name_ja: string;
  name_en: string;
  /** JSON of TenantPolicy. */
  policy: string;
  /** JSON of TenantContent. */
  content: string;
  /** JSON of DirectoryConfig. */
  directory: string;
  /** Where its pages are served, e.g. https://shomei.example.ac.jp (no trailing slash). */
  public_url: string | null;
  /** 1 once the operator opened it (`shomei tenant enable`); 0 while it is being set up. */
  enabled: Flag;
  /** JSON of TenantBranding. */
  branding: string;
  created_at: EpochMs;
}

/** The university's logo (#12 §4), served to its pages from here. */
export interface TenantLogoTable {
  tenant_id: string;
  /** Hex SHA-256 of the bytes: the version its address carries. */
  sha256: string;
  content_type: string;
  data_base64: string;
  updated_at: EpochMs;
}
