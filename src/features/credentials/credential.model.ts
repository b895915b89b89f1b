export interface IssuedCredential {
  serial: string;
  statusList: number;
  statusIndex: number;
  jwt: string;
  issuedAt: number;
}

export interface SignedStatusList {
  statusList: number;
  listSha256: string;
  jwt: string;
  signedAt: number;
}
