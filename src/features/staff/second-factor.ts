import { randomInt } from 'node:crypto';
import {
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import { Secret, TOTP } from 'otpauth';
import type { SecretHasher } from '../../platform/crypto.js';
import { type Tenant, tenantLink } from '../tenants/tenant.model.js';
import type { StaffMember, StaffPasskey } from './staff.model.js';

/** RFC 6238 as every authenticator app does it: SHA-1, six digits, 30 seconds. */
const TOTP_PERIOD_SECONDS = 30;
/** A code of the step before or after is taken too: phone clocks drift. */
const TOTP_WINDOW = 1;
export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const RECOVERY_PURPOSE = 'staff-recovery-code';

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(tenant: Tenant, member: Pick<StaffMember, 'email'>, base32: string): TOTP {
  return new TOTP({
    issuer: `Shomei ${tenant.slug}`,
    label: member.email,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(base32),
  });
}

/** The otpauth:// URI the QR code carries. */
export function totpUri(tenant: Tenant, member: Pick<StaffMember, 'email'>, base32: string): string {
  return totp(tenant, member, base32).toString();
}

/** The time step of a right code, or undefined; the caller takes the step once (replay). */
export function totpStep(
  tenant: Tenant,
  member: Pick<StaffMember, 'email'>,
  base32: string,
  code: string,
  now: number,
): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totp(tenant, member, base32).validate({ token: code, timestamp: now, window: TOTP_WINDOW });
  return delta === null ? undefined : Math.floor(now / 1000 / TOTP_PERIOD_SECONDS) + delta;
}

/** Codes typed with spaces, hyphens or capitals are the same code. */
export function normalizeCode(typed: string): string {
  return typed.replace(/[\s-]/g, '').toLowerCase();
}

export function looksLikeTotp(typed: string): boolean {
  return /^\d{6}$/.test(normalizeCode(typed));
}

/** Ten codes of 50 random bits each, written xxxxx-xxxxx; only keyed hashes are stored. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]);
    return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
  });
}

export function recoveryCodeHash(secrets: SecretHasher, staffId: string, code: string): string {
  return secrets.hash(RECOVERY_PURPOSE, `${staffId}:${normalizeCode(code)}`);
}

/** Passkeys belong to the address the university is served at. */
function relyingParty(tenant: Tenant): { rpID: string; origin: string } {
  const url = new URL(tenantLink(tenant, '/'));
  return { rpID: url.hostname, origin: url.origin };
}

export async function passkeyRegistrationOptions(
  tenant: Tenant,
  member: StaffMember,
  existing: StaffPasskey[],
  challenge: string,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: `Shomei ${tenant.name.en}`,
    rpID: relyingParty(tenant).rpID,
    userName: member.email,
    userDisplayName: member.name || member.email,
    userID: new TextEncoder().encode(member.id),
    challenge: isoBase64URL.toBuffer(challenge),
    attestationType: 'none',
    excludeCredentials: existing.map((passkey) => ({ id: passkey.id })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
}

/** The new passkey, when the browser's answer is to this challenge at this address. */
export async function verifiedPasskey(
  tenant: Tenant,
  staffId: string,
  responseJson: string,
  challenge: string,
  now: number,
): Promise<StaffPasskey | undefined> {
  const response = parseJson<RegistrationResponseJSON>(responseJson);
  if (!response) return undefined;
  const { rpID, origin } = relyingParty(tenant);
  try {
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: false,
    });
    if (!result.verified) return undefined;
    const { credential } = result.registrationInfo;
    return {
      id: credential.id,
      staffId,
      publicKey: isoBase64URL.fromBuffer(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports ?? [],
      createdAt: now,
      lastUsedAt: null,
    };
  } catch {
    return undefined;
  }
}

export async function passkeyLoginOptions(
  tenant: Tenant,
  passkeys: StaffPasskey[],
  challenge: string,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: relyingParty(tenant).rpID,
    challenge: isoBase64URL.toBuffer(challenge),
    allowCredentials: passkeys.map((passkey) => ({ id: passkey.id })),
    userVerification: 'preferred',
  });
}

/** The passkey that signed this challenge and its new counter, when the signature holds. */
export async function verifiedAssertion(
  tenant: Tenant,
  passkeys: StaffPasskey[],
  responseJson: string,
  challenge: string,
): Promise<{ passkey: StaffPasskey; newCounter: number } | undefined> {
  const response = parseJson<AuthenticationResponseJSON>(responseJson);
  const passkey = response && passkeys.find((each) => each.id === response.id);
  if (!response || !passkey) return undefined;
  const { rpID, origin } = relyingParty(tenant);
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential: { id: passkey.id, publicKey: isoBase64URL.toBuffer(passkey.publicKey), counter: passkey.counter },
      requireUserVerification: false,
    });
    return result.verified ? { passkey, newCounter: result.authenticationInfo.newCounter } : undefined;
  } catch {
    return undefined;
  }
}

export function newChallenge(): string {
  return isoBase64URL.fromBuffer(crypto.getRandomValues(new Uint8Array(32)));
}

function parseJson<T>(text: string): T | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string'
      ? (value as T)
      : undefined;
  } catch {
    return undefined;
  }
}
