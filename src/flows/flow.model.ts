import type { FlowKind, FlowState } from './flow.state.js';

/** One multi-step journey (ARCHITECTURE.md "Flows"); `context` is the journey's own JSON. */
export interface Flow<C = Record<string, unknown>> {
  tenantId: string;
  id: string;
  kind: FlowKind;
  state: FlowState;
  subjectId: string | null;
  issuedAt: number;
  expiresAt: number;
  context: C;
}

/** What every browser-bound journey keeps: the language, and the browser it belongs to. */
export interface BoundContext {
  lang: string;
  binding: string;
}
