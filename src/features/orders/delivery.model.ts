/** The download link of a digital order (C-9), kept under the hash of its token. */
export interface DigitalDelivery {
  orderId: string;
  recipientName: string;
  recipientEmail: string;
  expiresAt: number;
  firstRetrievedAt: number | null;
  retrievals: number;
}
