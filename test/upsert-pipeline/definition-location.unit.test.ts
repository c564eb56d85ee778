/** Where a definition given by definition-s3-uri goes, checked before any call. */
import { describe, expect, it } from 'vitest';
import { definitionLocation, parseS3Uri, s3UriOf } from '../../src/upsert-pipeline/definition-location.ts';

const SHA = 'a'.repeat(64);

describe('parseS3Uri', () => {
  it.each([
    ['s3://ml-artifacts/pipelines/', { bucket: 'ml-artifacts', path: 'pipelines/' }],
    ['s3://ml-artifacts/pipelines/abalone.json', { bucket: 'ml-artifacts', path: 'pipelines/abalone.json' }],
    ['s3://ml-artifacts', { bucket: 'ml-artifacts', path: '' }],
    ['s3://my.bucket.example/x', { bucket: 'my.bucket.example', path: 'x' }],
  ])('takes %s', (uri, parsed) => expect(parseS3Uri(uri)).toEqual(parsed));

  it.each([
    ['https://ml-artifacts.s3.amazonaws.com/x', 'it must start with s3://'],
    ['s3://ML-Artifacts/x', "'ML-Artifacts' is not a bucket name"],
    ['s3://ab/x', "'ab' is not a bucket name"],
    ['s3://my..bucket/x', "'my..bucket' is not a bucket name"],
    ['s3://192.168.1.1/x', "'192.168.1.1' is not a bucket name"],
    ['s3://ml-artifacts//x', 'the key must not start with /'],
    ['s3://ml-artifacts/x.json?versionId=3', 'the key holds a control character, ? or #'],
    ['s3://ml-artifacts/x\n.json', 'the key holds a control character, ? or #'],
  ])('refuses %j, naming the input', (uri, why) => {
    expect(() => parseS3Uri(uri)).toThrow(`input 'definition-s3-uri': '${uri}' is not a usable S3 URI: ${why}`);
  });
});

describe('definitionLocation', () => {
  it.each([
    ['a prefix', 's3://b-1/pipelines/', 'pipelines/abalone/' + SHA + '.json'],
    ['the bucket itself', 's3://b-1', 'abalone/' + SHA + '.json'],
    ['a key', 's3://b-1/fixed/definition.json', 'fixed/definition.json'],
  ])('%s: one object per distinct definition under a prefix, the key as given otherwise', (_, uri, key) => {
    expect(definitionLocation(parseS3Uri(uri), 'abalone', SHA)).toEqual({ bucket: 'b-1', key });
  });

  it("refuses a key over S3's 1024 bytes", () => {
    expect(() => definitionLocation({ bucket: 'b-1', path: `${'é'.repeat(480)}/` }, 'abalone', SHA)).toThrow(
      "input 'definition-s3-uri': the object key",
    );
    expect(() => definitionLocation({ bucket: 'b-1', path: `${'é'.repeat(480)}/` }, 'abalone', SHA)).toThrow(
      "over S3's 1024-byte limit",
    );
  });

  it('says where the definition went, with its version when the bucket keeps versions', () => {
    expect(s3UriOf({ bucket: 'b-1', key: 'k.json' })).toBe('s3://b-1/k.json');
    expect(s3UriOf({ bucket: 'b-1', key: 'k.json' }, 'v3')).toBe('s3://b-1/k.json (version v3)');
  });
});
