/**
 * A whole WebSocket text frame as a server sends it (RFC 6455 §5.2: FIN, opcode 1, unmasked),
 * built once per event and operation id so fanning one event out to thousands of sockets writes
 * the same bytes to each instead of encoding and framing the text again per socket.
 */
export function textFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81;
  if (header === 2) frame[1] = length;
  else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.write(text, header, 'utf8');
  return frame;
}
