import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addressee } from './addressee.js';
import { projectRoot } from './paths.js';

describe('#9 addressing a recipient once', () => {
  it('#9 様 is added to a bare name, not to one that already carries an honorific or 御中', () => {
    expect(addressee('佐藤 花子', 'ja')).toBe('佐藤 花子 様');
    expect(addressee('株式会社サンプル 人事部 佐藤様', 'ja')).toBe('株式会社サンプル 人事部 佐藤様');
    expect(addressee('株式会社サンプル 人事部 御中 ', 'ja')).toBe('株式会社サンプル 人事部 御中');
    expect(addressee('鈴木殿', 'ja')).toBe('鈴木殿');
    expect(addressee('Sample Corporation, Human Resources', 'en')).toBe('Sample Corporation, Human Resources');
  });

  it('#9 no locale string writes 様, 殿 or 御中 after a placeholder itself (the class of "佐藤様 様")', () => {
    const dir = path.join(projectRoot, 'src', 'locales', 'ja');
    const offenders: string[] = [];
    const walk = (value: unknown, where: string) => {
      if (typeof value === 'string') {
        if (/\}\}\s*(様|殿|御中)/.test(value)) offenders.push(`${where}: ${value}`);
      } else if (value && typeof value === 'object') {
        for (const [key, child] of Object.entries(value)) walk(child, `${where}.${key}`);
      }
    };
    for (const file of fs.readdirSync(dir).filter((name) => name.endsWith('.json')))
      walk(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')), file);
    expect(offenders).toEqual([]);
  });
});
