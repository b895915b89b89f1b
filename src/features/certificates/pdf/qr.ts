/** The QR code carrying the verification URL, drawn as vector rectangles (one per run of dark modules). */
import { fill, popGraphicsState, pushGraphicsState, rectangle, setFillingRgbColor, type PDFOperator } from 'pdf-lib';
import QRCode from 'qrcode';
import { PAGE_H, type Sheet } from './sheet.js';

/** A QR code of `text` (error correction M), `side` points square, its top-left corner at (x, top). */
export function drawQrCode(s: Sheet, text: string, x: number, top: number, side: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  const unit = side / size;
  const ops: PDFOperator[] = [pushGraphicsState(), setFillingRgbColor(0, 0, 0)];
  for (let row = 0; row < size; row++) {
    let col = 0;
    while (col < size) {
      if (!qr.modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < size && qr.modules.get(row, col)) col++;
      ops.push(rectangle(x + start * unit, PAGE_H - top - (row + 1) * unit, (col - start) * unit, unit));
    }
  }
  ops.push(fill(), popGraphicsState());
  s.page.pushOperators(...ops);
}
