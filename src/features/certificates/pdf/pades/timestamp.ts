/**
 * RFC 3161 timestamps from the operator's TSA (#9 §3, C-12): the signature-time-stamp of PAdES
 * B-T and the document timestamp of B-LTA. The token is returned as the TSA's own bytes, never
 * re-encoded, so its signature stays intact.
 */
import crypto from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const SHA256 = '2.16.840.1.101.3.4.2.1';
const TST_INFO = '1.2.840.113549.1.9.16.1.4';

/** Where timestamps come from: a token (DER ContentInfo) over a SHA-256 digest. */
export interface TimestampAuthority {
  readonly url: string;
  stamp(digest: Buffer): Promise<Buffer>;
}

export class TimestampError extends Error {
  override name = 'TimestampError';
}

export interface HttpTimestampAuthorityOptions {
  url: string;
  /** Bound on each request (connect to last byte). */
  timeoutMs?: number;
  /** Tries before giving up: a TSA's brief hiccup must not cost a certificate its timestamp. */
  attempts?: number;
  /** HTTP Basic credentials some commercial TSAs ask for, as `user:password`. */
  credentials?: string;
}

function buffer(view: ArrayBuffer | Uint8Array): Buffer {
  return view instanceof Uint8Array ? Buffer.from(view.buffer, view.byteOffset, view.byteLength) : Buffer.from(view);
}

/** Checks a TimeStampResp for `digest` and `nonce` and returns its token's bytes. */
export function tokenFromResponse(response: Buffer, digest: Buffer, nonce?: Buffer): Buffer {
  const parsed = asn1js.fromBER(Uint8Array.from(response));
  if (parsed.offset === -1) throw new TimestampError('the TSA answered something that is not a TimeStampResp');
  const resp = new pkijs.TimeStampResp({ schema: parsed.result });
  const status = resp.status.status;
  if (status !== pkijs.PKIStatus.granted && status !== pkijs.PKIStatus.grantedWithMods) {
    const text = resp.status.statusStrings?.map((s) => s.valueBlock.value).join('; ');
    throw new TimestampError(`the TSA refused the request (status ${status}${text ? `: ${text}` : ''})`);
  }
  const token = (parsed.result as asn1js.Sequence).valueBlock.value[1];
  if (!resp.timeStampToken || !token) throw new TimestampError('the TSA granted the request but sent no token');
  const signed = new pkijs.SignedData({ schema: resp.timeStampToken.content });
  if (signed.encapContentInfo.eContentType !== TST_INFO || !signed.encapContentInfo.eContent)
    throw new TimestampError('the TSA’s token holds no TSTInfo');
  const info = pkijs.TSTInfo.fromBER(signed.encapContentInfo.eContent.getValue());
  const imprint = info.messageImprint;
  if (
    imprint.hashAlgorithm.algorithmId !== SHA256 ||
    !buffer(imprint.hashedMessage.valueBlock.valueHexView).equals(digest)
  )
    throw new TimestampError('the TSA’s token is for other data');
  if (nonce && (!info.nonce || !buffer(info.nonce.valueBlock.valueHexView).equals(trimInteger(nonce))))
    throw new TimestampError('the TSA’s token answers another request (nonce)');
  return buffer(token.valueBeforeDecodeView);
}

/** An INTEGER's content octets as DER writes them (no redundant leading zeros). */
function trimInteger(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0 && (bytes[start + 1]! & 0x80) === 0) start++;
  return bytes.subarray(start);
}

/** The TSA time in a token (TSTInfo genTime). */
export function timestampTime(token: Buffer): Date {
  const info = tstInfo(token);
  return info.genTime;
}

function tstInfo(token: Buffer): pkijs.TSTInfo {
  const content = pkijs.ContentInfo.fromBER(Uint8Array.from(token));
  const signed = new pkijs.SignedData({ schema: content.content });
  return pkijs.TSTInfo.fromBER(signed.encapContentInfo.eContent!.getValue());
}

/** The certificates a token carries (the TSA's own and whatever chain it sent). */
export function timestampCertificates(token: Buffer): Buffer[] {
  const content = pkijs.ContentInfo.fromBER(Uint8Array.from(token));
  const signed = new pkijs.SignedData({ schema: content.content });
  return (signed.certificates ?? [])
    .filter((cert): cert is pkijs.Certificate => cert instanceof pkijs.Certificate)
    .map((cert) => Buffer.from(cert.toSchema().toBER()));
}

/** A TSA reached over HTTP(S) (RFC 3161 §3.4: application/timestamp-query). */
export class HttpTimestampAuthority implements TimestampAuthority {
  readonly url: string;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly authorization: string | undefined;

  constructor(options: HttpTimestampAuthorityOptions) {
    this.url = options.url;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.attempts = options.attempts ?? 3;
    this.authorization = options.credentials
      ? `Basic ${Buffer.from(options.credentials).toString('base64')}`
      : undefined;
  }

  async stamp(digest: Buffer): Promise<Buffer> {
    let last: unknown;
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      try {
        return await this.once(digest);
      } catch (error) {
        last = error;
        if (attempt < this.attempts) await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
      }
    }
    throw new TimestampError(
      `no timestamp from ${this.url} after ${this.attempts} tries: ${last instanceof Error ? last.message : String(last)}`,
      { cause: last },
    );
  }

  private async once(digest: Buffer): Promise<Buffer> {
    const nonce = crypto.randomBytes(8);
    nonce[0]! &= 0x7f;
    const request = new pkijs.TimeStampReq({
      version: 1,
      messageImprint: new pkijs.MessageImprint({
        hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256 }),
        hashedMessage: new asn1js.OctetString({ valueHex: digest }),
      }),
      nonce: new asn1js.Integer({ valueHex: nonce }),
      certReq: true,
    });
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/timestamp-query',
        ...(this.authorization && { authorization: this.authorization }),
      },
      body: Buffer.from(request.toSchema().toBER()),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok) throw new TimestampError(`the TSA answered HTTP ${response.status}`);
    return tokenFromResponse(Buffer.from(await response.arrayBuffer()), digest, nonce);
  }
}
