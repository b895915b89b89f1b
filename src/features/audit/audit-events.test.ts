import { describe, expect, it } from 'vitest';
import { languages, translator } from '../../platform/i18n.js';
import { auditEventName, auditEvents } from './audit-events.js';
import { parseAuditFilter, parseJapanTime } from './audit-filter.rules.js';

const blank = { from: '', to: '', student: '', staff: '', event: '', address: '' };

describe('#12 A-6 the closed list of audit events', () => {
  it.each(languages)('#12 A-6 every event has a readable name in %s', (lang) => {
    const t = translator(lang);
    for (const event of auditEvents) expect(t(auditEventName(event)), event).not.toBe(auditEventName(event));
  });
});

describe('#12 A-6 the log filter', () => {
  it('#12 A-6 a Japan-time day or minute is the range of instants it names', () => {
    expect(parseJapanTime('2026-10-01')).toEqual({
      start: Date.UTC(2026, 8, 30, 15),
      end: Date.UTC(2026, 9, 1, 15),
    });
    expect(parseJapanTime('２０２６-１０-０１ ０９:３０')).toEqual({
      start: Date.UTC(2026, 9, 1, 0, 30),
      end: Date.UTC(2026, 9, 1, 0, 31),
    });
    for (const bad of ['2026-02-30', '2026-10-01 24:00', '2026-10-01 09:60', '10/01/2026', 'yesterday'])
      expect(parseJapanTime(bad), bad).toBeUndefined();
  });

  it('#12 A-6 addresses: exact, or a prefix by a trailing dot, colon or star; no LIKE wildcard passes', () => {
    expect(parseAuditFilter({ ...blank, address: '192.0.2.10' }).filter.address).toEqual({
      value: '192.0.2.10',
      prefix: false,
    });
    expect(parseAuditFilter({ ...blank, address: '2001:DB8:' }).filter.address).toEqual({
      value: '2001:db8:',
      prefix: true,
    });
    expect(parseAuditFilter({ ...blank, address: '10.1.*' }).filter.address).toEqual({ value: '10.1.', prefix: true });
    for (const bad of ['192.0.2.%', '192_0', 'example.com', '...'])
      expect(parseAuditFilter({ ...blank, address: bad }).violations, bad).toEqual([
        { code: 'addressInvalid', path: 'address' },
      ]);
  });
});
