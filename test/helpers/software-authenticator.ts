import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers';

/**
 * A passkey as a browser's authenticator would make and use it (#12 A-1): a P-256 key from
 * node:crypto, attestation 'none', assertions signed over authenticatorData ‖ SHA-256(clientDataJSON).
 */
export class SoftwareAuthenticator {
  readonly credentialId = randomBytes(16);
  private readonly keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  private signCount = 0;

  constructor(private readonly origin: string) {}

  get id(): string {
    return isoBase64URL.fromBuffer(this.credentialId);
  }

  /** navigator.credentials.create(): the registration response's JSON for these options. */
  create(options: { challenge: string; rp: { id: string } }): string {
    const jwk = this.keys.publicKey.export({ format: 'jwk' });
    const coseKey = new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, isoBase64URL.toBuffer(jwk.x!)],
      [-3, isoBase64URL.toBuffer(jwk.y!)],
    ]);
    const credentialLength = Buffer.alloc(2);
    credentialLength.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([
      this.rpIdHash(options.rp.id),
      Buffer.from([0x45]),
      this.counter(),
      Buffer.alloc(16),
      credentialLength,
      this.credentialId,
      Buffer.from(isoCBOR.encode(coseKey)),
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', new Uint8Array(authData)],
      ]) as never,
    );
    return JSON.stringify({
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: this.clientData('webauthn.create', options.challenge),
        attestationObject: isoBase64URL.fromBuffer(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    });
  }

  /** navigator.credentials.get(): the assertion's JSON for these options. */
  get(options: { challenge: string; rpId: string }): string {
    this.signCount += 1;
    const authData = Buffer.concat([this.rpIdHash(options.rpId), Buffer.from([0x05]), this.counter()]);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge);
    const signed = Buffer.concat([
      authData,
      createHash('sha256').update(isoBase64URL.toBuffer(clientDataJSON)).digest(),
    ]);
    return JSON.stringify({
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON,
        authenticatorData: isoBase64URL.fromBuffer(authData),
        signature: isoBase64URL.fromBuffer(sign('sha256', signed, this.keys.privateKey)),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    });
  }

  private rpIdHash(rpId: string): Buffer {
    return createHash('sha256').update(rpId).digest();
  }

  private counter(): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(this.signCount);
    return count;
  }

  private clientData(type: string, challenge: string): string {
    return isoBase64URL.fromBuffer(
      Buffer.from(JSON.stringify({ type, challenge, origin: this.origin, crossOrigin: false })),
    );
  }
}
