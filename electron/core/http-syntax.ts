/** HTTP/1.1 syntax that both of Sluice's own HTTP parsers check (host/lean-http.ts, the upstream client). */

/** A header name (RFC 9110 `token`). */
export const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A character Node refuses in a header value too: controls other than tab, and anything past Latin-1. */
export const BAD_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
