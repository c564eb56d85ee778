/** A protocol-encoded answer, ready to write to the socket. */
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}
