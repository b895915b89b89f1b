import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from './helpers/harness.js';
import {
  type OrderingStudent,
  type TestTerminal,
  orderingStudent,
  placeOrder,
  registerTerminal,
  reservationNumberIn,
  startIssuanceHarness,
  terminalCall,
} from './helpers/orders.js';
import { checkPades } from './helpers/pades.js';
import { pdfsig, skipWithoutPoppler } from './helpers/poppler.js';
import { startTrustServices, type TrustServices } from './helpers/trust-services.js';

let trust: TrustServices;
let h: Harness;
let student: OrderingStudent;
let store: TestTerminal;

beforeAll(async () => {
  trust = await startTrustServices();
  // The loopback TSA starts an openssl process per request; on a loaded CI machine that can pass
  // the 10 s default, and the retry would be a third stamp the count below does not expect.
  h = await startIssuanceHarness({ TSA_URL: trust.tsaUrl, TSA_TIMEOUT_MS: '60000' });
  student = await orderingStudent(h, 'ja');
  store = await registerTerminal(h, 'convenience', null);
});
afterAll(async () => {
  await h?.close();
  await trust?.stop();
});

describe('certificates issued with a TSA configured are PAdES B-LTA (#9 §3, C-12)', () => {
  it.skipIf(skipWithoutPoppler)(
    '#9 C-12: order → payment → documents: the PDF is certified, timestamped, carries a DSS and a document timestamp',
    async () => {
      const { page } = await placeOrder(student, 'convenience', { 'copies-enrollment-ja': '1' });
      const number = reservationNumberIn(page.body);
      const paid = await terminalCall(h, store, 'POST', `/reservations/${number}/payment`, { amountYen: 300 });
      expect(paid.statusCode).toBe(200);
      const stampsBefore = trust.stamps();
      const documents = await terminalCall(h, store, 'GET', `/reservations/${number}/documents`);
      expect(documents.statusCode).toBe(200);
      const [document] = (documents.json() as { documents: Array<{ url: string }> }).documents;
      const pdf = await terminalCall(h, store, 'GET', document!.url.replace('/api/v1/terminal', ''));
      expect(pdf.statusCode).toBe(200);
      // One signature-time-stamp and one document timestamp.
      expect(trust.stamps() - stampsBefore).toBe(2);

      const report = await pdfsig(pdf.rawPayload);
      expect(report).toMatch(/Signature #1:[\s\S]*ETSI.CAdES.detached[\s\S]*Signature is Valid\./);
      expect(report).toMatch(/Signature #2:[\s\S]*Signer Certificate Common Name: Test TSA/);
      const check = await checkPades(pdf.rawPayload, trust.rootPem);
      // The development key is self-signed: the OpenSSL CMS check would need it as its own anchor,
      // so only the timestamps and the TSA's OCSP response are checked against the test root here.
      expect(check, check.output).toMatchObject({ signatureTimestamp: true, documentTimestamps: [true], docMdp: 1 });
      expect(check.dss).toMatchObject({ ocsps: 1, ocspVerified: [true] });
      expect(check.dss!.certs).toBeGreaterThanOrEqual(3);
    },
  );
});
