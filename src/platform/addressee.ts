import type { Lang } from './i18n.js';

/** Endings that already address someone politely: a name with one gets no second honorific. */
const honorifics = ['様', 'さま', 'サマ', '殿', 'どの', '御中', '先生', 'さん', '宛', '宛て'];

/**
 * A person or organisation as a Japanese text addresses them: 様 is added unless the name already
 * ends with an honorific the student typed (佐藤様, 人事部 御中). Templates take this instead of
 * writing 様 after a name themselves, so no name is addressed twice ("佐藤様 様", #9). English
 * uses the name as given.
 */
export function addressee(name: string, lang: Lang): string {
  const trimmed = name.trim();
  if (lang !== 'ja' || trimmed === '') return trimmed;
  return honorifics.some((ending) => trimmed.endsWith(ending)) ? trimmed : `${trimmed} 様`;
}
