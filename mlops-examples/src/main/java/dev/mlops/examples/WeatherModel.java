package dev.mlops.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.linear.LinearSGDModel;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

/**
 * The demo's model: tomorrow's maximum temperature in Seattle from today's weather, a Tribuo
 * linear regression trained with SGD and exported to ONNX, so it is served through ONNX Runtime
 * like any model a team already has. Features are named so that Tribuo's order (alphabetical)
 * is the order {@link #features} writes them in.
 */
final class WeatherModel {
    /** Input features, in the model's (alphabetical) order. */
    static final List<String> FEATURES = List.of("a_temp_max", "b_temp_min", "c_precipitation", "d_wind",
            "e_season_cos", "f_season_sin");

    private WeatherModel() {
    }

    /** One day's features for predicting the next day's maximum temperature. */
    static float[] features(Demo.Day d) {
        double angle = 2 * Math.PI * (d.dayOfYear() - 1) / 365.25;
        return new float[] {(float) d.tempMax(), (float) d.tempMin(), (float) d.precipitation(), (float) d.wind(),
            (float) Math.cos(angle), (float) Math.sin(angle)};
    }

    /**
     * @param onnx an exported model
     * @param days consecutive days
     * @return mean absolute error of predicting each next day's maximum temperature
     */
    static double meanAbsoluteError(byte[] onnx, List<Demo.Day> days) {
        ai.onnxruntime.OrtEnvironment env = ai.onnxruntime.OrtEnvironment.getEnvironment(); // process-wide: not closed
        try (ai.onnxruntime.OrtSession session = env.createSession(onnx)) {
            double sum = 0;
            for (int i = 0; i + 1 < days.size(); i++) {
                float[][] x = {features(days.get(i))};
                try (ai.onnxruntime.OnnxTensor t = ai.onnxruntime.OnnxTensor.createTensor(env, x);
                     ai.onnxruntime.OrtSession.Result r = session.run(java.util.Map.of("input", t))) {
                    sum += Math.abs(((float[][]) r.get(0).getValue())[0][0] - days.get(i + 1).tempMax());
                }
            }
            return sum / (days.size() - 1);
        } catch (ai.onnxruntime.OrtException e) {
            throw new IllegalStateException("cannot evaluate the ONNX model: " + e.getMessage(), e);
        }
    }

    /**
     * Trains on consecutive day pairs and exports the model as ONNX bytes.
     *
     * @param days training days in date order
     * @param seed training seed
     * @param shuffleLabels train on shuffled targets (the demo's deliberately bad candidate)
     * @return the ONNX model
     */
    static byte[] trainOnnx(List<Demo.Day> days, long seed, boolean shuffleLabels) throws IOException {
        return trainOnnx(days, seed, shuffleLabels, null);
    }

    /** Training epochs of the demo's model. */
    static final int EPOCHS = 20;

    /**
     * As {@link #trainOnnx(List, long, boolean)}, reporting the training curve: the mean absolute
     * error on the training days after each epoch. Tribuo's SGD trainer has no per-epoch callback,
     * so the model after epoch k is trained afresh with k epochs and the same seed (a fresh trainer
     * draws the same shuffles, so it is the model a 20-epoch run holds after epoch k); the last one
     * is the model exported. The data is small: 20 trainings take milliseconds.
     *
     * @param days training days in date order
     * @param seed training seed
     * @param shuffleLabels train on shuffled targets
     * @param curve told {@code (epoch, training MAE)} after each epoch; null to train once
     * @return the ONNX model
     */
    static byte[] trainOnnx(List<Demo.Day> days, long seed, boolean shuffleLabels,
                            java.util.function.ObjDoubleConsumer<Integer> curve) throws IOException {
        RegressionFactory factory = new RegressionFactory();
        MutableDataset<Regressor> data = new MutableDataset<>(
                new SimpleDataSourceProvenance("seattle-weather", OffsetDateTime.parse("2026-01-01T00:00:00Z"), factory),
                factory);
        double[] targets = new double[days.size() - 1];
        for (int i = 0; i + 1 < days.size(); i++) {
            targets[i] = days.get(i + 1).tempMax();
        }
        if (shuffleLabels) {
            java.util.Random r = new java.util.Random(seed);
            for (int i = targets.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                double t = targets[i];
                targets[i] = targets[j];
                targets[j] = t;
            }
        }
        for (int i = 0; i + 1 < days.size(); i++) {
            float[] f = features(days.get(i));
            double[] values = new double[f.length];
            for (int k = 0; k < f.length; k++) {
                values[k] = f[k];
            }
            data.add(new ArrayExample<>(new Regressor("temp_max_tomorrow", targets[i]),
                    FEATURES.toArray(new String[0]), values));
        }
        Model<Regressor> model = null;
        for (int epochs = curve == null ? EPOCHS : 1; epochs <= EPOCHS; epochs++) {
            model = new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(0.1, 0.1), epochs, seed).train(data);
            if (curve != null) {
                double sum = 0;
                for (var example : data) {
                    sum += Math.abs(model.predict(example).getOutput().getValues()[0] - example.getOutput().getValues()[0]);
                }
                curve.accept(epochs, sum / data.size());
            }
        }
        Path tmp = Files.createTempFile("weather-model", ".onnx");
        try {
            ((LinearSGDModel) model).saveONNXModel("dev.mlops.examples", 1, tmp);
            return Files.readAllBytes(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
