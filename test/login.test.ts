import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, TestBrowser, startHarness, students, textOf, uniqueEmail } from './helpers/harness.js';
import { logIn, registerEmail, setSecondPassword } from './helpers/journeys.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

describe.each(['en', 'ja'] as const)('first login to the start screen in %s (§2.1–§2.3)', (lang) => {
  it('L-1 L-3 L-4 L-7: registers the address, sets the second password, logs in with the mailed key', async () => {
    const student = lang === 'en' ? students.fresh : students.fresh2;
    const browser = new TestBrowser(h, { lang });
    const email = uniqueEmail(student.userId);

    const login = await browser.get('/tu/login');
    const text = textOf(login.body);
    if (lang === 'en') {
      for (const words of [
        'User ID',
        'Password',
        'Second password',
        'If you have forgotten your second password.',
        'Notes',
        'Login',
        'LANG',
      ]) {
        expect(text).toContain(words);
      }
    } else {
      for (const words of [
        'ユーザID',
        'パスワード',
        '第2パスワード',
        '第2パスワードを忘れた場合',
        '注意事項',
        'ログイン',
        'LANG',
      ]) {
        expect(text).toContain(words);
      }
    }

    await registerEmail(h, browser, student, email);
    expect(textOf(browser.lastBody)).toContain(
      lang === 'en' ? 'Mail address setting complete' : 'メールアドレス設定完了',
    );
    expect(textOf(browser.lastBody)).toContain(lang === 'en' ? 'Move to Login page' : 'ログインページへ移動');

    const set = await setSecondPassword(browser, student, 'Shomei2026Zz');
    expect(textOf(set.body)).toContain(
      lang === 'en' ? 'Setting the second password complete' : '第2パスワード設定完了',
    );

    const home = await logIn(h, browser, student, 'Shomei2026Zz', email);
    expect(home.status).toBe(200);
    expect(textOf(home.body)).toContain(lang === 'en' ? 'Select Printing Destination' : '発行先選択');
    const keyMail = h.smtp.mails.filter((m) => m.to.includes(email)).at(-1)!;
    expect(keyMail.text).toContain(lang === 'en' ? 'Date of Expiry' : '有効期限');
    expect(keyMail.text).toContain(lang === 'en' ? 'This email address is used only for sending' : '送信専用');
  });
});
