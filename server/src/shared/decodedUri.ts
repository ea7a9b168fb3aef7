// The read-only view of a file's decoded records (envelopes, gzip) as JSON Lines:
// `connect-decoded:<path of the original>.decoded.jsonl`, plus `?<scheme>` when the original is
// not a file. Client and server both build and read these URIs, so they live here once.
export const DECODED_SCHEME = 'connect-decoded';
const SUFFIX = '.decoded.jsonl';

/** The decoded view's URI of a document or file. */
export function decodedUriOf(originalUri: string): string {
  const colon = originalUri.indexOf(':');
  const scheme = colon > 0 ? originalUri.slice(0, colon) : 'file';
  let rest = colon > 0 ? originalUri.slice(colon + 1) : originalUri;
  if (rest.startsWith('//')) rest = rest.slice(rest.indexOf('/', 2) >= 0 ? rest.indexOf('/', 2) : rest.length); // drop the (empty) authority
  return `${DECODED_SCHEME}:${rest}${SUFFIX}${scheme === 'file' ? '' : `?${scheme}`}`;
}

export function isDecodedUri(uri: string): boolean {
  return uri.startsWith(`${DECODED_SCHEME}:`);
}

/** The original's URI of a decoded view (undefined for any other URI). */
export function originalUriOf(decodedUri: string): string | undefined {
  if (!isDecodedUri(decodedUri)) return undefined;
  let rest = decodedUri.slice(DECODED_SCHEME.length + 1);
  let scheme = 'file';
  const q = rest.lastIndexOf('?');
  if (q >= 0) {
    scheme = decodeURIComponent(rest.slice(q + 1));
    rest = rest.slice(0, q);
  }
  if (rest.endsWith(SUFFIX)) rest = rest.slice(0, -SUFFIX.length);
  return scheme === 'file' ? `file://${rest}` : `${scheme}:${rest}`;
}

/** One spelling per view, whatever percent-encoding the editor chose. */
export function decodedUriKey(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}
