/**
 * The demo universities' staff the README lists; keep the two in step. The TOTP secrets are
 * published on purpose, so anyone can log in to the demo console with an app or `oathtool` —
 * never do this outside the demo.
 */
export const demoStaff = [
  {
    tenant: 'demo',
    email: 'admin@demo.example.ac.jp',
    staffNumber: 'A0001',
    name: '管理 花子',
    role: 'administrator',
    password: 'Demo-admin-pass-2026',
    totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  },
  {
    tenant: 'demo',
    email: 'registrar@demo.example.ac.jp',
    staffNumber: 'R0001',
    name: '教務 太郎',
    role: 'registrar',
    password: 'Demo-registrar-pass-2026',
    totpSecret: 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU',
  },
  {
    tenant: 'minato',
    email: 'admin@minato.example.ac.jp',
    staffNumber: 'A0001',
    name: 'Harbor Admin',
    role: 'administrator',
    password: 'Minato-admin-pass-2026',
    totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
  },
  {
    tenant: 'minato',
    email: 'registrar@minato.example.ac.jp',
    staffNumber: 'R0001',
    name: 'Harbor Registrar',
    role: 'registrar',
    password: 'Minato-registrar-pass-2026',
    totpSecret: 'MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK',
  },
] as const;
