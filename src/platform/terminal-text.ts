/**
 * Characters that change how text is shown rather than what it says: C0 and C1 controls, DEL,
 * and the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) that
 * reorder a line on screen (Trojan Source). No name, address or other field of a record holds them.
 */
export const INVISIBLE_CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const INVISIBLE_CONTROLS = new RegExp(INVISIBLE_CONTROL.source, 'g');

/** The code point as people write it: U+001B. */
export function codePointName(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Text safe to print to an operator's terminal: every control or bidi character written out as
 * `<U+001B>`, so a file cannot move the cursor, recolour or reorder what the operator reads.
 */
export function visibleControls(text: string): string {
  return text.replace(INVISIBLE_CONTROLS, (character) => `<${codePointName(character)}>`);
}
