import { z } from 'zod';
import { type Lang, languages } from '../../platform/i18n.js';
import { type StudentStatus, studentStatuses } from '../records/record.model.js';
import { NAME_MAX_LENGTH } from '../tenants/tenant.model.js';

/** The kinds of certificate a university may offer (C-2). */
export const certificateTypes = ['enrollment', 'transcript', 'expected_graduation', 'course_application'] as const;
export type CertificateType = (typeof certificateTypes)[number];

/** Where a certificate may go (C-1, C-9): each type names the destinations it may take. */
export const destinations = ['campus', 'convenience', 'postal', 'digital'] as const;
export type Destination = (typeof destinations)[number];

const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** 'MM-DD' of a day every year has (so not 02-29: leap years must not move an opening date). */
export const monthDaySchema = z
  .string()
  .regex(/^\d{2}-\d{2}$/, 'must be MM-DD, e.g. 04-01')
  .refine((value) => {
    const [month, day] = value.split('-').map(Number) as [number, number];
    return month >= 1 && month <= 12 && day >= 1 && day <= (daysInMonth[month - 1] ?? 0);
  }, 'must be a day every year has, MM-DD (not 02-29)');

/** C-10: who may have a type, and from when. */
export const eligibilitySchema = z.object({
  /** The statuses that may have it; anyone else is told 'status'. */
  statuses: z.array(z.enum(studentStatuses)).min(1),
  /** Only students in the last year of their programme (year = programYears). */
  finalYearOnly: z.boolean().default(false),
  /**
   * From this day of the year in which the student is expected to graduate — the last such day
   * on or before the expected graduation date (e.g. '04-01': from 1 April of the final year).
   */
  availableFromMonthDay: monthDaySchema.optional(),
});
export type Eligibility = z.infer<typeof eligibilitySchema>;

/** C-2: one certificate type as a tenant offers it. */
export const catalogueItemSchema = z.object({
  type: z.enum(certificateTypes),
  name: z.object({ ja: z.string().min(1).max(NAME_MAX_LENGTH.ja), en: z.string().min(1).max(NAME_MAX_LENGTH.en) }),
  /** The languages it can be issued in. */
  languages: z.array(z.enum(languages)).min(1),
  /** Fee per copy in yen. */
  feeYen: z.number().int().min(0).max(100_000),
  /** Copies of this type in one order. */
  maxCopies: z.number().int().min(1).max(100),
  /** Where it may go. */
  destinations: z.array(z.enum(destinations)).min(1),
  eligibility: eligibilitySchema,
  sortOrder: z.number().int().default(0),
  active: z.boolean().default(true),
});

export interface CatalogueItem {
  type: CertificateType;
  name: Record<Lang, string>;
  languages: Lang[];
  feeYen: number;
  maxCopies: number;
  destinations: Destination[];
  eligibility: { statuses: StudentStatus[]; finalYearOnly: boolean; availableFromMonthDay?: string | undefined };
  sortOrder: number;
  active: boolean;
}
