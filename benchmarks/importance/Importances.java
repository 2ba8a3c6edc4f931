// Runs org.hiddenactivity.neurons.ExtraTrees on .npy inputs for compare_sklearn.py (single-file program:
// java -cp target/classes benchmarks/importance/Importances.java X.npy y.npy out.npy nTrees seed threads).
import java.nio.file.Path;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Npy;
import org.hiddenactivity.neurons.ExtraTrees;

public class Importances {
    public static void main(String[] args) {
        FloatMatrix x = Npy.readMatrix(Path.of(args[0]));
        int[] y = Npy.readLabels(Path.of(args[1]));
        int trees = Integer.parseInt(args[3]);
        long seed = Long.parseLong(args[4]);
        int threads = Integer.parseInt(args[5]);
        ExtraTrees.importances(x, y, trees, seed, threads); // warm-up run (JIT), not timed
        long t0 = System.nanoTime();
        double[] imp = ExtraTrees.importances(x, y, trees, seed, threads);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Npy.write(Path.of(args[2]), imp);
        System.out.printf("java_seconds=%.3f rows=%d cols=%d trees=%d threads=%d%n", seconds, x.rows(), x.cols(), trees, threads);
    }
}
