package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlops promote}: exit 0 promoted, 4 refused, 2 bad input; table and JSON with every check. */
class PromoteTest {
    private static final String POLICY = """
            { "schemaVersion": 1, "kind": "promotion-policy", "name": "credit-production",
              "thresholds": [ { "metric": "roc_auc", "min": 0.7 } ],
              "relative": [ { "metric": "roc_auc", "greaterIsBetter": true, "minAbsoluteChange": 0.02 } ],
              "latency": { "maxP99Millis": 20 } }
            """;

    /** {@link #POLICY} as this build writes it: schema_version 2, one list of typed rules. */
    private static final String POLICY_V2 = """
            { "schema_version": 2, "kind": "promotion-policy", "name": "credit-production",
              "rules": [ { "type": "minimum", "metric": "roc_auc", "bound": 0.7 },
                         { "type": "improvement", "metric": "roc_auc", "greater_is_better": true, "min_change": 0.02 },
                         { "type": "latency_p99", "max_millis": 20 } ] }
            """;

    /** Applicants with a sensitive column, the label and the candidate's predicted label. */
    private static final String EVAL_CSV;

    static {
        StringBuilder sb = new StringBuilder("age,sex,class,predicted\n");
        for (int i = 0; i < 40; i++) {
            String sex = i % 2 == 0 ? "female" : "male";
            String label = i % 4 == 3 ? "bad" : "good";
            String predicted = i % 8 == 7 ? "good" : label; // wrong on 5 of the 40 rows
            sb.append(20 + i).append(',').append(sex).append(',').append(label).append(',').append(predicted).append('\n');
        }
        EVAL_CSV = sb.toString();
    }

    /** Schema 1, written with camelCase names before every format was snake_case: still read. */
    private static final String DATA_POLICY = """
            { "schemaVersion": 1, "kind": "promotion-policy", "name": "credit-data",
              "thresholds": [ { "metric": "accuracy", "min": 0.8 } ],
              "dataValidation": { "schemaVersion": 1, "kind": "validation-suite", "name": "eval",
                "constraints": [ { "type": "completeness", "column": "age", "min": 1.0 },
                                 { "type": "row_count", "min": 10, "max": 100000 } ] },
              "fairness": [ { "column": "sex", "metric": "demographic_parity_difference", "max": 0.3 } ],
              "predictions": { "label": "class", "prediction": "predicted", "positiveClass": "good" } }
            """;

    @TempDir
    Path tmp;

    private CliRunner cli;
    private Path policy;

    @BeforeEach
    void store() throws IOException {
        cli = new CliRunner(tmp.resolve("store"));
        policy = Files.writeString(tmp.resolve("policy.json"), POLICY);
        Path model = Files.writeString(tmp.resolve("model.bin"), "weights");
        cli.ok("register", "credit", "--artifact", model.toString(), "--metric", "roc_auc=0.75",
                "--metric", "latency_p99_ms=12");
        cli.ok("alias", "set", "credit/1", "--alias", "production");
        Files.writeString(model, "weights 2");
        cli.ok("register", "credit", "--artifact", model.toString(), "--metric", "roc_auc=0.78",
                "--metric", "latency_p99_ms=15");
        Files.writeString(model, "weights 3");
        cli.ok("register", "credit", "--artifact", model.toString(), "--metric", "roc_auc=0.76",
                "--metric", "latency_p99_ms=25");
    }

    @Test
    @DisplayName("a passing candidate is promoted: exit 0, a table of every check, the alias moved and audited")
    void promoted() {
        CliRunner.Result r = cli.ok("promote", "credit/2", "--alias", "production", "--policy", policy.toString());
        List<String> lines = r.out().lines().toList();
        // the policy by name; its digest only with --verbose
        assertThat(lines.get(0)).isEqualTo("credit/2 -> credit@production: PROMOTED, 0 of 3 checks failed"
                + " (champion credit/1, policy credit-production)");
        assertThat(lines.get(1)).matches("CHECK +OBSERVED +REQUIRED +VERDICT +DETAIL");
        assertThat(lines.get(2)).matches("min:roc_auc +0\\.78 +>= 0\\.7 +PASS +candidate roc_auc = 0\\.78");
        assertThat(lines.get(3)).startsWith("improvement:roc_auc").contains("0.03", "improvement >= 0.02", "PASS");
        assertThat(lines.get(4)).startsWith("latency:p99").contains("15", "<= 20 ms", "PASS",
                "p99 15 ms (no call count recorded)");
        assertThat(lines.get(5)).isEqualTo("decision recorded as promotion-decision-1 of credit/2");
        assertThat(cli.json("versions", "show", "credit@production").get("version").asInt()).isEqualTo(2);
        assertThat(cli.ok("audit", "--target", "credit@production").out()).contains("alias.promote");
    }

    @Test
    @DisplayName("a refused candidate exits 4, the alias stays, the refusal is in the audit trail")
    void refused() {
        CliRunner.Result r = cli.run("promote", "credit/3", "--alias", "production", "--policy", policy.toString());
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("credit/3 -> credit@production: REFUSED, 2 of 3 checks failed");
        assertThat(r.out().lines()).anySatisfy(l -> assertThat(l).startsWith("improvement:roc_auc").contains("FAIL"))
                .anySatisfy(l -> assertThat(l).startsWith("latency:p99").contains("25", "FAIL"));
        assertThat(cli.json("versions", "show", "credit@production").get("version").asInt()).isEqualTo(1);
        assertThat(cli.ok("audit", "--target", "credit/3").out()).contains("promotion.refused", "version.attach");
    }

    @Test
    @DisplayName("--json prints one document with the decision and every check's name, observed, required, verdict and detail")
    void json() {
        CliRunner.Result r = cli.run("promote", "credit/3", "--alias", "production", "--policy", policy.toString(), "--json");
        assertThat(r.exitCode()).isEqualTo(4);
        JsonNode j = r.json();
        assertThat(j.get("candidate").asText()).isEqualTo("credit/3");
        assertThat(j.get("champion").asText()).isEqualTo("credit/1");
        assertThat(j.get("passed").asBoolean()).isFalse();
        assertThat(j.get("promoted").asBoolean()).isFalse();
        assertThat(j.get("recorded_as").asText()).isEqualTo("promotion-decision-1");
        assertThat(j.get("policy").asText()).startsWith("credit-production@sha256:");
        assertThat(j.get("checks")).hasSize(3);
        JsonNode c = j.get("checks").get(1);
        assertThat(c.get("name").asText()).isEqualTo("improvement:roc_auc");
        assertThat(c.get("observed").asDouble()).isCloseTo(0.01, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(c.get("required").asText()).isEqualTo("improvement >= 0.02");
        assertThat(c.get("verdict").asText()).isEqualTo("FAIL");
        assertThat(c.get("detail").asText()).contains("candidate 0.76, champion 0.75");

        JsonNode ok = cli.json("promote", "credit/2", "--alias", "production", "--policy", policy.toString());
        assertThat(ok.get("promoted").asBoolean()).isTrue();
        assertThat(ok.get("checks").get(0).get("verdict").asText()).isEqualTo("PASS");
    }

    @Test
    @DisplayName("--data: the suite and fairness run on the CSV, and metrics come from its prediction columns")
    void data() throws IOException {
        Path csv = Files.writeString(tmp.resolve("eval.csv"), EVAL_CSV);
        Path p = Files.writeString(tmp.resolve("data-policy.json"), DATA_POLICY);
        JsonNode j = cli.json("promote", "credit/2", "--alias", "staging", "--policy", p.toString(), "--data", csv.toString());
        List<String> names = new ArrayList<>();
        j.get("checks").forEach(c -> names.add(c.get("name").asText()));
        assertThat(names).containsExactly("evaluation:candidate", "min:accuracy", "data:completeness(age)",
                "data:row_count", "fairness:demographic_parity_difference(sex)");
        assertThat(j.get("checks").get(1).get("observed").asDouble()).isEqualTo(35.0 / 40);
        assertThat(j.get("promoted").asBoolean()).isTrue();

        // a damaged copy: an age missing fails completeness, exit 4
        Path damaged = Files.writeString(tmp.resolve("damaged.csv"), EVAL_CSV.replace("\n25,", "\n,"));
        CliRunner.Result r = cli.run("promote", "credit/3", "--alias", "staging", "--policy", p.toString(), "--data",
                damaged.toString());
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.out().lines()).anySatisfy(l -> assertThat(l).startsWith("data:completeness(age)").contains("0.975", "FAIL"));

        // header only: empty data is always refused
        Path empty = Files.writeString(tmp.resolve("empty.csv"), "age,sex,class,predicted\n");
        r = cli.run("promote", "credit/3", "--alias", "staging", "--policy", p.toString(), "--data", empty.toString());
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.out()).contains("the evaluation frame has no rows");
    }

    @Test
    @DisplayName("--dry-run evaluates without recording or moving anything")
    void dryRun() {
        CliRunner.Result r = cli.run("promote", "credit/2", "--alias", "production", "--policy", policy.toString(), "--dry-run");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("credit/2 -> credit@production: would be promoted (dry run)");
        assertThat(cli.json("versions", "show", "credit@production").get("version").asInt()).isEqualTo(1);
        assertThat(cli.ok("audit", "--target", "credit/2").out()).doesNotContain("version.attach");
        assertThat(cli.run("promote", "credit/3", "--alias", "production", "--policy", policy.toString(), "--dry-run")
                .exitCode()).isEqualTo(4);
        String verbose = cli.run("promote", "credit/2", "--alias", "production", "--policy", policy.toString(), "--dry-run",
                "--verbose").out().lines().findFirst().orElseThrow();
        assertThat(verbose).matches(".*\\(champion credit/1, policy credit-production@sha256:[0-9a-f]{64}\\)");
    }

    @Test
    @DisplayName("a schema_version 2 policy and the schemaVersion 1 file of an earlier build decide alike, with one policy id")
    void bothPolicyVersions() throws IOException {
        Path v2 = Files.writeString(tmp.resolve("policy-v2.json"), POLICY_V2);
        for (String candidate : List.of("credit/2", "credit/3")) {
            CliRunner.Result old = cli.run("promote", candidate, "--alias", "production", "--policy", policy.toString(),
                    "--dry-run");
            CliRunner.Result current = cli.run("promote", candidate, "--alias", "production", "--policy", v2.toString(),
                    "--dry-run");
            assertThat(current.exitCode()).isEqualTo(old.exitCode()).isEqualTo(candidate.equals("credit/2") ? 0 : 4);
            assertThat(current.out()).isEqualTo(old.out()).contains("improvement:roc_auc", "latency:p99");
        }
        Path typo = Files.writeString(tmp.resolve("typo-v2.json"), POLICY_V2.replace("\"minimum\"", "\"minimun\""));
        assertBad(cli.run("promote", "credit/2", "--alias", "production", "--policy", typo.toString()),
                "--policy '" + typo + "': promotion policy: rules[0].type: unknown rule type 'minimun'; expected one of [data_validation,"
                        + " fairness_max, fairness_min, improvement, latency_p99, maximum, mcnemar, minimum,"
                        + " non_inferiority, relative_improvement, relative_non_inferiority, significance]");
    }

    @Test
    @DisplayName("bad input exits 2 with one line naming the value")
    void badInput() throws IOException {
        assertBad(cli.run("promote", "credit/2", "--alias", "production", "--policy", tmp.resolve("nope.json").toString()),
                "--policy '" + tmp.resolve("nope.json") + "' does not exist");
        Path typo = Files.writeString(tmp.resolve("typo.json"), POLICY.replace("\"thresholds\"", "\"threshold\""));
        assertBad(cli.run("promote", "credit/2", "--alias", "production", "--policy", typo.toString()),
                "--policy '" + typo + "': promotion policy: threshold: unknown field; expected only [");
        Path mistyped = Files.writeString(tmp.resolve("mistyped.json"), POLICY.replace("0.7", "\"0.7\""));
        assertBad(cli.run("promote", "credit/2", "--alias", "production", "--policy", mistyped.toString()),
                "promotion policy: thresholds[0].min: expected a number, got the string '0.7'");
        Path deep = Files.writeString(tmp.resolve("deep.json"), POLICY.replace("\"latency\"",
                "\"fairness\": " + "[".repeat(100) + "]".repeat(100) + ", \"latency\""));
        assertBad(cli.run("promote", "credit/2", "--alias", "production", "--policy", deep.toString()),
                "promotion policy: fairness[0]");
        // a camelCase name of schema 1 in a schema-2 policy is an unknown field
        Path camel = Files.writeString(tmp.resolve("camel.json"), POLICY_V2.replace("\"rules\"", "\"requireChampion\": true, \"rules\""));
        assertBad(cli.run("promote", "credit/2", "--alias", "production", "--policy", camel.toString()),
                "promotion policy: requireChampion: unknown field; expected only [schema_version, kind, name, require_champion, rules, predictions]");
        assertBad(cli.run("promote", "credit@production", "--alias", "production", "--policy", policy.toString()),
                "names an alias; promote takes a version such as credit/4");
        assertBad(cli.run("promote", "credit/9", "--alias", "production", "--policy", policy.toString()),
                "version credit/9 does not exist");
        assertBad(cli.run("promote", "credit/2", "--alias", "Prod!", "--policy", policy.toString()), "Prod!");
        assertBad(cli.run("promote", "credit/2", "--policy", policy.toString()), "Missing required option: '--alias=ALIAS'");
        assertBad(cli.run("promote", "credit/2", "--alias", "production", "--policy", policy.toString(), "--data",
                Files.writeString(tmp.resolve("ragged.csv"), "a,b\n1\n").toString()), "--data: ragged.csv line 2 has 1");
        assertThat(cli.json("versions", "show", "credit@production").get("version").asInt()).isEqualTo(1);
    }

    @Test
    @DisplayName("a policy with \"thresholds\" twice is refused (exit 2 naming thresholds), never read as its last rules only")
    void repeatedKey() throws IOException {
        // credit/3 has roc_auc 0.76: the first rule refuses it; were the second "thresholds" to
        // win, the dry run would pass it
        String first = "\"thresholds\": [ { \"metric\": \"roc_auc\", \"min\": 0.77 } ]";
        String second = "\"thresholds\": [ { \"metric\": \"roc_auc\", \"min\": 0.5 } ]";
        String head = "{ \"schemaVersion\": 1, \"kind\": \"promotion-policy\", \"name\": \"credit-twice\", ";
        Path twice = Files.writeString(tmp.resolve("twice.json"), head + first + ", " + second + " }");
        assertBad(cli.run("promote", "credit/3", "--alias", "production", "--policy", twice.toString(), "--dry-run"),
                "--policy '" + twice + "': promotion policy: thresholds: the field appears twice");
        // the same key twice deeper in the document: the path names the rule
        Path deeper = Files.writeString(tmp.resolve("deeper.json"), head + first.replace("\"min\"", "\"min\": 0.5, \"min\"") + " }");
        assertBad(cli.run("promote", "credit/3", "--alias", "production", "--policy", deeper.toString(), "--dry-run"),
                "promotion policy: thresholds[0].min: the field appears twice");
        // the same in the current form (schema 2, one list of typed rules)
        String head2 = "{ \"schema_version\": 2, \"kind\": \"promotion-policy\", \"name\": \"credit-twice\", ";
        String rules = "\"rules\": [ { \"type\": \"minimum\", \"metric\": \"roc_auc\", \"bound\": %s } ]";
        Path snake = Files.writeString(tmp.resolve("twice-2.json"), head2 + rules.formatted("0.77") + ", "
                + rules.formatted("0.5") + " }");
        assertBad(cli.run("promote", "credit/3", "--alias", "production", "--policy", snake.toString(), "--dry-run"),
                "--policy '" + snake + "': promotion policy: rules: the field appears twice");
        // without the repetition the policy refuses credit/3, as its first rule says
        Path once = Files.writeString(tmp.resolve("once.json"), head + first + " }");
        assertThat(cli.run("promote", "credit/3", "--alias", "production", "--policy", once.toString(), "--dry-run")
                .exitCode()).isEqualTo(4);
    }

    private static void assertBad(CliRunner.Result r, String message) {
        assertThat(r.exitCode()).as("exit code, stderr %s", r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("mlops: ").contains(message);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.out()).isEmpty();
    }
}
