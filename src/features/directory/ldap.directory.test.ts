import { describe, expect, it } from 'vitest';
import { ldapDirectorySchema } from '../tenants/tenant.model.js';
import { bindName } from './ldap.directory.js';

describe('#3 bind names from templates', () => {
  it('escapes the user ID as an RDN value in a DN template (RFC 4514)', () => {
    expect(bindName('uid={user},ou=people,dc=example,dc=jp', 'taro')).toBe('uid=taro,ou=people,dc=example,dc=jp');
    expect(bindName('uid={user},ou=people,dc=example,dc=jp', 'taro,ou=staff')).toBe(
      'uid=taro\\,ou\\=staff,ou=people,dc=example,dc=jp',
    );
    expect(bindName('cn={user},dc=example', 'a+b"c<d>e;f#g\\h')).toBe('cn=a\\+b\\"c\\<d\\>e\\;f\\#g\\\\h,dc=example');
  });

  it("builds Active Directory's user@domain form and refuses IDs that would change it", () => {
    expect(bindName('{user}@ad.example.ac.jp', 'taro.yamada')).toBe('taro.yamada@ad.example.ac.jp');
    expect(bindName('{user}@ad.example.ac.jp', 'taro@evil.example')).toBeUndefined();
    expect(bindName('{user}@ad.example.ac.jp', 'EXAMPLE\\taro')).toBeUndefined();
    expect(bindName('{user}@ad.example.ac.jp', 'taro yamada')).toBeUndefined();
  });

  it('refuses templates it cannot fill safely', () => {
    expect(bindName('ou=people,dc=example', 'taro')).toBeUndefined();
    expect(bindName('cn=x,uid={user},dc=example', 'taro')).toBeUndefined();
  });
});

describe('#3 LDAP configuration is checked', () => {
  const base = { kind: 'ldap' as const, urls: ['ldap://127.0.0.1:389'] };
  it('needs exactly one of a bind template and a service-account search', () => {
    expect(ldapDirectorySchema.safeParse(base).success).toBe(false);
    expect(ldapDirectorySchema.safeParse({ ...base, bindDnTemplate: 'uid={user},dc=x' }).success).toBe(true);
    expect(
      ldapDirectorySchema.safeParse({
        ...base,
        bindDnTemplate: 'uid={user},dc=x',
        search: { baseDn: 'dc=x', serviceBindDn: 'cn=s,dc=x', serviceBindPassword: 'p' },
      }).success,
    ).toBe(false);
  });

  it('refuses StartTLS on ldaps://, non-LDAP URLs and filters without parentheses', () => {
    expect(
      ldapDirectorySchema.safeParse({ ...base, urls: ['ldaps://h:636'], startTls: true, bindDnTemplate: 'uid={user}' })
        .success,
    ).toBe(false);
    expect(ldapDirectorySchema.safeParse({ ...base, urls: ['http://h'], bindDnTemplate: 'uid={user}' }).success).toBe(
      false,
    );
    expect(
      ldapDirectorySchema.safeParse({ ...base, bindDnTemplate: 'uid={user}', filter: 'objectClass=person' }).success,
    ).toBe(false);
  });
});
