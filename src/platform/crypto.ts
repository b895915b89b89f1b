import { createHash, createHmac, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';

/** 256 bits, URL-safe: for one-time URLs, session ids and trusted-browser cookies. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function randomDigits(length: number): string {
  let digits = '';
  for (let i = 0; i < length; i++) digits += String(randomInt(10));
  return digits;
}

export function newId(): string {
  return randomUUID();
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Keyed hashes of secrets we must look up or compare later. Keys are short (6 digits), so a
 * plain hash would fall to a dictionary; the server key keeps a stolen database useless.
 */
export class SecretHasher {
  constructor(private readonly key: string) {}

  hash(purpose: string, value: string): string {
    return createHmac('sha256', this.key).update(purpose).update('\0').update(value).digest('hex');
  }

  matches(purpose: string, value: string, expectedHash: string): boolean {
    return constantTimeEqual(this.hash(purpose, value), expectedHash);
  }
}
