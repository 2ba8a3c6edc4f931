package org.hiddenactivity.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hiddenactivity.analysis.Evolution;
import org.hiddenactivity.analysis.NeuronAnalysis;

/**
 * Short statements computed from the report's numbers, each pointing at the table cell it rests on.
 * Thresholds are stated in the sentences so a reader can check them.
 */
final class Findings {
    private Findings() {}

    static List<ReportPage.Finding> compute(Evolution.Result layers, Evolution.Result epochs,
                                            NeuronAnalysis.DiscriminativeResult discriminative, List<String> classNames) {
        List<ReportPage.Finding> out = new ArrayList<>();
        List<Evolution.Step> ls = layers.steps();
        Evolution.Step firstLayer = ls.get(0);
        Evolution.Step lastLayer = ls.get(ls.size() - 1);
        double dLayers = lastLayer.quality().neighbourhoodHit() - firstLayer.quality().neighbourhoodHit();
        out.add(new ReportPage.Finding(String.format(Locale.ROOT,
                "Class separation %s with depth: the neighbourhood hit goes from %.3f at layer 1 to %.3f at layer %d (%+.3f).",
                dLayers > 0.005 ? "grows" : dLayers < -0.005 ? "shrinks" : "barely changes",
                firstLayer.quality().neighbourhoodHit(), lastLayer.quality().neighbourhoodHit(), ls.size(), dLayers),
                ReportBuilder.cellId("layers", ls.size() - 1, "nh"), "layer " + ls.size() + " neighbourhood hit"));

        List<Evolution.Step> es = epochs.steps();
        Evolution.Step firstEpoch = es.get(0);
        Evolution.Step lastEpoch = es.get(es.size() - 1);
        double dEpochs = lastEpoch.quality().neighbourhoodHit() - firstEpoch.quality().neighbourhoodHit();
        out.add(new ReportPage.Finding(String.format(Locale.ROOT,
                "Training %s the classes in layer %d: neighbourhood hit %.3f at epoch %d, %.3f at epoch %d (%+.3f).",
                dEpochs > 0.005 ? "separates" : "does not separate", lastEpoch.layer(),
                firstEpoch.quality().neighbourhoodHit(), firstEpoch.epoch(), lastEpoch.quality().neighbourhoodHit(),
                lastEpoch.epoch(), dEpochs),
                ReportBuilder.cellId("epochs", es.size() - 1, "nh"), "epoch " + lastEpoch.epoch() + " neighbourhood hit"));

        // which classes separate last: the lowest per-class hit in the last layer
        double[] perClass = lastLayer.quality().perClassHit();
        int worst = argMin(perClass);
        int best = argMax(perClass);
        if (worst >= 0) {
            out.add(new ReportPage.Finding(String.format(Locale.ROOT,
                    "Class '%s' is the least separated in the last layer (neighbourhood hit %.3f), class '%s' the best (%.3f).",
                    classNames.get(worst), perClass[worst], classNames.get(best), perClass[best]),
                    ReportBuilder.classCellId(ls.size() - 1, worst), "per-class hit"));
            int layerReached = -1;
            for (int t = 0; t < ls.size(); t++) {
                if (ls.get(t).quality().perClassHit()[worst] >= 0.9) {
                    layerReached = t;
                    break;
                }
            }
            out.add(new ReportPage.Finding(layerReached < 0
                    ? String.format(Locale.ROOT, "Class '%s' never reaches a neighbourhood hit of 0.9 in any layer.", classNames.get(worst))
                    : String.format(Locale.ROOT, "Class '%s' first reaches a neighbourhood hit of 0.9 at layer %d.",
                            classNames.get(worst), layerReached + 1),
                    ReportBuilder.classCellId(Math.max(layerReached, 0), worst), "per-class hit"));
        }
        int misBefore = firstEpoch.misclassified();
        int misAfter = lastEpoch.misclassified();
        int n = layers.steps().get(0).points().rows();
        out.add(new ReportPage.Finding(String.format(Locale.ROOT,
                "The network misclassifies %d of %d observations after training (%.2f%% accuracy), %d at epoch %d.",
                misAfter, n, 100.0 * (n - misAfter) / n, misBefore, firstEpoch.epoch()),
                ReportBuilder.cellId("epochs", es.size() - 1, "mis"), "misclassified"));

        Object deadAfter = discriminative.numbers().get("after");
        int deadBefore = discriminative.before().dead().length;
        int deadNow = discriminative.after().dead().length;
        int neurons = discriminative.after().dead().length + discriminative.after().live().length;
        out.add(new ReportPage.Finding(String.format(Locale.ROOT,
                "%d of %d neurons of layer %d are dead (constant over the observations) after training, %d before.",
                deadNow, neurons, discriminative.layer(), deadBefore),
                "neurons-dead-after", "dead neurons"));
        double specBefore = (double) ((java.util.Map<?, ?>) discriminative.numbers().get("before")).get("specialisation");
        double specAfter = (double) ((java.util.Map<?, ?>) deadAfter).get("specialisation");
        out.add(new ReportPage.Finding(String.format(Locale.ROOT,
                "Neurons specialise with training: on average %.0f%% of a neuron's importance goes to its top class after training, %.0f%% before (%.0f%% = no preference).",
                100 * specAfter, 100 * specBefore, 100.0 / classNames.size()),
                "neurons-specialisation-after", "specialisation"));
        return out;
    }

    static int argMin(double[] v) {
        int arg = -1;
        for (int i = 0; i < v.length; i++) {
            if (!Double.isNaN(v[i]) && (arg < 0 || v[i] < v[arg])) {
                arg = i;
            }
        }
        return arg;
    }

    static int argMax(double[] v) {
        int arg = -1;
        for (int i = 0; i < v.length; i++) {
            if (!Double.isNaN(v[i]) && (arg < 0 || v[i] > v[arg])) {
                arg = i;
            }
        }
        return arg;
    }
}
