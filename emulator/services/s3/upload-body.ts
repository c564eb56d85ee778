import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { RestXmlError } from '../../protocols/rest-xml.ts';
import type { ReceivedRequest } from '../../sigv4.ts';

/**
 * The bytes of an upload as S3 takes them: a plain body, or aws-chunked framing (what the SDK
 * sends for streams: `STREAMING-UNSIGNED-PAYLOAD-TRAILER`, chunk sizes in hex and the checksum
 * in a trailer). The checksum given (header or trailer) and Content-MD5 are checked, so a
 * client that computes them wrongly fails here as it would on S3. Chunk signatures of
 * `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` are not checked: the seed signature over the headers is.
 */

export interface Upload {
  body: Buffer;
  checksum: { algorithm: string; value: string } | undefined;
}

const CHECKSUM_HEADER = /^x-amz-checksum-(crc32|crc32c|crc64nvme|sha1|sha256)$/;

function header(request: ReceivedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

const invalid = (message: string) => new RestXmlError('InvalidRequest', message, 400);
const incomplete = () => new RestXmlError('IncompleteBody', 'The request body terminated unexpectedly', 400);

let crc32cTable: Uint32Array | undefined;

/** CRC-32C (Castagnoli), reflected, as S3 computes it; Node has no built-in one. */
function crc32c(data: Buffer): number {
  crc32cTable ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (const byte of data) crc = crc32cTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const bigEndian32 = (n: number) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n >>> 0);
  return out.toString('base64');
};

/** The base64 checksum S3 would compute; undefined for CRC64NVME, which is stored unchecked. */
function computeChecksum(algorithm: string, data: Buffer): string | undefined {
  switch (algorithm) {
    case 'crc32':
      return bigEndian32(crc32(data));
    case 'crc32c':
      return bigEndian32(crc32c(data));
    case 'sha1':
    case 'sha256':
      return createHash(algorithm).update(data).digest('base64');
    default:
      return undefined;
  }
}

function checked(algorithm: string, value: string, data: Buffer): { algorithm: string; value: string } {
  const expected = computeChecksum(algorithm, data);
  if (expected !== undefined && expected !== value) {
    throw new RestXmlError(
      'BadDigest',
      `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`,
      400,
    );
  }
  return { algorithm, value };
}

/** `<hex size>[;chunk-signature=…]\r\n<data>\r\n` … `0\r\n<trailers>\r\n\r\n` */
function decodeAwsChunked(raw: Buffer): { data: Buffer; trailers: Map<string, string> } {
  const chunks: Buffer[] = [];
  let position = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', position);
    if (lineEnd < 0) throw incomplete();
    const size = Number.parseInt(raw.subarray(position, lineEnd).toString('latin1').split(';')[0] ?? '', 16);
    if (!Number.isInteger(size) || size < 0) throw invalid('Invalid chunk size in the aws-chunked body.');
    position = lineEnd + 2;
    if (size === 0) break;
    if (position + size + 2 > raw.length) throw incomplete();
    chunks.push(raw.subarray(position, position + size));
    if (raw.subarray(position + size, position + size + 2).toString('latin1') !== '\r\n') throw incomplete();
    position += size + 2;
  }
  const trailers = new Map<string, string>();
  for (const line of raw.subarray(position).toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { data: Buffer.concat(chunks), trailers };
}

export function readUpload(request: ReceivedRequest): Upload {
  const encoding = header(request, 'content-encoding') ?? '';
  const payload = header(request, 'x-amz-content-sha256') ?? '';
  const chunked = encoding.split(',').some((part) => part.trim() === 'aws-chunked') || payload.startsWith('STREAMING-');
  let body = request.body;
  let trailers = new Map<string, string>();
  if (chunked) {
    ({ data: body, trailers } = decodeAwsChunked(request.body));
    const declared = header(request, 'x-amz-decoded-content-length');
    if (declared === undefined)
      throw new RestXmlError('MissingContentLength', 'You must provide the Content-Length HTTP header.', 411);
    if (Number(declared) !== body.length) throw incomplete();
    const promised = header(request, 'x-amz-trailer');
    if (promised !== undefined && !trailers.has(promised.toLowerCase()))
      throw invalid(`The trailer ${promised} announced in x-amz-trailer was not sent.`);
  }

  const md5 = header(request, 'content-md5');
  if (md5 !== undefined && createHash('md5').update(body).digest('base64') !== md5)
    throw new RestXmlError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400);

  const given = [...Object.keys(request.headers), ...trailers.keys()].filter((name) => CHECKSUM_HEADER.test(name));
  if (given.length > 1)
    throw invalid('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  const name = given[0];
  if (name === undefined) return { body, checksum: undefined };
  const value = trailers.get(name) ?? header(request, name) ?? '';
  return { body, checksum: checked(CHECKSUM_HEADER.exec(name)?.[1] ?? '', value, body) };
}
