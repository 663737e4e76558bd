package dev.scoria.server.http.v2;

/** IEEE 754 half precision (FP16) to and from float; Java 17 has no conversion of its own. */
final class HalfFloats {

    private HalfFloats() {}

    static float toFloat(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Subnormal (or zero): the value is mantissa * 2^-24.
            float value = mantissa * 0x1p-24f;
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    static short fromFloat(float value) {
        int bits = Float.floatToIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = ((bits >>> 23) & 0xFF) - 127 + 15;
        int mantissa = bits & 0x7F_FFFF;
        if (((bits >>> 23) & 0xFF) == 0xFF) {
            return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0));
        }
        if (exponent >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (exponent <= 0) {
            if (exponent < -10) {
                return (short) sign;
            }
            mantissa |= 0x80_0000;
            int shift = 14 - exponent;
            int rounded = (mantissa + (1 << (shift - 1))) >> shift;
            return (short) (sign | rounded);
        }
        int rounded = (exponent << 10) | (mantissa >> 13);
        // Round to nearest: a carry into the exponent is the correct result.
        if ((mantissa & 0x1000) != 0) {
            rounded++;
        }
        return (short) (sign | rounded);
    }
}
