import crypto from 'node:crypto';
import type * as Pkcs11 from 'pkcs11js';
import type { Pkcs11Location } from '../signing-key.model.js';
import type { KeySigner } from './key-signer.js';
import { maxEcdsaSignatureBytes } from './pkcs12-signer.js';

type Module = Pkcs11.PKCS11;
type Api = typeof Pkcs11;

const curveBits: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521 };

/** DER INTEGER/SEQUENCE length octets, short or long form. */
function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes = Buffer.from(length.toString(16).padStart(length > 0xff ? 4 : 2, '0'), 'hex');
  return Buffer.concat([Buffer.from([0x80 | bytes.length]), bytes]);
}

function derInteger(value: Buffer): Buffer {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const trimmed = value.subarray(start);
  const body = (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
  return Buffer.concat([Buffer.from([0x02]), derLength(body.length), body]);
}

/** PKCS#11 returns ECDSA signatures as r‖s; CMS wants ECDSA-Sig-Value, a DER SEQUENCE of the two. */
export function ecdsaRawToDer(raw: Buffer): Buffer {
  const half = raw.length / 2;
  const body = Buffer.concat([derInteger(raw.subarray(0, half)), derInteger(raw.subarray(half))]);
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
}

// A module is loaded and initialised once per process: a second C_Initialize is an error, and
// every university whose key is in the same HSM shares it.
const modules = new Map<string, { api: Api; module: Module }>();

async function loadModule(path: string): Promise<{ api: Api; module: Module }> {
  const loaded = modules.get(path);
  if (loaded) return loaded;
  const api = ((await import('pkcs11js')) as unknown as { default: Api }).default;
  const module = new api.PKCS11();
  module.load(path);
  try {
    module.C_Initialize();
  } catch (error) {
    if (!(error instanceof api.Pkcs11Error && error.code === api.CKR_CRYPTOKI_ALREADY_INITIALIZED)) throw error;
  }
  const entry = { api, module };
  modules.set(path, entry);
  return entry;
}

/** Opens a session on the token `location` names and logs in with `pin`. */
function login(api: Api, module: Module, location: Pkcs11Location, pin: string): Pkcs11.Handle {
  const slot = module
    .C_GetSlotList(true)
    .find((candidate) => module.C_GetTokenInfo(candidate).label.trim() === location.token);
  if (slot === undefined) throw new Error(`no token labelled "${location.token}" in ${location.module}`);
  const session = module.C_OpenSession(slot, api.CKF_SERIAL_SESSION);
  try {
    module.C_Login(session, api.CKU_USER, pin);
  } catch (error) {
    // Login is per token and application: another session of this process may have done it.
    if (!(error instanceof api.Pkcs11Error && error.code === api.CKR_USER_ALREADY_LOGGED_IN)) {
      module.C_CloseSession(session);
      throw error;
    }
  }
  return session;
}

function findObject(
  api: Api,
  module: Module,
  session: Pkcs11.Handle,
  objectClass: number,
  label: string,
): Pkcs11.Handle | undefined {
  module.C_FindObjectsInit(session, [
    { type: api.CKA_CLASS, value: objectClass },
    { type: api.CKA_LABEL, value: label },
  ]);
  try {
    return module.C_FindObjects(session, 1)[0];
  } finally {
    module.C_FindObjectsFinal(session);
  }
}

/**
 * A key in a PKCS#11 token (an HSM, or SoftHSM2 in tests): it never leaves the token, which
 * signs. One session per signer, used by one signature at a time (a PKCS#11 session runs one
 * operation at a time); a session the token dropped (restart, timeout) is opened again once.
 */
class Pkcs11Signer implements KeySigner {
  readonly keyType: 'rsa' | 'ec';
  readonly maxSignatureBytes: number;
  private open: { session: Pkcs11.Handle; key: Pkcs11.Handle } | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly api: Api,
    private readonly module: Module,
    private readonly location: Pkcs11Location,
    private readonly pin: string,
    readonly certificates: readonly Buffer[],
  ) {
    const publicKey = new crypto.X509Certificate(certificates[0]!).publicKey;
    const details = publicKey.asymmetricKeyDetails ?? {};
    if (publicKey.asymmetricKeyType === 'rsa') {
      this.keyType = 'rsa';
      this.maxSignatureBytes = Math.ceil((details.modulusLength ?? 0) / 8);
    } else if (publicKey.asymmetricKeyType === 'ec') {
      this.keyType = 'ec';
      this.maxSignatureBytes = maxEcdsaSignatureBytes(curveBits[details.namedCurve ?? ''] ?? 521);
    } else {
      throw new Error(`the certificate's key is ${publicKey.asymmetricKeyType}; Shomei signs with RSA or ECDSA`);
    }
  }

  sign(data: Buffer): Promise<Buffer> {
    const next = this.queue.then(async () => {
      const reused = this.open !== undefined;
      try {
        return await this.signOnce(data);
      } catch (error) {
        // Only a session that worked before is tried again: logging in again with a PIN the token
        // just refused would count against its lockout.
        if (!reused || !(error instanceof this.api.Pkcs11Error)) throw error;
        this.close();
        return this.signOnce(data);
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private close(): void {
    if (!this.open) return;
    try {
      this.module.C_CloseSession(this.open.session);
    } catch {
      // The token dropped it already.
    }
    this.open = undefined;
  }

  private opened(): { session: Pkcs11.Handle; key: Pkcs11.Handle } {
    if (this.open) return this.open;
    const { api, module, location } = this;
    const session = login(api, module, location, this.pin);
    const key = findObject(api, module, session, api.CKO_PRIVATE_KEY, location.key);
    if (key === undefined) {
      module.C_CloseSession(session);
      throw new Error(`no private key labelled "${location.key}" on token "${location.token}"`);
    }
    this.open = { session, key };
    return this.open;
  }

  private async signOnce(data: Buffer): Promise<Buffer> {
    const { session, key } = this.opened();
    const { api, module } = this;
    const rsa = this.keyType === 'rsa';
    module.C_SignInit(session, { mechanism: rsa ? api.CKM_SHA256_RSA_PKCS : api.CKM_ECDSA }, key);
    const input = rsa ? data : crypto.createHash('sha256').update(data).digest();
    const signature = await new Promise<Buffer>((resolve, reject) =>
      module.C_Sign(session, input, Buffer.alloc(1024), (error, out) => (error ? reject(error) : resolve(out))),
    );
    return rsa ? Buffer.from(signature) : ecdsaRawToDer(signature);
  }
}

/** The certificate stored on the token under the key's label, for a chain not given at import. */
function certificateOnToken(api: Api, module: Module, location: Pkcs11Location, pin: string): Buffer {
  const session = login(api, module, location, pin);
  try {
    const handle = findObject(api, module, session, api.CKO_CERTIFICATE, location.key);
    if (handle === undefined)
      throw new Error(
        `no certificate labelled "${location.key}" on token "${location.token}"; give the certificate chain as a PEM file`,
      );
    const [value] = module.C_GetAttributeValue(session, handle, [{ type: api.CKA_VALUE }]);
    return Buffer.from(value!.value as Buffer);
  } finally {
    module.C_CloseSession(session);
  }
}

/**
 * Logs in afresh with `pin`, so a wrong PIN is refused now rather than after the next restart: a
 * token this process is logged in to already would otherwise accept any PIN (login is per token
 * and application). Other signers on the token log in again on their next signature.
 */
export async function checkPkcs11Pin(location: Pkcs11Location, pin: string): Promise<void> {
  const { api, module } = await loadModule(location.module);
  const session = login(api, module, location, pin);
  try {
    module.C_Logout(session);
    module.C_Login(session, api.CKU_USER, pin);
  } finally {
    module.C_CloseSession(session);
  }
}

const opened = new Map<string, KeySigner>();

/**
 * The key `location` names, with its certificate chain (`certificates`, own certificate first;
 * empty: the certificate stored on the token under the key's label). Opened once per location,
 * PIN and chain.
 */
export async function openPkcs11Signer(
  location: Pkcs11Location,
  pin: string,
  certificates: readonly Buffer[],
): Promise<KeySigner> {
  const id = crypto
    .createHash('sha256')
    .update(JSON.stringify([location.module, location.token, location.key, pin]))
    .update(Buffer.concat(certificates))
    .digest('hex');
  const cached = opened.get(id);
  if (cached) return cached;
  const { api, module } = await loadModule(location.module);
  const chain = certificates.length > 0 ? certificates : [certificateOnToken(api, module, location, pin)];
  const signer = new Pkcs11Signer(api, module, location, pin, chain);
  opened.set(id, signer);
  return signer;
}
