/**
 * The certificate's Verifiable Credential inside its PDF (#9 §5), PDF/A-3 style: an embedded
 * file whose file specification says /AFRelationship /Data (the same content in another form)
 * and is listed in the catalog's /AF array, so a reader or an extraction tool finds it without
 * knowing Shomei. pdf-lib writes both the name-tree entry and /AF; the signature covers them.
 */
import { AFRelationship, type PDFDocument } from 'pdf-lib';
import type { AttachedCredential } from '../certificate.model.js';

export async function attachCredential(doc: PDFDocument, credential: AttachedCredential, time: Date): Promise<void> {
  await doc.attach(Buffer.from(credential.content, 'utf8'), credential.fileName, {
    mimeType: credential.mediaType,
    description: credential.description,
    creationDate: time,
    modificationDate: time,
    afRelationship: AFRelationship.Data,
  });
}
