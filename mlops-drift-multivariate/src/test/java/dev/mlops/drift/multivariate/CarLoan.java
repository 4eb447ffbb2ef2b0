package dev.mlops.drift.multivariate;

import dev.mlops.api.Frame;
import dev.mlops.quality.Frames;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** NannyML's synthetic car-loan data (test resources, with its licence), read once per test JVM. */
final class CarLoan {
    /** The features of NannyML's multivariate drift tutorials. */
    static final List<String> FEATURES = List.of("car_value", "salary_range", "debt_to_income_ratio", "loan_length",
            "repaid_loan_on_prev_car", "size_of_downpayment", "driver_tenure");

    private static Frame reference;
    private static Frame analysis;

    private CarLoan() {
    }

    static synchronized Frame reference() {
        if (reference == null) {
            reference = read("synthetic_car_loan_reference.csv");
        }
        return reference;
    }

    static synchronized Frame analysis() {
        if (analysis == null) {
            analysis = read("synthetic_car_loan_analysis.csv");
        }
        return analysis;
    }

    private static Frame read(String name) {
        try {
            return Frames.readCsv(Path.of(CarLoan.class.getResource("/nannyml/" + name).toURI())).select(FEATURES);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
