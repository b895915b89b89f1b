/** The demo students the README lists; keep the two in step. */
export const demoStudents = [
  { userId: 's2026001', password: 'Campus-pass-001', state: 'never logged in' },
  { userId: 's2026002', password: 'Campus-pass-002', state: 'never logged in' },
  { userId: 's2026003', password: 'Campus-pass-003', state: 'never logged in' },
  {
    userId: 's2026004',
    password: 'Campus-pass-004',
    state: 'email registered',
    email: 's2026004@student.demo.example',
  },
  {
    userId: 's2026005',
    password: 'Campus-pass-005',
    state: 'fully set up, two-factor on',
    email: 's2026005@student.demo.example',
    secondPassword: 'Shomei2026a',
    twoFactor: true,
  },
  {
    userId: 's2026006',
    password: 'Campus-pass-006',
    state: 'fully set up, two-factor off',
    email: 's2026006@student.demo.example',
    secondPassword: 'Shomei2026b',
    twoFactor: false,
  },
] as const;

export const minatoStudents = [
  { userId: 'm1001', password: 'Harbor-pass-1001' },
  { userId: 'm1002', password: 'Harbor-pass-1002' },
] as const;
