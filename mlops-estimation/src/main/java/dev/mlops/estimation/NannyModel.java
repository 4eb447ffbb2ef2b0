package dev.mlops.estimation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.xgboost.XGBoostRegressionTrainer;

/**
 * One nanny model: gradient-boosted regression trees (Tribuo's XGBoost trainer) that predict a row's
 * loss from the monitored model's features and prediction. The settings copy LightGBM's
 * {@code LGBMRegressor()} defaults, which NannyML uses: 100 rounds, learning rate 0.1, trees grown
 * leaf by leaf to at most 31 leaves, at least 20 rows in a leaf, no L2 penalty, 255 histogram bins,
 * no row or column sampling, and the first guess the mean loss. No setting draws at random, so a
 * fit is reproducible; the seed is set all the same.
 */
final class NannyModel {
    static final int ROUNDS = 100;
    private static final String OUTPUT = "loss";

    private final Model<Regressor> model;

    private NannyModel(Model<Regressor> model) {
        this.model = model;
    }

    static Map<String, Object> parameters(double meanLoss, long seed, int threads) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("objective", "reg:squarederror");
        p.put("booster", "gbtree");
        p.put("tree_method", "hist");
        p.put("grow_policy", "lossguide");   // LightGBM grows leaf-wise
        p.put("max_leaves", 31);             // num_leaves=31
        p.put("max_depth", 0);               // max_depth=-1: no limit
        p.put("eta", 0.1);                   // learning_rate=0.1
        p.put("min_child_weight", 20.0);     // min_child_samples=20 (each row's hessian is 1 for squared error)
        p.put("lambda", 0.0);                // reg_lambda=0
        p.put("alpha", 0.0);                 // reg_alpha=0
        p.put("gamma", 0.0);                 // min_split_gain=0
        p.put("max_bin", 255);               // max_bin=255
        p.put("subsample", 1.0);             // subsample=1
        p.put("colsample_bytree", 1.0);      // colsample_bytree=1
        p.put("base_score", meanLoss);       // boost_from_average
        p.put("seed", seed);
        p.put("nthread", threads);
        p.put("verbosity", 0);
        return p;
    }

    /**
     * @param rows the reference rows' nanny features
     * @param loss the loss of each row, the target
     */
    static NannyModel fit(NannyFeatures.Encoded rows, double[] loss, long seed, int threads) {
        RegressionFactory factory = new RegressionFactory();
        MutableDataset<Regressor> data = new MutableDataset<>(
                new SimpleDataSourceProvenance("DLE reference rows", factory), factory);
        double sum = 0;
        for (int i = 0; i < rows.size(); i++) {
            data.add(new ArrayExample<>(new Regressor(OUTPUT, loss[i]), rows.names()[i], rows.values()[i]));
            sum += loss[i];
        }
        XGBoostRegressionTrainer trainer = new XGBoostRegressionTrainer(
                XGBoostRegressionTrainer.RegressionType.LINEAR, ROUNDS, parameters(sum / rows.size(), seed, threads));
        return new NannyModel(trainer.train(data));
    }

    /** @return the rows as examples to predict (built once, for every nanny model) */
    static List<Example<Regressor>> examples(NannyFeatures.Encoded rows) {
        List<Example<Regressor>> examples = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            examples.add(new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR, rows.names()[i], rows.values()[i]));
        }
        return examples;
    }

    /** @return the predicted loss of each row (not clipped) */
    double[] predict(List<Example<Regressor>> examples) {
        List<Prediction<Regressor>> predictions;
        // one prediction at a time per booster: the native library's thread safety differs between versions
        synchronized (this) {
            predictions = model.predict(examples);
        }
        double[] out = new double[predictions.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = predictions.get(i).getOutput().getValues()[0];
        }
        return out;
    }
}
