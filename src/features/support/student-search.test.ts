import { describe, expect, it } from 'vitest';
import { containsPattern, searchTokens } from './student-search.js';

describe('#12 A-2 the student search words', () => {
  it('#12 A-2 normalises width, case and kana, and splits on any space', () => {
    expect(searchTokens('  ＹＡＭＡＤＡ　Taro ')).toEqual([
      { text: 'yamada', katakana: 'yamada', hiragana: 'yamada' },
      { text: 'taro', katakana: 'taro', hiragana: 'taro' },
    ]);
    expect(searchTokens('やまだ')[0]).toMatchObject({ katakana: 'ヤマダ', hiragana: 'やまだ' });
    expect(searchTokens('ﾔﾏﾀﾞ')[0]).toMatchObject({ katakana: 'ヤマダ', hiragana: 'やまだ' });
    expect(searchTokens('Taro.Yamada@Example.AC.JP')[0]!.text).toBe('taro.yamada@example.ac.jp');
    expect(searchTokens('   ')).toEqual([]);
  });

  it('#12 A-2 a typed % or _ matches only itself', () => {
    expect(containsPattern('a%b_c\\')).toBe('%a\\%b\\_c\\\\%');
  });
});
