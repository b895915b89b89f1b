import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import { PDFArray, PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssuedCertificate } from '../src/features/certificates/issued-certificate.model.js';
import { statusBit } from '../src/features/credentials/status-list.js';
import type { Lang } from '../src/platform/i18n.js';
import { say } from './helpers/accounts.js';
import { type Harness, TestBrowser, textOf, uniqueEmail } from './helpers/harness.js';
import { type OrderingStudent, orderingStudent, placeOrder, startIssuanceHarness } from './helpers/orders.js';
import { needsPoppler, pdfsigReport } from './helpers/pdf.js';
import { urlIn } from './helpers/smtp.js';

let h: Harness;
let student: OrderingStudent;
let orderId: string;
let link: URL;
let enrollment: IssuedCertificate;
let transcript: IssuedCertificate;

beforeAll(async () => {
  h = await startIssuanceHarness();
  student = await orderingStudent(h, 'ja');
  const recipientEmail = uniqueEmail('vc');
  ({ orderId } = await placeOrder(student, 'digital', {
    'copies-enrollment-ja': '1',
    'copies-transcript-en': '1',
    recipientName: 'Sample Corporation',
    recipientEmail,
    recipientAccepts: 'yes',
  }));
  const since = h.smtp.count();
  expect(await h.advanceOrder(orderId, 'paid')).not.toBe('invalid');
  link = urlIn(await h.smtp.waitFor(recipientEmail, { since }));
  const issued = await h.uow.repos.certificates.listForOrder(h.tenant.id, orderId);
  enrollment = issued.find((c) => c.type === 'enrollment')!;
  transcript = issued.find((c) => c.type === 'transcript')!;
});
afterAll(async () => {
  await h.close();
});

function payloadOf(jwt: string) {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
}

/** The files `pdfdetach` lists in a PDF, and the first one's bytes as it extracts them. */
function detached(pdf: Buffer): { list: string; first: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shomei-vc-'));
  try {
    fs.writeFileSync(path.join(dir, 'c.pdf'), pdf);
    const list = execFileSync('/usr/bin/pdfdetach', ['-list', path.join(dir, 'c.pdf')], { encoding: 'utf8' });
    execFileSync('/usr/bin/pdfdetach', ['-save', '1', '-o', path.join(dir, 'out'), path.join(dir, 'c.pdf')]);
    return { list, first: fs.readFileSync(path.join(dir, 'out'), 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Pastes a credential into the check form (no CSRF: it only reads) and follows to the verdict. */
async function check(lang: Lang, credential: string, ip = '10.90.0.1') {
  const browser = new TestBrowser(h, { lang, ip });
  const page = await browser.post('/tu/verify/credential', { credential }, { csrf: false });
  return {
    status: page.status,
    text: textOf(/<section class="verdict"[\s\S]*?<\/section>/.exec(page.body)?.[0] ?? ''),
  };
}

async function statusListBit(index: number): Promise<boolean> {
  const browser = new TestBrowser(h);
  const listJwt = (await browser.get('/tu/credentials/status/1')).body;
  const subject = payloadOf(listJwt).credentialSubject;
  return statusBit(subject.encodedList, index);
}

describe('#9 §5 a W3C Verifiable Credential beside every PDF', () => {
  it('#9 the signed PDF carries its credential as an associated file (/AF, /AFRelationship /Data) that pdfdetach lists', async (context) => {
    needsPoppler(context, 'pdfsig');
    const stored = await h.app.services.credentials.find(h.tenant, enrollment.serial);
    expect(stored).toBeDefined();
    const { list, first } = detached(enrollment.pdf);
    expect(list).toContain(`${enrollment.serial}.vc.jwt`);
    expect(first).toBe(stored!.jwt);
    const doc = await PDFDocument.load(enrollment.pdf, { updateMetadata: false });
    const af = doc.catalog.lookup(PDFName.of('AF'), PDFArray);
    const spec = doc.context.lookup(af.get(0), PDFDict);
    expect(spec.get(PDFName.of('AFRelationship'))).toBe(PDFName.of('Data'));
    // Attached before signing: the signature covers the credential too.
    expect(pdfsigReport(enrollment.pdf)).toMatch(/Signature Validation: Signature is Valid/);
  });

  it('#9 the credential is VC 2.0 with the same statement, a random status index, and verifies with jose against the published key', async () => {
    const download = await student.browser.get(
      `/tu/orders/${orderId}/credentials/${encodeURIComponent(transcript.serial)}`,
    );
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toMatch(/^application\/vc\+jwt/);
    const jwt = download.body;
    const header = decodeProtectedHeader(jwt);
    expect(header).toMatchObject({ alg: 'RS256', typ: 'vc+jwt' });
    expect(header.x5c?.length).toBeGreaterThan(0);

    const did = (await new TestBrowser(h).get('/tu/did.json')).body;
    const document = JSON.parse(did);
    expect(document.id).toBe('did:web:shomei.test:tu');
    const method = document.verificationMethod.find((m: { id: string }) => m.id === header.kid);
    expect(method).toBeDefined();
    await compactVerify(jwt, await importJWK(method.publicKeyJwk, 'RS256'));

    const vc = payloadOf(jwt);
    expect(vc['@context'][0]).toBe('https://www.w3.org/ns/credentials/v2');
    expect(vc.type).toContain('VerifiableCredential');
    expect(vc.issuer.id).toBe(document.id);
    const subject = vc.credentialSubject;
    expect(subject).toMatchObject({
      name: student.record.name.kanji,
      nameRoman: student.record.name.roman,
      birthDate: student.record.birthDate,
      studentNumber: student.record.studentNumber,
    });
    expect(subject.certificate).toMatchObject({
      serialNumber: transcript.serial,
      type: 'TranscriptCertificate',
      language: 'en',
    });
    expect(subject.certificate.courses.map((c: { courseName: { en: string } }) => c.courseName.en)).toContain(
      'Introduction to Japanese Literature',
    );
    expect(vc.credentialStatus).toMatchObject({
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListCredential: 'http://shomei.test/tu/credentials/status/1',
    });
    // Random, not the order of issue: the two credentials of one order are not neighbours.
    const indices = await Promise.all(
      [enrollment, transcript].map(
        async (c) => (await h.app.services.credentials.find(h.tenant, c.serial))!.statusIndex,
      ),
    );
    expect(Math.abs(indices[0]! - indices[1]!)).toBeGreaterThan(1);

    // The context it names is served, bundled, without the network.
    const context = await new TestBrowser(h).get('/ns/credentials/v1');
    expect(context.status).toBe(200);
    expect(JSON.parse(context.body)['@context'].TranscriptCertificate).toBeDefined();
  });

  it('#9 the status list is a signed BitstringStatusListCredential of 131,072 bits, cached publicly; revocation flips the bit and the check says revoked', async () => {
    const browser = new TestBrowser(h);
    const list = await browser.get('/tu/credentials/status/1');
    expect(list.status).toBe(200);
    expect(list.headers['cache-control']).toMatch(/public, max-age=\d+/);
    const payload = payloadOf(list.body);
    expect(payload.type).toContain('BitstringStatusListCredential');
    expect(payload.credentialSubject).toMatchObject({ type: 'BitstringStatusList', statusPurpose: 'revocation' });
    const encoded: string = payload.credentialSubject.encodedList;
    expect(encoded[0]).toBe('u');
    expect(gunzipSync(Buffer.from(encoded.slice(1), 'base64url')).length * 8).toBe(131_072);
    expect((await browser.get('/tu/credentials/status/2')).status).toBe(404);

    const stored = (await h.app.services.credentials.find(h.tenant, enrollment.serial))!;
    expect(await statusListBit(stored.statusIndex)).toBe(false);
    const genuine = await check('en', stored.jwt, '10.90.1.1');
    expect(genuine.text).toContain(say('en', 'certificates.credential.verdict.genuine.title'));
    expect(genuine.text).toContain(enrollment.statement.holderName);

    expect(await h.revoke(enrollment.serial, 'issued_in_error')).toBe(true);
    expect(await statusListBit(stored.statusIndex)).toBe(true);
    const transcriptIndex = (await h.app.services.credentials.find(h.tenant, transcript.serial))!.statusIndex;
    expect(await statusListBit(transcriptIndex)).toBe(false);
    for (const lang of ['ja', 'en'] as const) {
      const revoked = await check(lang, stored.jwt, `10.90.2.${lang === 'ja' ? 1 : 2}`);
      expect(revoked.text).toContain(say(lang, 'certificates.credential.verdict.revoked.title'));
    }
  });

  it('#9 a university without certificates publishes no key and no list, and a public GET makes no key', async () => {
    const fresh = await h.tenants.create({ slug: 'no-vc-yet', name: { ja: '未発行大学', en: 'No VC University' } });
    expect(await h.app.services.credentials.didDocument(fresh)).toBeUndefined();
    expect(await h.app.services.credentials.statusList(fresh, 1)).toBeUndefined();
    expect(await h.uow.repos.signingKeys.find(fresh.id)).toBeUndefined();
  });

  it('#9 a tampered credential, or one signed by another key, is refused without showing anything personal', async () => {
    const jwt = (await h.app.services.credentials.find(h.tenant, transcript.serial))!.jwt;
    const [head, body, signature] = jwt.split('.');
    const changed = payloadOf(jwt);
    changed.credentialSubject.certificate.gpa = '4.00';
    const tampered = `${head}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${signature}`;

    const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const input = `${head}.${body}`;
    const otherKey = `${input}.${crypto.sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;

    for (const lang of ['ja', 'en'] as const) {
      for (const [n, bad] of [tampered, otherKey, 'eyJhbGciOiJub25lIn0.e30.', '{"not":"a credential"}'].entries()) {
        const result = await check(lang, bad, `10.90.3.${n}`);
        expect(result.status).toBe(200);
        expect(result.text).toContain(say(lang, 'certificates.credential.verdict.invalid.title'));
        expect(result.text).not.toContain(student.record.studentNumber);
      }
    }
    const empty = await new TestBrowser(h, { lang: 'en' }).post(
      '/tu/verify/credential',
      { credential: ' ' },
      { csrf: false, follow: false },
    );
    expect(empty.status).toBe(422);
    expect(textOf(empty.body)).toContain(say('en', 'certificates.credential.required'));
  });

  it('#9 checks are limited per address, with a clear message in both languages', async () => {
    for (const lang of ['ja', 'en'] as const) {
      const browser = new TestBrowser(h, { lang, ip: `10.90.6.${lang === 'ja' ? 1 : 2}` });
      for (let i = 0; i < 30; i++) {
        expect(
          (await browser.post('/tu/verify/credential', { credential: 'x' }, { csrf: false, follow: 'never' })).status,
        ).toBe(303);
      }
      const refused = await browser.post(
        '/tu/verify/credential',
        { credential: 'x' },
        { csrf: false, follow: 'never' },
      );
      expect(refused.status).toBe(429);
      expect(textOf(refused.body)).toContain(say(lang, 'errors.rate_limited.title'));
    }
  });

  it('#9 the check accepts an uploaded .json EnvelopedVerifiableCredential', async () => {
    const jwt = (await h.app.services.credentials.find(h.tenant, transcript.serial))!.jwt;
    const file = JSON.stringify({
      '@context': 'https://www.w3.org/ns/credentials/v2',
      id: `data:application/vc+jwt,${jwt}`,
      type: 'EnvelopedVerifiableCredential',
    });
    const boundary = '----shomeivc';
    const payload = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="credential"\r\n\r\n\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="credentialFile"; filename="c.json"\r\nContent-Type: application/json\r\n\r\n${file}\r\n--${boundary}--\r\n`,
    );
    const posted = await h.app.server.inject({
      method: 'POST',
      url: '/tu/verify/credential',
      payload,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: 'shomei-lang=en' },
      remoteAddress: '10.90.4.1',
    });
    expect(posted.statusCode).toBe(303);
    const binding = posted.cookies.find((cookie) => cookie.name === 'shomei-flow');
    const page = await h.app.server.inject({
      method: 'GET',
      url: posted.headers.location as string,
      headers: { cookie: `shomei-lang=en; shomei-flow=${binding?.value ?? ''}` },
    });
    expect(textOf(page.body)).toContain(say('en', 'certificates.credential.verdict.genuine.title'));
    expect(textOf(page.body)).toContain(transcript.serial);
  });

  it('#9 the digital recipient downloads the credential beside the PDF; the student finds it from the order', async () => {
    const recipient = new TestBrowser(h, { lang: 'en', ip: '10.90.5.1' });
    const page = await recipient.get(`${link.pathname}${link.search}`);
    expect(page.body).toContain('/tu/delivery/credential');
    const served = await recipient.post(
      '/tu/delivery/credential',
      {
        token: link.searchParams.get('token')!,
        serial: transcript.serial,
      },
      { follow: false },
    );
    expect(served.headers['content-type']).toMatch(/^application\/vc\+jwt/);
    expect(served.body).toBe((await h.app.services.credentials.find(h.tenant, transcript.serial))!.jwt);

    const detail = await student.browser.get(`/tu/orders/${orderId}`);
    expect(detail.body).toContain(`/tu/orders/${orderId}/credentials`);
    const listing = await student.browser.get(`/tu/orders/${orderId}/credentials`);
    expect(listing.status).toBe(200);
    expect(listing.body).toContain(`/tu/orders/${orderId}/credentials/${transcript.serial}`);
    // Another student's browser gets nothing.
    const other = await orderingStudent(h, 'en', {}, '10.90.5.2');
    const refused = await other.browser.get(
      `/tu/orders/${orderId}/credentials/${encodeURIComponent(transcript.serial)}`,
    );
    expect(refused.status).toBe(404);
  });
});
