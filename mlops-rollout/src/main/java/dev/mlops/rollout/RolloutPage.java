package dev.mlops.rollout;

import dev.mlops.api.Html;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One self-contained HTML page of a rollout ({@link RolloutReport}): its state and the decision
 * with every guardrail's evidence, the steps, the fleet's statistics, and each guardrail over
 * time, one chart per guardrail of the difference (candidate − control) with its always-valid
 * confidence interval at every recorded look, beside a table of the looks with the sequential
 * statistic (log of the mSPRT ratio) against its threshold.
 *
 * <p>No script, no external resource (a Content-Security-Policy forbids loading anything); every
 * stored text (names, the reason of an abort) is {@link Html#escape escaped}, so hostile text is
 * shown, never run.
 */
public final class RolloutPage {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 220;
    private static final int PAD = 40;
    private static final String CSS = """
            body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1a1a1a;max-width:72rem}
            h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}
            table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:right}
            th:first-child,td:first-child{text-align:left}dl.facts div{display:flex;gap:1rem}dt{font-weight:600;min-width:14rem}
            .worse{color:#b00020;font-weight:600}.not_worse{color:#1b5e20;font-weight:600}
            .band{fill:#90caf9;fill-opacity:.5;stroke:none}.estimate{fill:none;stroke:#0d47a1;stroke-width:2}
            .zero{stroke:#555;stroke-width:1}.margin{stroke:#b00020;stroke-dasharray:4 3}
            .decision{fill:#b00020}.axis{font-size:11px;fill:#555}
            """;

    private RolloutPage() {
    }

    /**
     * @param report the rollout as stored
     * @return the page
     */
    public static String render(RolloutReport report) {
        Objects.requireNonNull(report, "report");
        RolloutState s = report.state();
        StringBuilder sb = new StringBuilder(16_384);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                        + "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\"/>\n")
                .append("<meta name=\"generator\" content=\"mlops-java RolloutPage\"/>\n<title>Rollout ");
        Html.appendEscaped(sb, s.name() + ": " + lower(s.status()));
        sb.append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main id=\"top\">\n<h1>Rollout ");
        Html.appendEscaped(sb, s.name());
        sb.append("</h1>\n");
        summary(sb, report);
        decision(sb, s, report);
        steps(sb, report);
        overTime(sb, report);
        sb.append("</main>\n</body>\n</html>\n");
        return sb.toString();
    }

    private static void summary(StringBuilder sb, RolloutReport r) {
        RolloutState s = r.state();
        sb.append("<section id=\"summary\"><h2>Overview</h2>\n<dl class=\"facts\">\n");
        fact(sb, "Status", lower(s.status()) + (s.status() == RolloutState.Status.PROMOTED && !s.aliasMoved()
                ? " (the alias move is pending)" : ""));
        fact(sb, "Reason", s.reason());
        fact(sb, "Candidate", s.candidate().toString());
        fact(sb, "Control", s.control() + " (" + s.control().model() + "@" + s.alias() + " when the rollout started)");
        fact(sb, "Candidate share now", percent(r.candidateShare()));
        fact(sb, "Step", (s.step() + 1) + " of " + r.policy().steps().size() + ", since " + s.stepStartedAt());
        fact(sb, "Started", s.startedAt().toString());
        s.decidedAt().ifPresent(t -> fact(sb, "Decided", t.toString()));
        fact(sb, "Level \u03b1 (whole rollout, split over guardrails)", number(r.policy().alpha()));
        fact(sb, "Instances publishing", Integer.toString(r.instances()));
        fact(sb, "Control", arm(r.control()));
        fact(sb, "Candidate", arm(r.candidate()));
        sb.append("</dl>\n</section>\n");
    }

    /** An arm's counts; predictions and estimated losses only when some were counted. */
    static String arm(ArmStats a) {
        StringBuilder t = new StringBuilder().append(a.requests()).append(" requests, ").append(a.errors()).append(" errors");
        if (a.predictions() > 0 || a.invalidPredictions() > 0) {
            t.append(", ").append(a.predictions()).append(" predictions compared, ").append(a.invalidPredictions())
                    .append(" not finite (skipped)");
        }
        if (a.estimates() > 0) {
            t.append(", mean estimated loss ").append(number(a.estimateSum() / a.estimates())).append(" over ")
                    .append(a.estimates());
        }
        return t.toString();
    }

    private static void decision(StringBuilder sb, RolloutState s, RolloutReport r) {
        List<GuardrailResult> evidence = s.evidence();
        String title = "Evidence of the decision";
        if (evidence.isEmpty() && !r.looks().isEmpty()) {
            evidence = r.looks().get(r.looks().size() - 1).results();
            title = "Evidence at the latest recorded look";
        }
        sb.append("<section id=\"decision\"><h2>");
        Html.appendEscaped(sb, title);
        sb.append("</h2>\n");
        if (evidence.isEmpty()) {
            sb.append("<p>No look has been recorded yet.</p>\n</section>\n");
            return;
        }
        sb.append("<table><thead><tr><th>Guardrail</th><th>Control</th><th>Candidate</th><th>Difference</th>"
                + "<th>Confidence interval</th><th>log ratio worse</th><th>log ratio not worse</th><th>Threshold</th>"
                + "<th>Verdict</th></tr></thead>\n<tbody>\n");
        for (GuardrailResult g : evidence) {
            sb.append("<tr><td>");
            Html.appendEscaped(sb, g.guardrail().jsonName());
            sb.append("</td><td>").append(number(g.control())).append(" (n=").append(g.controlCount()).append(")</td><td>")
                    .append(number(g.candidate())).append(" (n=").append(g.candidateCount()).append(")</td><td>")
                    .append(number(g.difference())).append("</td><td>[").append(number(g.lower())).append(", ")
                    .append(number(g.upper())).append("]</td><td>").append(number(g.logRatioWorse())).append("</td><td>")
                    .append(number(g.logRatioNotWorse())).append("</td><td>").append(number(g.logThreshold()))
                    .append("</td><td class=\"").append(lower(g.verdict())).append("\">").append(lower(g.verdict()))
                    .append("</td></tr>\n");
        }
        sb.append("</tbody></table>\n</section>\n");
    }

    private static void steps(StringBuilder sb, RolloutReport r) {
        RolloutState s = r.state();
        sb.append("<section id=\"steps\"><h2>Steps</h2>\n<table><thead><tr><th>Step</th><th>Candidate share</th>"
                + "<th>Minimum candidate requests</th><th>Minimum duration</th><th>State</th></tr></thead>\n<tbody>\n");
        List<RolloutPolicy.Step> steps = r.policy().steps();
        for (int i = 0; i < steps.size(); i++) {
            RolloutPolicy.Step st = steps.get(i);
            String state = i < s.step() ? "passed" : i > s.step() ? "not reached"
                    : s.status() == RolloutState.Status.RUNNING ? "current"
                    : s.status() == RolloutState.Status.PROMOTED || s.status() == RolloutState.Status.PROMOTION_REFUSED
                    ? "passed" : "stopped here (" + lower(s.status()) + ")";
            sb.append("<tr><td>").append(i + 1).append("</td><td>").append(percent(st.share())).append("</td><td>")
                    .append(st.minCandidateRequests()).append("</td><td>").append(st.minDuration()).append("</td><td>")
                    .append(state).append("</td></tr>\n");
        }
        sb.append("</tbody></table>\n<p>Guardrails: ");
        List<String> g = new ArrayList<>();
        for (GuardrailSpec spec : r.policy().guardrails()) {
            g.add(spec.guardrail().jsonName() + (spec.guardrail().twoSided()
                    ? " (two-sided, equivalence margin \u00b1" + number(spec.margin()) + ")"
                    : " (margin " + number(spec.margin()) + ")"));
        }
        Html.appendEscaped(sb, String.join(", ", g));
        sb.append(".</p>\n</section>\n");
    }

    private static void overTime(StringBuilder sb, RolloutReport r) {
        sb.append("<section id=\"over-time\"><h2>Guardrails over time</h2>\n");
        if (r.looks().isEmpty()) {
            sb.append("<p>No look has been recorded yet.</p>\n</section>\n");
            return;
        }
        sb.append("<p>At each recorded look: the difference candidate \u2212 control (line) and its always-valid ")
                .append("confidence interval (band), the rollback line 0 and the margin (dashed; \u00b1 the margin for a two-sided guardrail); decisions marked. ")
                .append(r.looks().size()).append(" looks from ").append(r.looks().get(0).at()).append(" to ")
                .append(r.looks().get(r.looks().size() - 1).at()).append(".</p>\n");
        int index = 0;
        for (GuardrailSpec spec : r.policy().guardrails()) {
            index++;
            sb.append("<section id=\"guardrail-").append(index).append("\"><h3>");
            Html.appendEscaped(sb, spec.guardrail().jsonName());
            if (spec.guardrail().twoSided()) {
                sb.append(" (two-sided: a difference either way rolls back; promoted within \u00b1")
                        .append(number(spec.margin())).append(')');
            }
            sb.append("</h3>\n");
            chart(sb, r.looks(), spec);
            table(sb, r.looks(), spec.guardrail());
            sb.append("</section>\n");
        }
        sb.append("</section>\n");
    }

    private static GuardrailResult result(RolloutLook l, Guardrail g) {
        for (GuardrailResult x : l.results()) {
            if (x.guardrail() == g) {
                return x;
            }
        }
        return null;
    }

    private static void chart(StringBuilder sb, List<RolloutLook> looks, GuardrailSpec spec) {
        double lo = Math.min(0, -spec.margin());
        double hi = spec.margin();
        int points = 0;
        for (RolloutLook l : looks) {
            GuardrailResult g = result(l, spec.guardrail());
            if (g != null && Double.isFinite(g.lower()) && Double.isFinite(g.upper())) {
                lo = Math.min(lo, g.lower());
                hi = Math.max(hi, g.upper());
                points++;
            }
        }
        if (hi <= lo) {
            hi = lo + 1e-9;
        }
        double pad = (hi - lo) * 0.05;
        double ylo = lo - pad;
        double yhi = hi + pad;
        int n = looks.size();
        sb.append("<svg class=\"chart\" role=\"img\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\"><title>");
        Html.appendEscaped(sb, spec.guardrail().jsonName() + ": difference and confidence interval at " + points
                + " looks");
        sb.append("</title>\n");
        StringBuilder upper = new StringBuilder();
        StringBuilder lower = new StringBuilder();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < n; i++) {
            GuardrailResult g = result(looks.get(i), spec.guardrail());
            if (g == null || !Double.isFinite(g.lower()) || !Double.isFinite(g.upper())) {
                continue;
            }
            String x = coord(x(i, n));
            upper.append(x).append(',').append(coord(y(g.upper(), ylo, yhi))).append(' ');
            lower.insert(0, x + "," + coord(y(g.lower(), ylo, yhi)) + " ");
            line.append(x).append(',').append(coord(y(g.difference(), ylo, yhi))).append(' ');
        }
        if (points > 0) {
            sb.append("<polygon class=\"band\" points=\"").append(upper).append(lower.toString().strip()).append("\"/>\n");
        }
        sb.append("<line class=\"zero\" x1=\"").append(PAD).append("\" x2=\"").append(WIDTH - PAD / 2).append("\" y1=\"")
                .append(coord(y(0, ylo, yhi))).append("\" y2=\"").append(coord(y(0, ylo, yhi))).append("\"/>\n");
        if (spec.margin() > 0) {
            marginLine(sb, spec.margin(), ylo, yhi);
            if (spec.guardrail().twoSided()) {
                marginLine(sb, -spec.margin(), ylo, yhi);
            }
        }
        if (points > 1) {
            sb.append("<polyline class=\"estimate\" points=\"").append(line.toString().strip()).append("\"/>\n");
        }
        for (int i = 0; i < n; i++) {
            RolloutLook l = looks.get(i);
            GuardrailResult g = result(l, spec.guardrail());
            if (l.action() != RolloutPolicy.Action.HOLD && g != null && Double.isFinite(g.difference())) {
                sb.append("<circle class=\"decision\" r=\"4\" cx=\"").append(coord(x(i, n))).append("\" cy=\"")
                        .append(coord(y(g.difference(), ylo, yhi))).append("\"><title>").append(lower(l.action()))
                        .append(" at ").append(l.at()).append("</title></circle>\n");
            }
        }
        sb.append("<text class=\"axis\" x=\"2\" y=\"12\">").append(number(yhi)).append("</text>")
                .append("<text class=\"axis\" x=\"2\" y=\"").append(HEIGHT - 4).append("\">").append(number(ylo))
                .append("</text>\n</svg>\n");
    }

    private static void marginLine(StringBuilder sb, double margin, double ylo, double yhi) {
        sb.append("<line class=\"margin\" x1=\"").append(PAD).append("\" x2=\"").append(WIDTH - PAD / 2)
                .append("\" y1=\"").append(coord(y(margin, ylo, yhi))).append("\" y2=\"")
                .append(coord(y(margin, ylo, yhi))).append("\"/>\n");
    }

    private static double x(int i, int n) {
        return n <= 1 ? PAD : PAD + (WIDTH - 1.5 * PAD) * i / (n - 1.0);
    }

    private static double y(double v, double lo, double hi) {
        return 10 + (HEIGHT - 20) * (hi - v) / (hi - lo);
    }

    private static String coord(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static void table(StringBuilder sb, List<RolloutLook> looks, Guardrail guardrail) {
        sb.append("<table><thead><tr><th>Look at</th><th>Step</th><th>Share</th><th>Control n</th>"
                + "<th>Candidate n</th><th>Difference</th><th>Confidence interval</th><th>log ratio worse</th>"
                + "<th>log ratio not worse</th><th>Threshold</th><th>Verdict</th><th>Action</th></tr></thead>\n<tbody>\n");
        for (RolloutLook l : looks) {
            GuardrailResult g = result(l, guardrail);
            sb.append("<tr><td>").append(l.at()).append("</td><td>").append(l.step() + 1).append("</td><td>")
                    .append(percent(l.share())).append("</td>");
            if (g == null) {
                sb.append("<td>\u2014</td><td>\u2014</td><td>\u2014</td><td>\u2014</td><td>\u2014</td><td>\u2014</td>"
                        + "<td>\u2014</td><td>\u2014</td>");
            } else {
                sb.append("<td>").append(g.controlCount()).append("</td><td>").append(g.candidateCount())
                        .append("</td><td>").append(number(g.difference())).append("</td><td>[")
                        .append(number(g.lower())).append(", ").append(number(g.upper())).append("]</td><td>")
                        .append(number(g.logRatioWorse())).append("</td><td>").append(number(g.logRatioNotWorse()))
                        .append("</td><td>").append(number(g.logThreshold())).append("</td><td class=\"")
                        .append(lower(g.verdict())).append("\">").append(lower(g.verdict())).append("</td>");
            }
            sb.append("<td>").append(lower(l.action())).append("</td></tr>\n");
        }
        sb.append("</tbody></table>\n");
    }

    private static void fact(StringBuilder sb, String name, String value) {
        sb.append("<div><dt>");
        Html.appendEscaped(sb, name);
        sb.append("</dt><dd>");
        Html.appendEscaped(sb, value);
        sb.append("</dd></div>\n");
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static String percent(double share) {
        return number(share * 100) + "%";
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "\u2014";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "\u221e" : "\u2212\u221e";
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
        if (s.contains("e")) {
            return s;
        }
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
