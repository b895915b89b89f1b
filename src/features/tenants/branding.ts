import { z } from 'zod';

/** WCAG 2.x AA for normal text: the primary colour carries white text and is text on white. */
export const MIN_CONTRAST = 4.5;

function channel(hex: string): number {
  const value = Number.parseInt(hex, 16) / 255;
  return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of `#rrggbb`. */
function luminance(colour: string): number {
  const [r, g, b] = [1, 3, 5].map((start) => channel(colour.slice(start, start + 2))) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The contrast ratio of `#rrggbb` against white (the header's text and the page's background). */
export function contrastWithWhite(colour: string): number {
  return 1.05 / (luminance(colour) + 0.05);
}

/** The ratio as shown to the administrator: rounded down, so 4.49 never reads as 4.5. */
export function contrastText(ratio: number): string {
  return (Math.floor(ratio * 100) / 100).toFixed(2);
}

/** The hover and pressed shade: the colour three-quarters as bright, so darker still on white. */
export function darker(colour: string): string {
  return `#${[1, 3, 5]
    .map((start) =>
      Math.round(Number.parseInt(colour.slice(start, start + 2), 16) * 0.75)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

export const colourPattern = /^#[0-9a-f]{6}$/;

export const logoContentTypes = ['image/png', 'image/jpeg'] as const;
export type LogoContentType = (typeof logoContentTypes)[number];

/** The branding a university's row keeps; the logo's bytes are in their own table. */
export const tenantBrandingSchema = z.object({
  /** `#rrggbb`, lower case; absent: the service's own colour. */
  colour: z
    .string()
    .regex(colourPattern, 'must be #rrggbb')
    .refine((colour) => contrastWithWhite(colour) >= MIN_CONTRAST, 'contrast with white below 4.5:1 (WCAG AA)')
    .optional(),
  logo: z
    .object({
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      contentType: z.enum(logoContentTypes),
      width: z.number().int().positive(),
      height: z.number().int().positive(),
    })
    .optional(),
});
export type TenantBranding = z.infer<typeof tenantBrandingSchema>;

/** The stylesheet that gives a university's pages its colour, through the custom properties of app.css. */
export function brandingCss(colour: string): string {
  return `:root {\n  --brand: ${colour};\n  --brand-dark: ${darker(colour)};\n}\n`;
}
