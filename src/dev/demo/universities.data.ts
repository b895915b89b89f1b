import type { TenantContent } from '../../features/tenants/tenant.model.js';
import type { NewTenant } from '../../features/tenants/tenant.service.js';

/** Both demo universities show these texts. */
const demoContent: TenantContent = {
  ja: {
    loginNotes: [
      '初めてログインする場合は、大学のユーザID・パスワードでログインしてください。初回は第2パスワードは不要です。',
      '手続き完了後10分以内にメールが届かない場合は、迷惑メールフォルダを確認してください。',
    ],
    manual:
      '証明書の発行方法\n\nログイン後の「発行先選択」画面で、学内印刷機・コンビニエンスストア・郵送のいずれかを選びます。\n\nコンビニエンスストアで発行する場合は、表示される予約番号を控え、店舗のマルチコピー機で入力して料金を支払ってください。\n\n証明書の発行機能は近日公開予定です。',
    inquiry: {
      title: '◆デモ大学 証明書発行サービス コールセンター',
      phones: [
        { number: '052-000-0000', hours: '平日 9:00～17:00' },
        { number: '06-0000-0000', hours: '上記時間帯外の平日・土日祝' },
      ],
      chat: { url: 'https://support.demo.example/chat', hours: '受付時間 24時間' },
    },
    certificates: ['在学証明書', '成績証明書', '卒業見込み証明書', '受講申込書'],
    destinations: [
      '学内に設置されている学内印刷機での発行',
      '全国のコンビニエンスストアのマルチコピー機での発行',
      '郵送での受け取り',
    ],
    presidentTitle: '学長',
    presidentName: '山本 一郎',
    address: '東京都千代田区丸の内一丁目1番1号',
  },
  en: {
    loginNotes: [
      'When you log in for the first time, please log in with your university ID/university password. For the first time, second password is not required.',
      'If you do not receive an e-mail within 10 minutes after completing the procedure, check your spam folder.',
    ],
    manual:
      'How to issue certificates\n\nAfter logging in, choose the on-campus printer, a convenience store or postal mail on the Select Printing Destination screen.\n\nFor a convenience store, note the reservation number shown, enter it at the multi-copy machine in the store and pay there.\n\nCertificate issuance is coming soon.',
    inquiry: {
      title: '◆Demo University Call Center for Certificate Issuance Service',
      phones: [
        { number: '+81-(0)52-000-0000', hours: 'Weekdays 9:00 AM to 5:00 PM' },
        { number: '+81-(0)6-0000-0000', hours: 'Other hours on weekdays, weekends and holidays' },
      ],
      chat: { url: 'https://support.demo.example/chat', hours: 'Reception Hours: 24 hours' },
    },
    certificates: [
      'Certificate of Enrollment',
      'Academic Transcript',
      'Certificate of Expected Graduation',
      'Course Application Form',
    ],
    destinations: ['On-campus printers', 'Multi-copy machines at convenience stores nationwide', 'Postal mail'],
    presidentTitle: 'President',
    presidentName: 'YAMAMOTO Ichiro',
    address: '1-1-1 Marunouchi, Chiyoda-ku, Tokyo, Japan',
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
  content: demoContent,
};
