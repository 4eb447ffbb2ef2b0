package dev.mlops.spark;

import java.util.Arrays;

/**
 * The byte formats of the summaries that cross Spark's shuffle: plain numbers and text written
 * by {@link Writer} and read back by {@link Reader}, so that reading instantiates nothing the bytes
 * name (no Java deserialization). Counts and lengths are unsigned varints (7 bits a byte, low
 * first), doubles their 8 raw bits (every NaN, −0.0 and the infinities as they were), text its
 * char count and each char in 1 to 3 bytes (UTF-8's shapes applied to each UTF-16 char, so any
 * Java string, lone surrogates included, reads back equal). A {@link Reader} refuses truncated,
 * trailing or impossible bytes with an {@link IllegalArgumentException} naming the summary and
 * the field, and allocates no array longer than the bytes left could fill. Package-private.
 */
final class SummaryBytes {
    private SummaryBytes() {
    }

    /** Appends to a growing byte array. */
    static final class Writer {
        private byte[] out;
        private int size;

        Writer(int expected) {
            out = new byte[Math.max(16, expected)];
        }

        private void room(int n) {
            if (out.length - size < n) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, size + n));
            }
        }

        Writer writeByte(int b) {
            room(1);
            out[size++] = (byte) b;
            return this;
        }

        /** A count or length: an unsigned varint (1 byte below 128, at most 10). */
        Writer count(long v) {
            room(10);
            while ((v & ~0x7FL) != 0) {
                out[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            out[size++] = (byte) v;
            return this;
        }

        /** 8 bytes, big-endian. */
        Writer fixedLong(long v) {
            room(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out[size++] = (byte) (v >>> shift);
            }
            return this;
        }

        /** The raw bits of a double: NaN payloads and −0.0 as they are. */
        Writer number(double v) {
            return fixedLong(Double.doubleToRawLongBits(v));
        }

        /** Nullable text: 0 for null, else 1 + its char count, then its chars. */
        Writer text(String s) {
            if (s == null) {
                return count(0);
            }
            int n = s.length();
            count(n + 1L);
            room(3 * n);
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    out[size++] = (byte) c;
                } else if (c < 0x800) {
                    out[size++] = (byte) (0xC0 | (c >> 6));
                    out[size++] = (byte) (0x80 | (c & 0x3F));
                } else {
                    out[size++] = (byte) (0xE0 | (c >> 12));
                    out[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                    out[size++] = (byte) (0x80 | (c & 0x3F));
                }
            }
            return this;
        }

        /** A length, then the bytes. */
        Writer bytes(byte[] b) {
            count(b.length);
            room(b.length);
            System.arraycopy(b, 0, out, size, b.length);
            size += b.length;
            return this;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(out, size);
        }
    }

    /** Reads what a {@link Writer} wrote, checking every step. */
    static final class Reader {
        private final byte[] in;
        private final String what;
        private int at;

        /**
         * @param in   the bytes
         * @param what the summary's name, for messages
         * @param format the format byte the bytes must start with
         */
        Reader(byte[] in, String what, byte format) {
            if (in == null) {
                throw new IllegalArgumentException(what + ": no bytes (null)");
            }
            this.in = in;
            this.what = what;
            if (in.length == 0) {
                throw new IllegalArgumentException(what + ": no bytes, expected format " + format);
            }
            byte f = in[at++];
            if (f != format) {
                throw new IllegalArgumentException(what + ": format " + f + ", expected " + format);
            }
        }

        int remaining() {
            return in.length - at;
        }

        IllegalArgumentException bad(String message) {
            return new IllegalArgumentException(what + ": " + message);
        }

        private IllegalArgumentException truncated(String field) {
            return bad("truncated in " + field + " (" + in.length + " bytes)");
        }

        int readByte(String field) {
            if (at >= in.length) {
                throw truncated(field);
            }
            return in[at++];
        }

        /** A count from 0 to {@link Long#MAX_VALUE}. */
        long count(String field) {
            long v = varint(field);
            if (v < 0) {
                throw bad(field + " is " + Long.toUnsignedString(v) + ", beyond " + Long.MAX_VALUE);
            }
            return v;
        }

        /** Any 64 bits, as {@link Writer#count} writes them. */
        long varint(String field) {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (at >= in.length) {
                    throw truncated(field);
                }
                byte b = in[at++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    if (shift == 63 && b > 1) {
                        throw bad(field + " overflows 64 bits");
                    }
                    return v;
                }
            }
            throw bad(field + " is a varint of more than 10 bytes");
        }

        /**
         * A number of items of at least {@code minBytesEach} bytes each: refused if the bytes left
         * could not hold them, so that no array is allocated for a length the input cannot back.
         */
        int length(String field, int minBytesEach) {
            long n = count(field);
            if (n > remaining() / Math.max(1, minBytesEach)) {
                throw bad(field + " is " + n + ", but only " + remaining() + " bytes remain (at least " + minBytesEach
                        + " each)");
            }
            return (int) n;
        }

        /** A length that must also be at most {@code max}. */
        int length(String field, int minBytesEach, int max) {
            int n = length(field, minBytesEach);
            if (n > max) {
                throw bad(field + " is " + n + ", expected at most " + max);
            }
            return n;
        }

        long fixedLong(String field) {
            if (remaining() < 8) {
                throw truncated(field);
            }
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (in[at++] & 0xFF);
            }
            return v;
        }

        double number(String field) {
            return Double.longBitsToDouble(fixedLong(field));
        }

        String text(String field) {
            long header = count(field);
            if (header == 0) {
                return null;
            }
            long n = header - 1;
            if (n > remaining()) {
                throw bad(field + " has " + n + " chars, but only " + remaining() + " bytes remain");
            }
            char[] chars = new char[(int) n];
            for (int i = 0; i < chars.length; i++) {
                int b = readByte(field);
                if (b >= 0) {
                    chars[i] = (char) b;
                } else if ((b & 0xE0) == 0xC0) {
                    int c = ((b & 0x1F) << 6) | continuation(field);
                    if (c < 0x80) {
                        throw bad(field + " has an overlong char");
                    }
                    chars[i] = (char) c;
                } else if ((b & 0xF0) == 0xE0) {
                    int c = ((b & 0x0F) << 12) | (continuation(field) << 6);
                    c |= continuation(field);
                    if (c < 0x800) {
                        throw bad(field + " has an overlong char");
                    }
                    chars[i] = (char) c;
                } else {
                    throw bad(field + " has a malformed char (byte 0x" + Integer.toHexString(b & 0xFF) + ")");
                }
            }
            return new String(chars);
        }

        private int continuation(String field) {
            int b = readByte(field);
            if ((b & 0xC0) != 0x80) {
                throw bad(field + " has a malformed char (byte 0x" + Integer.toHexString(b & 0xFF) + ")");
            }
            return b & 0x3F;
        }

        /** A length, then that many bytes. */
        byte[] bytes(String field) {
            int n = length(field, 1);
            byte[] b = Arrays.copyOfRange(in, at, at + n);
            at += n;
            return b;
        }

        /** Refuses bytes after the summary's last field. */
        void end(String lastPart) {
            if (at != in.length) {
                throw bad((in.length - at) + " bytes after its last " + lastPart);
            }
        }
    }
}
