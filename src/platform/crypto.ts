import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  randomInt,
  randomUUID,
  timingSafeEqual,
} from 'node:crypto';

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

/**
 * Small secrets the service must read back (a signing key's passphrase): AES-256-GCM under a
 * key derived from SECRET_KEY, so a copy of the database alone does not open them.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(secretKey: string) {
    this.key = createHmac('sha256', secretKey).update('secret-box').digest();
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url')).join('.');
  }

  open(sealed: string): string {
    const [iv, tag, body] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
    if (!iv || !tag || !body) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  }
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 60 random bits as XXXX-XXXX-XXXX in Crockford base32: no I, L, O or U to misread. */
export function verificationCode(): string {
  const bytes = randomBytes(12);
  let code = '';
  for (let i = 0; i < 12; i++) code += CROCKFORD[(bytes[i] ?? 0) & 31];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/** 20 random bits as four Crockford base32 characters: the part of a serial no database keeps. */
export function serialTag(): string {
  const bytes = randomBytes(4);
  let tag = '';
  for (let i = 0; i < 4; i++) tag += CROCKFORD[(bytes[i] ?? 0) & 31];
  return tag;
}

/** Normalizes a typed code: case, spaces, the look-alikes Crockford folds (O→0, I/L→1). */
export function normalizeVerificationCode(typed: string): string {
  const plain = typed.normalize('NFKC').toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return plain.length === 12 ? `${plain.slice(0, 4)}-${plain.slice(4, 8)}-${plain.slice(8)}` : plain;
}
