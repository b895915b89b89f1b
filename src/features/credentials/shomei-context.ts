/**
 * Shomei's JSON-LD context: the terms of a certificate credential that the W3C VC 2.0 context
 * does not define. Bundled here and served by the service itself at `contextUrl(publicUrl)`, so
 * neither issuing nor verifying fetches anything from the network. The URL is versioned: a change
 * to a term's meaning is a new version at a new URL, never an edit of this one.
 */
export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';

export function contextUrl(publicUrl: string): string {
  return `${publicUrl}/ns/credentials/v1`;
}

export function shomeiContext(publicUrl: string) {
  const vocab = `${contextUrl(publicUrl)}#`;
  const term = (name: string) => `${vocab}${name}`;
  const date = (name: string) => ({ '@id': term(name), '@type': 'http://www.w3.org/2001/XMLSchema#date' });
  const localized = (name: string) => ({ '@id': term(name), '@container': '@language' });
  return {
    '@context': {
      '@version': 1.1,
      '@protected': true,
      CertificateCredential: term('CertificateCredential'),
      EnrollmentCertificate: term('EnrollmentCertificate'),
      TranscriptCertificate: term('TranscriptCertificate'),
      ExpectedGraduationCertificate: term('ExpectedGraduationCertificate'),
      Student: term('Student'),
      Course: term('Course'),
      nameKana: term('nameKana'),
      nameRoman: term('nameRoman'),
      birthDate: date('birthDate'),
      studentNumber: term('studentNumber'),
      university: localized('university'),
      faculty: localized('faculty'),
      department: localized('department'),
      yearOfStudy: term('yearOfStudy'),
      admissionDate: date('admissionDate'),
      expectedGraduationDate: date('expectedGraduationDate'),
      certificate: term('certificate'),
      serialNumber: term('serialNumber'),
      title: term('title'),
      language: term('language'),
      issueDate: date('issueDate'),
      statement: term('statement'),
      courses: { '@id': term('courses'), '@container': '@list' },
      academicYear: term('academicYear'),
      term: localized('term'),
      courseName: localized('courseName'),
      credits: term('credits'),
      grade: term('grade'),
      creditsEarned: term('creditsEarned'),
      gpa: term('gpa'),
    },
  };
}
