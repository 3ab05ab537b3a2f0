/**
 * WebSocket frames written straight to the TCP socket, past `ws` and its checks, so a fault
 * plan can send what a broken server or proxy would: invalid UTF-8, frames after the close
 * frame, half a frame before a reset. Server frames are unmasked (RFC 6455 §5.1).
 */

const OPCODE = { text: 0x1, binary: 0x2 } as const;

/** One complete, final (FIN) frame of `kind` carrying `payload`. */
export function encodeFrame(kind: keyof typeof OPCODE, payload: Buffer): Buffer {
  const length = payload.length;
  let header: Buffer;
  if (length < 126) {
    header = Buffer.from([0x80 | OPCODE[kind], length]);
  } else if (length < 0x10000) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | OPCODE[kind];
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | OPCODE[kind];
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

/** The first half of a text frame announcing 1000 bytes: a reader left waiting for the rest. */
export function halfFrame(): Buffer {
  return encodeFrame("text", Buffer.alloc(1_000, 0x20)).subarray(0, 500);
}
