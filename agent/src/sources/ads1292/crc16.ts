/**
 * CRC-16/CCITT-FALSE (a.k.a. CRC-16/IBM-3740): width 16, poly 0x1021,
 * init 0xFFFF, no input/output reflection, xorout 0x0000, check("123456789")
 * = 0x29B1 (Williams, "A painless guide to CRC error detection algorithms";
 * reveng catalogue). Chosen because every small MCU has a table-free loop for
 * it and it detects all 1- and 2-bit errors and all bursts up to 16 bits.
 */

/** CRC of bytes[from, to), continuing from `crc` (default: the init value). */
export function crc16CcittFalse(bytes: Uint8Array, from = 0, to = bytes.length, crc = 0xffff): number {
  for (let i = from; i < to; i++) {
    crc ^= bytes[i] << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc;
}
