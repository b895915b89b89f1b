import type { EpochMs } from '../db/types.js';

export interface FormStateTable {
  tenant_id: string;
  /** Keyed hash of the id in the page's address: a database leak does not open anyone's form. */
  id_hash: string;
  /** Keyed hash of the browser's binding cookie: another browser with the address sees nothing. */
  binding_hash: string;
  /** The page (path without query) the state was kept for. */
  path: string;
  /** Values and errors as JSON, sealed with the server key (a kept new second password is in it). */
  sealed: string;
  expires_at: EpochMs;
}
