import type { EpochMs } from '../../db/types.js';

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
  created_at: EpochMs;
}
