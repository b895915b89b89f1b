import type { TenantContent } from '../../features/tenants/tenant.model.js';
import type { NewTenant } from '../../features/tenants/tenant.service.js';

/**
 * The operating manual (L-15, §3.1) as each demo university would write it: what exists, in the
 * manual's order. `digital` says whether the university offers electronic delivery.
 */
function manual(lang: 'ja' | 'en', office: string, digital: boolean): string {
  if (lang === 'ja')
    return [
      '1. はじめに',
      `ログイン後の「発行先選択」画面から、在学証明書・成績証明書・卒業見込み証明書・受講申込書を発行できます。ここにない証明書・学割証明書は、${office}で申請してください。`,
      '2. 発行先',
      [
        '・学内印刷機：学内の証明書印刷機で、その場で料金を支払って受け取ります。',
        '・コンビニエンスストア：全国のコンビニエンスストアのマルチコピー機で、その場で料金を支払って受け取ります。',
        '・郵送：大学が印刷し、国内の住所へ郵送します（手数料のほかに郵送料がかかります）。',
        ...(digital
          ? ['・電子交付：電子署名付きのPDFを、提出先（企業・他校など）へダウンロード用URL（有効期限90日）で送ります。']
          : []),
      ].join('\n'),
      '3. 申込の手順',
      '発行先を選び、証明書ごとに言語と通数を入力して「次へ」を押します。確認画面で料金（郵送は郵送料を含む合計）を確認し、「確定」を押します。支払い後の返金はできません。',
      '4. 予約番号と有効期限',
      '学内印刷機とコンビニエンスストアでは、12桁の予約番号（例：1234-5678-9012）が画面とメールで届きます。予約番号の有効期限は申込から7日間です。期限を過ぎた予約は印刷できないため、もう一度申し込んでください。',
      '5. お支払い',
      '学内印刷機とコンビニエンスストアでは、印刷するときに機械で支払います。郵送' +
        (digital ? 'と電子交付' : '') +
        'では、申込時に届く12桁の払込番号で、7日以内にコンビニエンスストアのマルチコピー機でお支払いください（学内の証明書窓口でも支払えます）。入金を確認してから印刷・発送' +
        (digital ? '（電子交付は送付）' : '') +
        'します。',
      '6. 発行できる方',
      '在学証明書・受講申込書は在学中の方、成績証明書は在学中・休学中・卒業した方が発行できます。卒業見込み証明書は在学中の最終学年の方が、最終学年の4月1日から発行できます。発行できない証明書は、申込画面に理由が表示されます。学籍の状態についてのご相談は' +
        `${office}へどうぞ。`,
      '7. 証明書の真正性確認',
      '証明書には照合コードとQRコードが印刷され、電子署名が付いています。提出先は、照合コードの入力またはPDFのアップロードで、本学が発行したものか、改ざんされていないかを確認できます。',
      '8. 申込履歴',
      'メニューの「申込履歴」から、申込の状態・予約番号・有効期限を確認できます。印刷前の申込は取り消せます。',
    ].join('\n\n');
  return [
    '1. Introduction',
    `After logging in, the Select Printing Destination screen issues the Certificate of Enrollment, the Academic Transcript, the Certificate of Expected Graduation and the Course Application Form. Apply for any other certificate, and for student discount certificates, at ${office}.`,
    '2. Destinations',
    [
      '- On-campus printer: print at a certificate printer on campus and pay there.',
      '- Convenience store: print at the multi-copy machine of a convenience store anywhere in Japan and pay there.',
      '- Postal mail: the university prints the certificates and mails them to an address in Japan (postage is added to the fee).',
      ...(digital
        ? [
            '- Digital delivery: a digitally signed PDF is sent to a recipient (an employer, another school) by a download link valid 90 days.',
          ]
        : []),
    ].join('\n'),
    '3. How to order',
    'Choose a destination, enter the language and number of copies for each certificate and click "Next". Check the fee on the review screen (for postal mail, the total with postage) and click "Confirm". Paid orders are not refunded.',
    '4. Reservation number and validity',
    'For the on-campus printer and convenience stores you receive a 12-digit reservation number (e.g. 1234-5678-9012) on screen and by mail. It is valid for 7 days from the order; after that it cannot be printed, so please order again.',
    '5. Payment',
    'At the on-campus printer and at convenience stores you pay at the machine when you print. For postal mail' +
      (digital ? ' and digital delivery' : '') +
      ', pay within 7 days with the 12-digit payment number you receive when you order, at the multi-copy machine of a convenience store (or at the certificate counter on campus); the university prints and ships' +
      (digital ? ' (or sends)' : '') +
      ' once the payment is confirmed.',
    '6. Who can have each certificate',
    'Enrolled students can have the Certificate of Enrollment and the Course Application Form; enrolled students, students on leave and graduates can have the Academic Transcript. The Certificate of Expected Graduation is for enrolled students in their final year, from April 1 of that year. When a certificate is not available, the order screen says why. For questions about your student status, contact ' +
      `${office}.`,
    '7. Checking that a certificate is genuine',
    'Each certificate carries a verification code and a QR code, and is digitally signed. Whoever receives it can enter the code or upload the PDF on the verification page to see that the university issued it and that it was not altered.',
    '8. Order history',
    'Order history in the menu shows each order, its state, reservation number and expiry. Orders not yet printed can be cancelled.',
  ].join('\n\n');
}

/** The login screen's notes as a Markdown list (#12 §4). */
const notesList = (lines: string[]) => lines.map((line) => `- ${line}`).join('\n');

const loginNotesJa = notesList([
  '初めてログインする場合は、大学のユーザID・パスワードでログインしてください。初回は第2パスワードは不要です。',
  '手続き完了後30分経ってもメールが届かない場合は、迷惑メールフォルダを確認してください。',
]);
const loginNotesEn = notesList([
  'When you log in for the first time, please log in with your university ID/university password. For the first time, second password is not required.',
  'If you do not receive an e-mail within 30 minutes after completing the procedure, check your spam folder.',
]);

const demoContent: TenantContent = {
  ja: {
    loginNotes: loginNotesJa,
    manual: manual('ja', '各学部窓口', true),
    landing: '',
    inquiry: {
      title: '◆デモ大学 証明書発行サービス コールセンター',
      phones: [
        { number: '052-000-0000', hours: '平日 9:00～17:00' },
        { number: '06-0000-0000', hours: '上記時間帯外の平日・土日祝' },
      ],
      chat: { url: 'https://support.demo.example/chat', hours: '受付時間 24時間' },
      phonesJapaneseOnly: true,
    },
    payment: '学内の証明書窓口（本部棟1階、平日9:00～17:00）でも、現金またはキャッシュレスでお支払いいただけます。',
    presidentTitle: '学長',
    presidentName: '山本 一郎',
    address: '東京都千代田区丸の内一丁目1番1号',
  },
  en: {
    loginNotes: loginNotesEn,
    manual: manual('en', 'your faculty office', true),
    landing: '',
    inquiry: {
      title: '◆Demo University Call Center for Certificate Issuance Service',
      phones: [
        { number: '+81-(0)52-000-0000', hours: 'Weekdays 9:00 AM to 5:00 PM' },
        { number: '+81-(0)6-0000-0000', hours: 'Other hours on weekdays, weekends and holidays' },
      ],
      chat: { url: 'https://support.demo.example/chat', hours: 'Reception Hours: 24 hours' },
      phonesJapaneseOnly: true,
    },
    payment:
      'You can also pay in cash or by card at the certificate counter on campus (Main Building, 1st floor, weekdays 9:00 AM to 5:00 PM).',
    presidentTitle: 'President',
    presidentName: 'YAMAMOTO Ichiro',
    address: '1-1-1 Marunouchi, Chiyoda-ku, Tokyo, Japan',
  },
};

/** The second demo university: its own call centre, counter and manual (#10). */
const minatoContent: TenantContent = {
  ja: {
    loginNotes: loginNotesJa,
    manual: manual('ja', '各学部窓口', false),
    landing: '',
    inquiry: {
      title: '◆港デモ大学 学生支援課 証明書発行窓口',
      phones: [{ number: '045-000-0000', hours: '平日 8:30～17:15' }],
      chat: { url: 'https://support.minato.example/chat', hours: '受付時間 平日 8:30～20:00' },
      phonesJapaneseOnly: true,
    },
    payment: 'みなとキャンパス学生支援課の窓口（平日8:30～17:15）でもお支払いいただけます。',
    presidentTitle: '学長',
    presidentName: '海野 港',
    address: '神奈川県横浜市中区海岸通一丁目1番地',
  },
  en: {
    loginNotes: loginNotesEn,
    manual: manual('en', 'your faculty office', false),
    landing: '',
    inquiry: {
      title: '◆Minato Demo University Student Support Office, certificates desk',
      phones: [{ number: '+81-(0)45-000-0000', hours: 'Weekdays 8:30 AM to 5:15 PM' }],
      chat: { url: 'https://support.minato.example/chat', hours: 'Weekdays 8:30 AM to 8:00 PM' },
      phonesJapaneseOnly: true,
    },
    payment:
      'You can also pay at the Student Support Office counter on the Minato campus (weekdays 8:30 AM to 5:15 PM).',
    presidentTitle: 'President',
    presidentName: 'UNNO Minato',
    address: '1-1 Kaigan-dori, Naka-ku, Yokohama, Kanagawa, Japan',
  },
};

export const demoUniversity: NewTenant = {
  slug: 'demo',
  name: { ja: 'デモ大学', en: 'Demo University' },
  content: demoContent,
  // Every destination, so a newcomer can try each; one made-up authority that refuses digital copies (C-9).
  policy: {
    destinations: ['campus', 'convenience', 'postal', 'digital'],
    digitalRefusingDomains: ['refuses-digital.example.go.jp'],
  },
};

/** The second demo university: its policy makes two-factor mandatory. */
export const minatoUniversity: NewTenant = {
  slug: 'minato',
  name: { ja: '港デモ大学', en: 'Minato Demo University' },
  policy: { twoFactorMandatory: true, defaultLang: 'en' },
  content: minatoContent,
};
