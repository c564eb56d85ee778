/** A protocol-encoded answer, ready to write to the socket. */
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  /** Text, or bytes as stored (S3 objects). */
  body: string | Buffer;
}
