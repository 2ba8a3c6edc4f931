package org.hiddenactivity.projection;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.DFT_COMPLEX_OUTPUT;
import static org.bytedeco.opencv.global.opencv_core.DFT_INVERSE;
import static org.bytedeco.opencv.global.opencv_core.DFT_SCALE;
import static org.bytedeco.opencv.global.opencv_core.dft;
import static org.bytedeco.opencv.global.opencv_core.getOptimalDFTSize;
import static org.bytedeco.opencv.global.opencv_core.mulSpectrums;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * The repulsive term of 2-D t-SNE in O(N + M log M) by interpolation on a regular grid and FFT convolution: the
 * scheme of FIt-SNE (Linderman, Rachh, Hoskins, Steinerberger, Kluger, Nature Methods 16, 2019), also openTSNE's.
 * <p>
 * The square around the points is cut into m x m intervals of width {@link #MAX_INTERVAL_WIDTH} (for maps narrower
 * than {@link #MIN_INTERVALS} of them, that width halved until 25 to 50 intervals span the map; at most
 * {@link #MAX_INTERVALS} per side, wider beyond), each with {@link #NODES} x {@link #NODES}
 * equispaced nodes, so the nodes form one uniform grid of spacing h. Each point's charges (1, x, y, x^2 + y^2) are
 * spread to the 3 x 3 nodes of its interval with Lagrange weights; the kernel K(d) = (1 + d^2)^-2 is summed between
 * all pairs of nodes by one 2-D convolution (a Toeplitz sum, done as a circular convolution of twice the size with
 * OpenCV's dft); the potentials are interpolated back to the points with the same weights. With
 * phi_c(i) = sum_j K(y_i - y_j) c_j, the repulsion sum_j q_ij^2 (y_i - y_j) is y_i phi_1 - (phi_x, phi_y), and since
 * q = K (1 + d^2), sum_j q_ij = (1 + |y_i|^2) phi_1 - 2 y_i . (phi_x, phi_y) + phi_r2, minus the self term 1.
 * <p>
 * Deterministic for any thread count: points are spread by interval columns (each column of nodes is written by
 * one chunk, its points in index order), gathered per point, and Z is reduced in chunk order; the FFT does not
 * depend on our threads. Two real charges travel as one complex array (the kernel is real and even, so its spectrum
 * is real and the real and imaginary parts do not mix): two forward and two inverse transforms per call, one for
 * the kernel (skipped while the FFT size and interval width stay the same). Holds OpenCV buffers: {@link #close()}.
 * Accuracy: about 2.6 % of the repulsion's norm is missed on a dense 5000-point map (close pairs; 0.5 % with
 * intervals of width 1/2), Z within 1e-4; see FftGradientTest and benchmarks/README.md for what that does to a map.
 * Coordinates are centred on the grid before forming the charges, which keeps x^2 + y^2 small and the
 * cancellation in Z harmless.
 */
final class FftRepulsion implements AutoCloseable {
    /** Lagrange nodes per interval and dimension (FIt-SNE's and openTSNE's default). */
    static final int NODES = 3;
    /** Intervals per dimension at least (openTSNE's min_num_intervals). */
    static final int MIN_INTERVALS = 50;
    /** Intervals per dimension at most: bounds the FFT (2 x 768 nodes per side) if the embedding blows up. */
    static final int MAX_INTERVALS = 256;
    /** Widest interval, in embedding units (openTSNE: one interval per unit); the kernel varies on the scale of 1. */
    static final double MAX_INTERVAL_WIDTH = 1.0;
    private static final int CHARGES = 4;
    private static final int CHUNK = 256;

    private final int n;
    private final Workers workers;
    private final double maxWidth;
    private final int[] box;
    private final double[] weightX;
    private final double[] weightY;
    private final double[] centred;
    private final int[] order;
    private final double[] potential;
    private final double[] zPerChunk;
    private double[] grid = new double[0];
    private double[] nodeValues = new double[0];
    private int[] columnStart = new int[0];
    // FFT buffers of the current size, and the kernel spectrum for kernelWidth
    private int fftSize = -1;
    private double kernelWidth = Double.NaN;
    private Mat packed;
    private Mat spectrum;
    private Mat product;
    private Mat result;
    private Mat kernelSpectrum;
    /** Denominators of the Lagrange basis on nodes (k + 1/2) / NODES. */
    private static final double[] DENOMINATOR = lagrangeDenominators();

    FftRepulsion(int n, Workers workers) {
        this(n, workers, MAX_INTERVAL_WIDTH);
    }

    /** @param maxWidth widest interval in embedding units (tests vary it to see the O(h^3) convergence) */
    FftRepulsion(int n, Workers workers, double maxWidth) {
        this.n = n;
        this.workers = workers;
        this.maxWidth = maxWidth;
        box = new int[2 * n];
        weightX = new double[NODES * n];
        weightY = new double[NODES * n];
        centred = new double[2 * n];
        order = new int[n];
        potential = new double[CHARGES * n];
        zPerChunk = new double[Workers.chunks(n, CHUNK)];
    }

    /**
     * Writes sum_j q_ij^2 (y_i - y_j) into rep (n x 2, row-major) and returns Z = sum_(i != j) q_ij, both by
     * interpolation.
     */
    double repulsion(double[] y, double[] rep) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            minX = Math.min(minX, y[2 * i]);
            maxX = Math.max(maxX, y[2 * i]);
            minY = Math.min(minY, y[2 * i + 1]);
            maxY = Math.max(maxY, y[2 * i + 1]);
        }
        double cx = (minX + maxX) / 2;
        double cy = (minY + maxY) / 2;
        // a little margin so the largest coordinate falls inside the last interval; never a zero-width grid
        double side = Math.max(Math.max(maxX - minX, maxY - minY) * (1 + 1e-6), 1e-6);
        // interval width: maxWidth once the map spans MIN_INTERVALS of them, else maxWidth / 2^j with at most
        // MIN_INTERVALS intervals; few distinct widths and FFT sizes let the kernel's spectrum be reused
        double width = maxWidth;
        if (side < MIN_INTERVALS * maxWidth) {
            width = maxWidth * Math.pow(2, Math.ceil(Math.log(side / (MIN_INTERVALS * maxWidth)) / Math.log(2)));
        }
        int needed = (int) Math.ceil(side / width);
        if (needed > MAX_INTERVALS) {
            width = side / MAX_INTERVALS;
            needed = MAX_INTERVALS;
        }
        int size = getOptimalDFTSize(2 * needed * NODES - 1);
        // as many intervals as that FFT size holds without wrap-around (>= needed): the grid covers the points
        int m = Math.max(needed, (size + 1) / (2 * NODES));
        int g = m * NODES;
        locate(y, cx, cy, -m * width / 2, width, m);
        spread(m, g);
        convolve(g, size, width);
        gather(g);
        // the self term of point i is its interpolated K(0), sum_(a,b) w_a K(h (a - b)) w_b, not exactly 1: subtract
        // it as interpolated rather than as 1, so its interpolation error stays out of Z
        double[] near = new double[(2 * NODES - 1) * (2 * NODES - 1)];
        double spacing = width / NODES;
        for (int a = 0; a < 2 * NODES - 1; a++) {
            for (int b = 0; b < 2 * NODES - 1; b++) {
                double da = (a - NODES + 1) * spacing;
                double db = (b - NODES + 1) * spacing;
                double q = 1 / (1 + da * da + db * db);
                near[a * (2 * NODES - 1) + b] = q * q;
            }
        }
        workers.forChunks(n, CHUNK, (c, start, end) -> {
            double z = 0;
            for (int i = start; i < end; i++) {
                double x0 = centred[2 * i];
                double x1 = centred[2 * i + 1];
                double p1 = potential[CHARGES * i];
                double px = potential[CHARGES * i + 1];
                double py = potential[CHARGES * i + 2];
                double pr = potential[CHARGES * i + 3];
                rep[2 * i] = x0 * p1 - px;
                rep[2 * i + 1] = x1 * p1 - py;
                z += (1 + x0 * x0 + x1 * x1) * p1 - 2 * (x0 * px + x1 * py) + pr - selfTerm(i, near);
            }
            zPerChunk[c] = z;
        });
        double z = 0;
        for (double v : zPerChunk) {
            z += v;
        }
        return z;
    }

    /** sum over node pairs of point i's interval of w_a w_a' w_b w_b' K(h (a - a'), h (b - b')). */
    private double selfTerm(int i, double[] near) {
        int span = 2 * NODES - 1;
        double s = 0;
        for (int a = 0; a < NODES; a++) {
            for (int a2 = 0; a2 < NODES; a2++) {
                double wa = weightX[NODES * i + a] * weightX[NODES * i + a2];
                int rowBase = (a - a2 + NODES - 1) * span;
                double inner = 0;
                for (int b = 0; b < NODES; b++) {
                    for (int b2 = 0; b2 < NODES; b2++) {
                        inner += weightY[NODES * i + b] * weightY[NODES * i + b2] * near[rowBase + b - b2 + NODES - 1];
                    }
                }
                s += wa * inner;
            }
        }
        return s;
    }

    /** Interval of every point, its Lagrange weights, its centred coordinates; points ordered by interval column. */
    private void locate(double[] y, double cx, double cy, double lo, double width, int m) {
        workers.forChunks(n, CHUNK, (c, start, end) -> {
            for (int i = start; i < end; i++) {
                double x0 = y[2 * i] - cx;
                double x1 = y[2 * i + 1] - cy;
                centred[2 * i] = x0;
                centred[2 * i + 1] = x1;
                double u0 = (x0 - lo) / width;
                double u1 = (x1 - lo) / width;
                int b0 = Math.min(m - 1, Math.max(0, (int) Math.floor(u0)));
                int b1 = Math.min(m - 1, Math.max(0, (int) Math.floor(u1)));
                box[2 * i] = b0;
                box[2 * i + 1] = b1;
                lagrange(u0 - b0, weightX, NODES * i);
                lagrange(u1 - b1, weightY, NODES * i);
            }
        });
        // counting sort by interval column, stable (index order within a column)
        if (columnStart.length != m + 1) {
            columnStart = new int[m + 1];
        }
        java.util.Arrays.fill(columnStart, 0);
        for (int i = 0; i < n; i++) {
            columnStart[box[2 * i] + 1]++;
        }
        for (int b = 0; b < m; b++) {
            columnStart[b + 1] += columnStart[b];
        }
        int[] fill = java.util.Arrays.copyOf(columnStart, m);
        for (int i = 0; i < n; i++) {
            order[fill[box[2 * i]]++] = i;
        }
    }

    /** The charges (1, x, y, x^2 + y^2) of the points on the g x g nodes: grid[c][gx][gy], one interval column per task. */
    private void spread(int m, int g) {
        int cells = g * g;
        if (grid.length != CHARGES * cells) {
            grid = new double[CHARGES * cells];
        } else {
            java.util.Arrays.fill(grid, 0);
        }
        workers.forChunks(m, 1, (column, from, to) -> {
            for (int e = columnStart[column]; e < columnStart[column + 1]; e++) {
                int i = order[e];
                double x0 = centred[2 * i];
                double x1 = centred[2 * i + 1];
                double r2 = x0 * x0 + x1 * x1;
                int gx0 = box[2 * i] * NODES;
                int gy0 = box[2 * i + 1] * NODES;
                for (int a = 0; a < NODES; a++) {
                    double wa = weightX[NODES * i + a];
                    int row = (gx0 + a) * g + gy0;
                    for (int b = 0; b < NODES; b++) {
                        double w = wa * weightY[NODES * i + b];
                        int cell = row + b;
                        grid[cell] += w;
                        grid[cells + cell] += w * x0;
                        grid[2 * cells + cell] += w * x1;
                        grid[3 * cells + cell] += w * r2;
                    }
                }
            }
        });
    }

    /**
     * Replaces the charges on the nodes by their potentials sum_b K(h |a - b|) charge_b (nodeValues, same layout), by
     * circular convolution of size {@code size} >= 2g - 1 in float (enough: the potentials feed a gradient whose
     * interpolation error is 1e-3 and above). The kernel's spectrum is kept while the FFT size and width stay.
     */
    private void convolve(int g, int size, double width) {
        int cells = g * g;
        if (nodeValues.length != CHARGES * cells) {
            nodeValues = new double[CHARGES * cells];
        }
        if (size != fftSize) {
            close();
            fftSize = size;
            packed = new Mat(size, size, CV_32FC2, Scalar.all(0));
            spectrum = new Mat();
            product = new Mat();
            result = new Mat();
            kernelSpectrum = new Mat();
            kernelWidth = Double.NaN;
        }
        if (width != kernelWidth) {
            kernelWidth = width;
            double spacing = width / NODES;
            float[] kernelRow = new float[size];
            try (Mat kernel = new Mat(size, size, CV_32FC1)) {
                FloatPointer kp = new FloatPointer(kernel.data());
                for (int r = 0; r < size; r++) {
                    double dr = (r <= size / 2 ? r : r - size) * spacing;
                    for (int c = 0; c < size; c++) {
                        double dc = (c <= size / 2 ? c : c - size) * spacing;
                        double q = 1 / (1 + dr * dr + dc * dc);
                        kernelRow[c] = (float) (q * q);
                    }
                    kp.position((long) r * size).put(kernelRow, 0, size);
                }
                dft(kernel, kernelSpectrum, DFT_COMPLEX_OUTPUT, 0);
            }
        }
        float[] row = new float[2 * g];
        FloatPointer in = new FloatPointer(packed.data());
        for (int pair = 0; pair < CHARGES / 2; pair++) {
            int re = 2 * pair * cells;
            int im = re + cells;
            for (int a = 0; a < g; a++) {
                for (int b = 0; b < g; b++) {
                    row[2 * b] = (float) grid[re + a * g + b];
                    row[2 * b + 1] = (float) grid[im + a * g + b];
                }
                in.position((long) a * size * 2).put(row, 0, 2 * g);
            }
            // rows g.. of the input stay zero: nonzeroRows skips their transforms
            dft(packed, spectrum, 0, g);
            mulSpectrums(spectrum, kernelSpectrum, product, 0);
            // nonzeroRows on the inverse gives wrong values for complex output (OpenCV 4.13): full inverse
            dft(product, result, DFT_INVERSE | DFT_SCALE, 0);
            FloatPointer out = new FloatPointer(result.data());
            for (int a = 0; a < g; a++) {
                out.position((long) a * size * 2).get(row, 0, 2 * g);
                for (int b = 0; b < g; b++) {
                    nodeValues[re + a * g + b] = row[2 * b];
                    nodeValues[im + a * g + b] = row[2 * b + 1];
                }
            }
        }
    }

    /** Frees the FFT buffers (they are made again on the next call). */
    @Override
    public void close() {
        for (Mat mat : new Mat[] {packed, spectrum, product, result, kernelSpectrum}) {
            if (mat != null) {
                mat.close();
            }
        }
        packed = null;
        spectrum = null;
        product = null;
        result = null;
        kernelSpectrum = null;
        fftSize = -1;
    }

    /** The potentials at every point, interpolated from the nodes of its interval with its Lagrange weights. */
    private void gather(int g) {
        int cells = g * g;
        workers.forChunks(n, CHUNK, (c, start, end) -> {
            for (int i = start; i < end; i++) {
                int gx0 = box[2 * i] * NODES;
                int gy0 = box[2 * i + 1] * NODES;
                double p0 = 0;
                double p1 = 0;
                double p2 = 0;
                double p3 = 0;
                for (int a = 0; a < NODES; a++) {
                    double wa = weightX[NODES * i + a];
                    int row = (gx0 + a) * g + gy0;
                    for (int b = 0; b < NODES; b++) {
                        double w = wa * weightY[NODES * i + b];
                        int cell = row + b;
                        p0 += w * nodeValues[cell];
                        p1 += w * nodeValues[cells + cell];
                        p2 += w * nodeValues[2 * cells + cell];
                        p3 += w * nodeValues[3 * cells + cell];
                    }
                }
                potential[CHARGES * i] = p0;
                potential[CHARGES * i + 1] = p1;
                potential[CHARGES * i + 2] = p2;
                potential[CHARGES * i + 3] = p3;
            }
        });
    }

    /** The Lagrange basis on the nodes (k + 1/2) / NODES at t in [0, 1], written to out[off .. off + NODES). */
    private static void lagrange(double t, double[] out, int off) {
        for (int k = 0; k < NODES; k++) {
            double v = 1;
            for (int l = 0; l < NODES; l++) {
                if (l != k) {
                    v *= t - (l + 0.5) / NODES;
                }
            }
            out[off + k] = v / DENOMINATOR[k];
        }
    }

    private static double[] lagrangeDenominators() {
        double[] d = new double[NODES];
        for (int k = 0; k < NODES; k++) {
            double v = 1;
            for (int l = 0; l < NODES; l++) {
                if (l != k) {
                    v *= (k - l) / (double) NODES;
                }
            }
            d[k] = v;
        }
        return d;
    }
}
