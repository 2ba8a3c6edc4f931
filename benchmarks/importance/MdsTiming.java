// Times NeuronDissimilarity + Mds on random activations with correlated neuron groups:
// java -cp target/classes:$(cat cp.txt) benchmarks/importance/MdsTiming.java 1000 4096
import java.util.SplittableRandom;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.neurons.Mds;
import org.hiddenactivity.neurons.NeuronDissimilarity;

public class MdsTiming {
    public static void main(String[] args) {
        for (String arg : args) {
            int m = Integer.parseInt(arg);
            int n = 2000;
            SplittableRandom rng = new SplittableRandom(0);
            int groups = 20;
            float[][] basis = new float[groups][n];
            for (float[] b : basis) {
                for (int i = 0; i < n; i++) {
                    b[i] = (float) rng.nextGaussian();
                }
            }
            float[] a = new float[n * m];
            for (int j = 0; j < m; j++) {
                int g = j % groups;
                double mix = rng.nextDouble();
                for (int i = 0; i < n; i++) {
                    a[i * m + j] = (float) Math.max(0, mix * basis[g][i] + (1 - mix) * rng.nextGaussian());
                }
            }
            long t0 = System.nanoTime();
            NeuronDissimilarity d = NeuronDissimilarity.of(new FloatMatrix(n, m, a));
            long t1 = System.nanoTime();
            Mds.Result r = Mds.fit(d, Mds.Parameters.defaults());
            long t2 = System.nanoTime();
            System.out.printf("neurons=%d observations=%d dissimilarity_s=%.2f mds_s=%.2f iterations=%d converged=%b "
                    + "stress1=%.4f classical_stress=%.1f final_stress=%.1f threads=%d%n", m, n, (t1 - t0) / 1e9,
                    (t2 - t1) / 1e9, r.iterations(), r.converged(), r.stress1(), r.classicalStress(), r.stress(),
                    Runtime.getRuntime().availableProcessors());
        }
    }
}
