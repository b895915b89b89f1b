import type { CatalogueItem } from '../../features/catalogue/catalogue.model.js';

/**
 * The demo universities' catalogue (C-2, C-10). Chosen so every reason shows somewhere:
 * a student on leave cannot have an enrollment certificate ('status'), a third-year cannot have
 * expected graduation ('finalYearOnly'), a fourth-year who repeats the year has it from 1 April of
 * the next year ('notYet'), and the course application form is Japanese only and printed only
 * on campus or at a store ('language', 'destination').
 */
export const demoCatalogue: readonly CatalogueItem[] = [
  {
    type: 'enrollment',
    name: { ja: '在学証明書', en: 'Certificate of Enrollment' },
    languages: ['ja', 'en'],
    feeYen: 300,
    maxCopies: 10,
    destinations: ['campus', 'convenience', 'postal', 'digital'],
    eligibility: { statuses: ['enrolled'], finalYearOnly: false },
    sortOrder: 10,
    active: true,
  },
  {
    type: 'transcript',
    name: { ja: '成績証明書', en: 'Academic Transcript' },
    languages: ['ja', 'en'],
    feeYen: 300,
    maxCopies: 10,
    destinations: ['campus', 'convenience', 'postal', 'digital'],
    // Graduates still need transcripts (for employers, graduate schools): the tenant allows them.
    eligibility: { statuses: ['enrolled', 'leave_of_absence', 'graduated'], finalYearOnly: false },
    sortOrder: 20,
    active: true,
  },
  {
    type: 'expected_graduation',
    name: { ja: '卒業見込み証明書', en: 'Certificate of Expected Graduation' },
    languages: ['ja', 'en'],
    feeYen: 300,
    maxCopies: 10,
    destinations: ['campus', 'convenience', 'postal', 'digital'],
    eligibility: { statuses: ['enrolled'], finalYearOnly: true, availableFromMonthDay: '04-01' },
    sortOrder: 30,
    active: true,
  },
  {
    type: 'course_application',
    name: { ja: '受講申込書', en: 'Course Application Form' },
    languages: ['ja'],
    feeYen: 100,
    maxCopies: 5,
    destinations: ['campus', 'convenience'],
    eligibility: { statuses: ['enrolled'], finalYearOnly: false },
    sortOrder: 40,
    active: true,
  },
];
