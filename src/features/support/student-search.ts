/** At most this many students are listed for one search; more asks for a narrower one. */
export const SEARCH_LIMIT = 50;

/** One word of a search, in each form the stored fields may hold it. */
export interface SearchToken {
  /** NFKC, lower case, no spaces: for IDs, roman names, mail addresses and kanji. */
  text: string;
  /** The same word with hiragana as katakana, and with katakana as hiragana: for the kana name. */
  katakana: string;
  hiragana: string;
}

const HIRAGANA = /[\u3041-\u3096]/g;
const KATAKANA = /[\u30a1-\u30f6]/g;
const KANA_OFFSET = 0x60;

/**
 * What a registrar typed, as words every one of which must match (#12 A-2): full-width letters
 * and digits become half-width (NFKC), roman letters and addresses match whatever their case,
 * and やまだ finds ヤマダ. "YAMADA Taro", "taro yamada" and "山田太郎" all find 山田 太郎.
 */
export function searchTokens(query: string): SearchToken[] {
  const words = query.normalize('NFKC').toLowerCase().split(/\s+/u).filter(Boolean);
  return [...new Set(words)].slice(0, 5).map((text) => ({
    text,
    katakana: text.replace(HIRAGANA, (c) => String.fromCharCode(c.charCodeAt(0) + KANA_OFFSET)),
    hiragana: text.replace(KATAKANA, (c) => String.fromCharCode(c.charCodeAt(0) - KANA_OFFSET)),
  }));
}

/** `%word%` for SQL LIKE with `\` as the escape: the typed `%`, `_` and `\` match themselves. */
export function containsPattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
