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
    /** The most pixels read per image (16 Mpx, 4096 x 4096; 192 MB as float RGB): dataset images are far smaller. */
    static final long MAX_PIXELS = 1L << 24;

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
        checkPngChunks(b, file);
        return new Size("PNG", int32be(b, 16), int32be(b, 20));
    }

    /**
     * Walks the chunks: each must lie within the file and match its CRC. Found by fuzzing: OpenCV 4.13's PNG reader
     * trusts a chunk's length, and a 90-byte file declaring a 4 GB chunk made it allocate gigabytes for 19 s.
     */
    private static void checkPngChunks(byte[] b, String file) {
        int p = 8;
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        while (true) {
            if (p + 12 > b.length) {
                throw corrupt(file, "PNG ends inside a chunk header at byte " + p);
            }
            long len = int32be(b, p) & 0xffffffffL;
            if (len > b.length - p - 12L) {
                throw corrupt(file, "PNG chunk at byte " + p + " declares " + len + " bytes, the file has "
                        + (b.length - p - 12) + " left");
            }
            crc.reset();
            crc.update(b, p + 4, 4 + (int) len);
            int end = p + 8 + (int) len;
            if ((int) crc.getValue() != int32be(b, end)) {
                throw corrupt(file, "PNG chunk " + printable(b, p + 4) + " at byte " + p + " fails its CRC check");
            }
            if (b[p + 4] == 'I' && b[p + 5] == 'E' && b[p + 6] == 'N' && b[p + 7] == 'D') {
                return;
            }
            p = end + 4;
        }
    }

    private static String printable(byte[] b, int p) {
        StringBuilder sb = new StringBuilder();
        for (int i = p; i < p + 4; i++) {
            char c = (char) (b[i] & 0xff);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.toString();
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
        int w = int32le(b, 18);
        if (b.length >= 34 && w > 0) {
            int bits = u16le(b, 28);
            int compression = int32le(b, 30);
            long offset = int32le(b, 10) & 0xffffffffL;
            // uncompressed (BI_RGB, BI_BITFIELDS): the rows must be in the file, else OpenCV allocates for nothing
            if ((compression == 0 || compression == 3) && bits > 0 && bits <= 32) {
                long row = ((long) w * bits + 31) / 32 * 4;
                if (offset + row * Math.abs((long) h) > b.length) {
                    throw corrupt(file, "BMP of " + w + " x " + Math.abs((long) h) + " at " + bits + " bits needs "
                            + (offset + row * Math.abs((long) h)) + " bytes, the file has " + b.length);
                }
            }
        }
        return new Size("BMP", w, Math.abs(h)); // negative height: rows stored top-down
    }

    private static Size jpeg(byte[] b, String file) {
        int p = 2;
        int adobeTransform = -1;
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
            if (len < 2 || p + 2 + len > b.length) {
                throw corrupt(file, "JPEG segment of length " + len + " at byte " + p + " (the file has "
                        + b.length + " bytes)");
            }
            boolean frame = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
            if (frame) {
                if (p + 9 > b.length) {
                    break;
                }
                if (p + 9 < b.length && (b[p + 9] & 0xff) == 4) {
                    throw cmyk(file, adobeTransform == 2 ? "YCCK" : "CMYK");
                }
                return new Size("JPEG", u16be(b, p + 7), u16be(b, p + 5));
            }
            if (m == 0xEE && len >= 14 && b[p + 4] == 'A' && b[p + 5] == 'd' && b[p + 6] == 'o' && b[p + 7] == 'b'
                    && b[p + 8] == 'e') {
                adobeTransform = b[p + 15] & 0xff; // Adobe APP14: 0 = CMYK (or RGB), 1 = YCbCr, 2 = YCCK
            }
            p += 2 + len;
        }
        throw corrupt(file, "JPEG without a frame header (SOF) before its image data");
    }

    /**
     * A 4-component JPEG is refused: OpenCV converts CMYK to RGB with its own formula, unlike PIL (and so
     * torchvision's ImageFolder), and cannot return the raw CMYK values that PIL's conversion would need.
     */
    private static HavException cmyk(String file, String kind) {
        return new HavException(file, "a " + kind + " JPEG (4 colour components): OpenCV would convert it to RGB"
                + " unlike PIL and torchvision (other pixel values), so it is not read",
                "convert it to RGB as torchvision does, with PIL: Image.open(f).convert('RGB').save(f), or move it out"
                        + " of the image folder");
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
