import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  randomFillSync,
  randomInt,
  randomUUID,
  timingSafeEqual,
} from 'node:crypto';

const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let poolOffset = POOL_SIZE;

/**
 * `bytes` random bytes from the CSPRNG as base64url, drawn from a pool filled 4 KB at a time. One
 * randomFillSync costs about the same whatever its size (tens of microseconds under load: OpenSSL's
 * generator is entered anew each time), which made the CSRF secret of a first visit a visible
 * share of the login page (#11); Node's randomUUID pools the same way. Each byte is handed out
 * once.
 */
export function randomBase64url(bytes: number): string {
  if (bytes > POOL_SIZE) return randomBytes(bytes).toString('base64url');
  if (poolOffset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const text = pool.toString('base64url', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return text;
}

/** 256 bits, URL-safe: for one-time URLs, session ids and trusted-browser cookies. */
export function randomToken(bytes = 32): string {
  return randomBase64url(bytes);
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

/** One server key and the keys derived from it, each for one purpose only (HKDF). */
export class ServerKey {
  /** Names the key in sealed values and logs without revealing it. */
  readonly id: string;

  constructor(readonly secret: string) {
    this.id = this.fingerprint().slice(0, 8);
  }

  derive(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.secret, 'shomei', purpose, 32));
  }

  /** A keyed hash of a constant: stored in the database, it tells whether a key is the one in use. */
  fingerprint(): string {
    return createHmac('sha256', this.derive('fingerprint')).update('shomei secret key fingerprint').digest('hex');
  }
}

/**
 * SECRET_KEY, and during a rotation SECRET_KEY_PREVIOUS: new values are sealed and hashed under
 * the current key, values made under the previous one are still accepted until re-sealed.
 */
export class Keyring {
  readonly current: ServerKey;
  readonly previous: ServerKey | undefined;

  constructor(current: string, previous?: string) {
    this.current = new ServerKey(current);
    this.previous = previous && previous !== current ? new ServerKey(previous) : undefined;
  }

  get all(): ServerKey[] {
    return this.previous ? [this.current, this.previous] : [this.current];
  }
}

function keyringOf(keys: Keyring | string): Keyring {
  return typeof keys === 'string' ? new Keyring(keys) : keys;
}

/**
 * Keyed hashes of secrets we must look up or compare later. Keys are short (6 digits), so a
 * plain hash would fall to a dictionary; the server key keeps a stolen database useless. The
 * HMAC takes the server key itself (not a derived one) so hashes stored before the keyring still
 * match; the purpose inside the message keeps the uses apart.
 */
export class SecretHasher {
  private readonly keys: Keyring;

  constructor(keys: Keyring | string) {
    this.keys = keyringOf(keys);
  }

  hash(purpose: string, value: string): string {
    return this.hashWith(this.keys.current, purpose, value);
  }

  /** Under each key, the current first: a verifier (cookie signing) that accepts either. */
  hashAll(purpose: string, value: string): string[] {
    return this.keys.all.map((key) => this.hashWith(key, purpose, value));
  }

  /** Also under the previous key: a key mailed just before a rotation still works after it. */
  matches(purpose: string, value: string, expectedHash: string): boolean {
    return this.keys.all.some((key) => constantTimeEqual(this.hashWith(key, purpose, value), expectedHash));
  }

  private hashWith(key: ServerKey, purpose: string, value: string): string {
    return createHmac('sha256', key.secret).update(purpose).update('\0').update(value).digest('hex');
  }
}

/** A sealed value names the key that sealed it: `v2.<key id>.<iv>.<tag>.<body>`. */
const SEALED_V2 = 'v2';

/**
 * Small secrets the service must read back (a signing key's passphrase, queued mail): AES-256-GCM
 * under a key derived from SECRET_KEY, so a copy of the database alone does not open them.
 * Values sealed before key ids existed (`<iv>.<tag>.<body>`) still open.
 */
export class SecretBox {
  private readonly keys: Keyring;
  private readonly boxKeys = new Map<string, Buffer>();
  private readonly legacyKeys: Buffer[];

  constructor(keys: Keyring | string) {
    this.keys = keyringOf(keys);
    for (const key of this.keys.all) this.boxKeys.set(key.id, key.derive('secret-box v2'));
    this.legacyKeys = this.keys.all.map((key) => createHmac('sha256', key.secret).update('secret-box').digest());
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.boxKeys.get(this.keys.current.id) as Buffer, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url'));
    return [SEALED_V2, this.keys.current.id, ...parts].join('.');
  }

  /** Throws when no key this instance holds opens the value. */
  open(sealed: string): string {
    const parts = sealed.split('.');
    if (parts.length === 5 && parts[0] === SEALED_V2) {
      const key = this.boxKeys.get(parts[1] ?? '');
      if (!key) throw new Error(`sealed under key ${parts[1]}, which is neither SECRET_KEY nor SECRET_KEY_PREVIOUS`);
      return decrypt(key, parts.slice(2));
    }
    if (parts.length !== 3) throw new Error('not a sealed value');
    for (const key of this.legacyKeys) {
      try {
        return decrypt(key, parts);
      } catch {
        // Sealed under the other key: try the next.
      }
    }
    throw new Error('sealed under a key that is neither SECRET_KEY nor SECRET_KEY_PREVIOUS');
  }

  /** Whether a value should be sealed again under the current key (after a rotation). */
  isStale(sealed: string): boolean {
    return !sealed.startsWith(`${SEALED_V2}.${this.keys.current.id}.`);
  }
}

function decrypt(key: Buffer, encoded: string[]): string {
  const [iv, tag, body] = encoded.map((part) => Buffer.from(part, 'base64url'));
  if (!iv || !tag || !body) throw new Error('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
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
