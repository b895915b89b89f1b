import { describe, expect, it } from 'vitest';
import { redactAddresses, redactUrl, redactDirectoryMessage } from './log-redaction.js';

describe('#8 request URLs in the logs', () => {
  it('#8 hide one-time tokens, verification codes and flow ids, however the name is encoded', () => {
    expect(redactUrl('/tu/mail-address/confirm?token=abcDEF123_-')).toBe('/tu/mail-address/confirm?token=[redacted]');
    expect(redactUrl('/tu/forgot/reset?%74oken=abcDEF123')).toBe('/tu/forgot/reset?token=[redacted]');
    expect(redactUrl('/tu/verify?code=ABCD-EFGH-JKLM&lang=en')).toBe('/tu/verify?code=[redacted]&lang=en');
    expect(redactUrl('/tu/login/key?FLOW=0193a&x=1')).toBe('/tu/login/key?FLOW=[redacted]&x=1');
  });

  it('#8 hide reservation numbers in paths, keep the rest', () => {
    expect(redactUrl('/api/v1/terminal/reservations/123456789012/payment')).toBe(
      '/api/v1/terminal/reservations/[reservation]/payment',
    );
    expect(redactUrl('/api/v1/terminal/reservations/123456789012')).toBe('/api/v1/terminal/reservations/[reservation]');
    expect(redactUrl('/tu/orders/0193ab?notice=placed')).toBe('/tu/orders/0193ab?notice=placed');
  });
});

describe('#13 messages from the mail relay in the logs', () => {
  it('#13 carry no mail address, whatever quotes it', () => {
    expect(redactAddresses('550 5.1.1 <s2026001@student.uni.example>: Recipient address rejected')).toBe(
      '550 5.1.1 <[address]>: Recipient address rejected',
    );
    expect(redactAddresses('RCPT TO:s.tanaka+x@mail.test failed; to "a@b.c"')).toBe(
      'RCPT TO:[address] failed; to "[address]"',
    );
    expect(redactAddresses('connect ECONNREFUSED 127.0.0.1:2525')).toBe('connect ECONNREFUSED 127.0.0.1:2525');
  });
});

describe('#13 messages from the directory in the logs', () => {
  it('#13 carry no user ID or address from a distinguished name, and keep the rest', () => {
    expect(
      redactDirectoryMessage('0x22 (Invalid DN syntax): uid=s1234567,ou=people,dc=example,dc=ac,dc=jp; timeout=5000'),
    ).toBe(
      '0x22 (Invalid DN syntax): uid=[redacted],ou=[redacted],dc=[redacted],dc=[redacted],dc=[redacted]; timeout=5000',
    );
    expect(redactDirectoryMessage('no such object CN="Sato, Taro",O=Uni')).toBe(
      'no such object CN=[redacted],O=[redacted]',
    );
    expect(redactDirectoryMessage('bind failed for mail=taro@example.ac.jp')).toBe('bind failed for mail=[redacted]');
    expect(redactDirectoryMessage('connect ECONNREFUSED 127.0.0.1:389')).toBe('connect ECONNREFUSED 127.0.0.1:389');
  });
});
