export type TerminalKind = 'campus' | 'convenience';

/** A print terminal with its own credentials (C-5): a campus printer, or a store network gateway. */
export interface Terminal {
  id: string;
  /** Null for a convenience-store network gateway, which serves every university. */
  tenantId: string | null;
  kind: TerminalKind;
  name: string;
  secretHash: string;
}
