/**
 * G.711 μ-law and A-law expansion to 16-bit PCM (ITU-T G.711), as lookup tables built once:
 * telephony audio arrives as one byte per sample and every byte needs expanding.
 */

function expandMulaw(byte: number): number {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
  return u & 0x80 ? -magnitude : magnitude;
}

function expandAlaw(byte: number): number {
  const a = byte ^ 0x55;
  const exponent = (a >> 4) & 0x07;
  const mantissa = a & 0x0f;
  let magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  if (!(a & 0x80)) magnitude = -magnitude;
  return magnitude;
}

function table(expand: (byte: number) => number): Int16Array {
  const out = new Int16Array(256);
  for (let i = 0; i < 256; i++) out[i] = expand(i);
  return out;
}

/** μ-law byte → linear16 sample. */
export const MULAW_TO_LINEAR16: Int16Array = table(expandMulaw);
/** A-law byte → linear16 sample. */
export const ALAW_TO_LINEAR16: Int16Array = table(expandAlaw);
