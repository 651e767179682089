export interface MaskOptions {
  /** Leading characters to keep. Default: the vendor prefix up to the second '-' (`sk-ant-`, `xoxb-`). */
  prefixLength?: number;
  /** Trailing characters to keep. Default 4. */
  suffixLength?: number;
}

// Whatever the options say, at least this many characters stay hidden; shorter values lose the suffix first.
const MIN_HIDDEN = 8;
// A "vendor prefix" longer than this is probably part of the secret itself.
const MAX_VENDOR_PREFIX = 10;

/** A hint a person can recognise a key by, e.g. `sk-ant-…a1B2`; never enough to use it. */
export function maskSecret(value: string, options: MaskOptions = {}): string {
  let prefix = options.prefixLength ?? vendorPrefixLength(value);
  let suffix = options.suffixLength ?? 4;
  if (value.length - prefix - suffix < MIN_HIDDEN) suffix = 0;
  if (value.length - prefix - suffix < MIN_HIDDEN) prefix = 0;
  return `${value.slice(0, prefix)}…${suffix > 0 ? value.slice(-suffix) : ''}`;
}

function vendorPrefixLength(value: string): number {
  const first = value.indexOf('-');
  if (first < 0 || first >= MAX_VENDOR_PREFIX) return 0;
  const second = value.indexOf('-', first + 1);
  return second >= 0 && second < MAX_VENDOR_PREFIX ? second + 1 : first + 1;
}
