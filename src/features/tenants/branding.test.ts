import { describe, expect, it } from 'vitest';
import { brandingCss, contrastText, contrastWithWhite, tenantBrandingSchema } from './branding.js';

describe('#12 A-3 branding colour', () => {
  it('#12 A-3 contrast with white follows WCAG 2 (black 21:1, white 1:1, #767676 just passes AA)', () => {
    expect(contrastWithWhite('#000000')).toBeCloseTo(21, 5);
    expect(contrastWithWhite('#ffffff')).toBeCloseTo(1, 5);
    expect(contrastWithWhite('#767676')).toBeGreaterThanOrEqual(4.5);
    expect(contrastWithWhite('#777777')).toBeLessThan(4.5);
    // Rounded down: a colour just under the bound never reads as meeting it.
    expect(contrastText(4.4999)).toBe('4.49');
  });

  it('#12 A-3 the stored branding refuses a colour below 4.5:1 and anything but #rrggbb, whoever writes it', () => {
    expect(tenantBrandingSchema.safeParse({ colour: '#0b4f8a' }).success).toBe(true);
    expect(tenantBrandingSchema.safeParse({ colour: '#ffcc00' }).success).toBe(false);
    expect(tenantBrandingSchema.safeParse({ colour: 'red;} body{display:none' }).success).toBe(false);
  });

  it('#12 A-3 the stylesheet sets the custom properties app.css uses, the dark shade darker', () => {
    expect(brandingCss('#0b4f8a')).toBe(':root {\n  --brand: #0b4f8a;\n  --brand-dark: #083b68;\n}\n');
  });
});
