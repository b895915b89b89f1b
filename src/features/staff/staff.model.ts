export const staffRoles = ['registrar', 'administrator'] as const;
export type StaffRole = (typeof staffRoles)[number];

/** invited: the enrolment link is out; active: password and second factor set; disabled: no login. */
export type StaffStatus = 'invited' | 'active' | 'disabled';

export interface StaffMember {
  tenantId: string;
  id: string;
  email: string;
  staffNumber: string | null;
  name: string;
  role: StaffRole;
  status: StaffStatus;
  passwordHash: string | null;
  totpSecretSealed: string | null;
  totpLastCounter: number | null;
  createdAt: number;
}

export interface StaffPasskey {
  id: string;
  staffId: string;
  publicKey: string;
  counter: number;
  transports: string[];
  createdAt: number;
  lastUsedAt: number | null;
}

/** A logged-in staff browser. */
export interface CurrentStaffSession {
  idHash: string;
  member: StaffMember;
  /** When the second factor was last given: re-authentication counts from here. */
  authenticatedAt: number;
}

export function isStaffRole(value: string): value is StaffRole {
  return (staffRoles as readonly string[]).includes(value);
}
