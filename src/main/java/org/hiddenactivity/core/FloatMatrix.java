package org.hiddenactivity.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense row-major matrix of 32-bit floats: the one array type that flows between stages
 * (activations, features, embeddings). Rows are observations, columns are features.
 */
public final class FloatMatrix {
    private final int rows;
    private final int cols;
    private final float[] data;

    /** Wraps {@code data} (not copied); its length must be {@code rows * cols}. */
    public FloatMatrix(int rows, int cols, float[] data) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative shape " + rows + " x " + cols);
        }
        Objects.requireNonNull(data, "data");
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException("shape " + rows + " x " + cols + " needs " + ((long) rows * cols)
                    + " values, got " + data.length);
        }
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    public static FloatMatrix zeros(int rows, int cols) {
        return new FloatMatrix(rows, cols, new float[Math.multiplyExact(rows, cols)]);
    }

    /** Copies a jagged array; every row must have the same length. */
    public static FloatMatrix of(float[][] rowsData) {
        int n = rowsData.length;
        int d = n == 0 ? 0 : rowsData[0].length;
        float[] out = new float[Math.multiplyExact(n, d)];
        for (int i = 0; i < n; i++) {
            if (rowsData[i].length != d) {
                throw new IllegalArgumentException("row " + i + " has " + rowsData[i].length + " values, expected " + d);
            }
            System.arraycopy(rowsData[i], 0, out, i * d, d);
        }
        return new FloatMatrix(n, d, out);
    }

    public int rows() { return rows; }

    public int cols() { return cols; }

    /** The backing array, row-major; shared, not copied. */
    public float[] data() { return data; }

    public float get(int row, int col) { return data[row * cols + col]; }

    public void set(int row, int col, float value) { data[row * cols + col] = value; }

    public float[] row(int row) { return Arrays.copyOfRange(data, row * cols, (row + 1) * cols); }

    public FloatMatrix copy() { return new FloatMatrix(rows, cols, data.clone()); }

    /** The first {@code n} rows (copied). */
    public FloatMatrix head(int n) {
        if (n < 0 || n > rows) {
            throw new IllegalArgumentException("cannot take " + n + " rows of " + rows);
        }
        return new FloatMatrix(n, cols, Arrays.copyOf(data, n * cols));
    }

    /** Stacks matrices with equal column counts vertically (used for joint projections). */
    public static FloatMatrix vstack(java.util.List<FloatMatrix> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to stack");
        }
        int d = parts.get(0).cols;
        int n = 0;
        for (FloatMatrix m : parts) {
            if (m.cols != d) {
                throw new IllegalArgumentException("cannot stack " + m.cols + " columns under " + d);
            }
            n += m.rows;
        }
        float[] out = new float[Math.multiplyExact(n, d)];
        int offset = 0;
        for (FloatMatrix m : parts) {
            System.arraycopy(m.data, 0, out, offset, m.data.length);
            offset += m.data.length;
        }
        return new FloatMatrix(n, d, out);
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive), copied. */
    public FloatMatrix rowRange(int from, int to) {
        if (from < 0 || to > rows || from > to) {
            throw new IllegalArgumentException("row range [" + from + ", " + to + ") outside 0.." + rows);
        }
        return new FloatMatrix(to - from, cols, Arrays.copyOfRange(data, from * cols, to * cols));
    }

    /** Index of the first non-finite value, or -1 when all values are finite. */
    public long firstNonFinite() {
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "FloatMatrix[" + rows + " x " + cols + "]";
    }
}
