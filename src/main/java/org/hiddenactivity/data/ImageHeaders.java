package org.hiddenactivity.data;

import org.hiddenactivity.core.HavException;

/**
 * Width and height of a PNG, JPEG or BMP file from its first bytes, read before OpenCV decodes it: so a tiny file
 * that declares a huge image is refused before any native allocation, and an odd-sized file of an ImageFolder is
 * named before it is decoded. Written here because OpenCV has no header-only read.
 */
final class ImageHeaders {
    /** The largest side read; OpenCV's own limit is 2^20, which would be 3 TB of RGB. */
    static final int MAX_SIDE = 1 << 15;
    /** The most pixels read per image (64 Mpx, 768 MB as float RGB). */
    static final long MAX_PIXELS = 1L << 26;

    private ImageHeaders() {}

    /** A file's format and declared size. */
    record Size(String format, int width, int height) {}

    static Size peek(byte[] b, String file) {
        Size s;
        if (startsWith(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            s = png(b, file);
        } else if (startsWith(b, 0xFF, 0xD8)) {
            s = jpeg(b, file);
        } else if (startsWith(b, 'B', 'M')) {
            s = bmp(b, file);
        } else {
            throw new HavException(file, "not a PNG, JPEG or BMP file (by its first bytes)",
                    "convert it, or move it out of the image folder");
        }
        if (s.width() <= 0 || s.height() <= 0 || s.width() > MAX_SIDE || s.height() > MAX_SIDE
                || (long) s.width() * s.height() > MAX_PIXELS) {
            throw new HavException(file, s.format() + " header declares a " + s.width() + " x " + s.height()
                    + " image (at most " + MAX_SIDE + " per side and " + MAX_PIXELS + " pixels are read)",
                    "the file is corrupt, or resize the images");
        }
        return s;
    }

    private static Size png(byte[] b, String file) {
        // signature (8), IHDR chunk length (4) and type (4), then width and height, big-endian
        if (b.length < 24 || !(b[12] == 'I' && b[13] == 'H' && b[14] == 'D' && b[15] == 'R')) {
            throw corrupt(file, "PNG without an IHDR header");
        }
        return new Size("PNG", int32be(b, 16), int32be(b, 20));
    }

    private static Size bmp(byte[] b, String file) {
        if (b.length < 26) {
            throw corrupt(file, "BMP header truncated");
        }
        int dib = int32le(b, 14);
        if (dib == 12) {
            return new Size("BMP", u16le(b, 18), u16le(b, 20)); // OS/2 BITMAPCOREHEADER
        }
        if (dib < 40) {
            throw corrupt(file, "BMP with an unknown header of " + dib + " bytes");
        }
        int h = int32le(b, 22);
        if (h == Integer.MIN_VALUE) {
            throw corrupt(file, "BMP height out of range");
        }
        return new Size("BMP", int32le(b, 18), Math.abs(h)); // negative height: rows stored top-down
    }

    private static Size jpeg(byte[] b, String file) {
        int p = 2;
        while (p + 4 <= b.length) {
            if ((b[p] & 0xff) != 0xFF) {
                throw corrupt(file, "JPEG marker expected at byte " + p);
            }
            int m = b[p + 1] & 0xff;
            if (m == 0xFF) {
                p++; // fill byte
                continue;
            }
            if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
                p += 2; // markers without a length
                continue;
            }
            if (m == 0xD9 || m == 0xDA) {
                break; // end of image or start of scan before any frame header
            }
            int len = u16be(b, p + 2);
            if (len < 2) {
                throw corrupt(file, "JPEG segment of length " + len + " at byte " + p);
            }
            boolean frame = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
            if (frame) {
                if (p + 9 > b.length) {
                    break;
                }
                return new Size("JPEG", u16be(b, p + 7), u16be(b, p + 5));
            }
            p += 2 + len;
        }
        throw corrupt(file, "JPEG without a frame header (SOF) before its image data");
    }

    private static HavException corrupt(String file, String problem) {
        return new HavException(file, problem + " (corrupt or truncated)", "replace the file or move it out of the"
                + " image folder");
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int int32be(byte[] b, int p) {
        return (b[p] & 0xff) << 24 | (b[p + 1] & 0xff) << 16 | (b[p + 2] & 0xff) << 8 | (b[p + 3] & 0xff);
    }

    private static int int32le(byte[] b, int p) {
        return (b[p + 3] & 0xff) << 24 | (b[p + 2] & 0xff) << 16 | (b[p + 1] & 0xff) << 8 | (b[p] & 0xff);
    }

    private static int u16be(byte[] b, int p) {
        return (b[p] & 0xff) << 8 | (b[p + 1] & 0xff);
    }

    private static int u16le(byte[] b, int p) {
        return (b[p + 1] & 0xff) << 8 | (b[p] & 0xff);
    }
}
