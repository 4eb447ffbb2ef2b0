package dev.mlops.spark;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.function.Function;

/** What every summary codec must refuse, checked the same way for each. */
final class CodecAssertions {
    private CodecAssertions() {
    }

    /**
     * Every strict prefix of good bytes (the empty one included), the bytes with one more at the
     * end, and the bytes under another format byte are refused with an IllegalArgumentException
     * whose message starts with the summary's name.
     */
    static void refusesTruncatedTrailingAndOtherFormats(byte[] good, Function<byte[], ?> decode, String name) {
        for (int n = 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            assertThatThrownBy(() -> decode.apply(cut)).as("first %d of %d bytes", n, good.length)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(name + ": ");
        }
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> decode.apply(longer)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(name + ": 1 bytes after its last ");
        byte[] other = good.clone();
        other[0]++;
        assertThatThrownBy(() -> decode.apply(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(name + ": format " + other[0] + ", expected " + good[0]);
    }

    /** Flipping any single byte either is refused with an IllegalArgumentException or decodes: never another failure. */
    static void corruptionFailsCleanly(byte[] good, Function<byte[], ?> decode) {
        for (int i = 1; i < good.length; i++) {
            for (int flip : new int[] {0x01, 0x80, 0xFF}) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) flip;
                try {
                    decode.apply(bad);
                } catch (IllegalArgumentException expected) {
                    // refused, naming what is wrong
                }
            }
        }
    }
}
