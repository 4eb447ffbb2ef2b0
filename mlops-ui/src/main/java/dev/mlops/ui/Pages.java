package dev.mlops.ui;

import dev.mlops.api.AliasMove;
import dev.mlops.api.AuditEntry;
import dev.mlops.api.AuditVerification;
import dev.mlops.api.DatasetRef;
import dev.mlops.api.tracking.Experiment;
import dev.mlops.api.Lineage;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.Page;
import dev.mlops.api.PageRequest;
import dev.mlops.api.RegisteredModel;
import dev.mlops.api.VersionQuery;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.api.gate.CheckResult;
import dev.mlops.api.gate.PromotionDecision;
import dev.mlops.api.tracking.MetricPoint;
import dev.mlops.api.tracking.Run;
import dev.mlops.api.tracking.RunQuery;
import dev.mlops.cards.ModelCard;
import dev.mlops.core.Mlops;
import dev.mlops.drift.DriftReportHtml;
import dev.mlops.drift.FleetDrift;
import dev.mlops.drift.ReferenceProfile;
import dev.mlops.api.ValidationException;
import dev.mlops.api.store.Store;
import dev.mlops.gates.PromotionGate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The UI's pages, each read through the public API of {@link Mlops} only, and each bounded: a
 * list is one page of the store's paging (a model with 10,000 versions is shown 50 at a time),
 * a metric curve is drawn from at most {@link Downsample#MAX_POINTS} points.
 */
final class Pages {
    /** Page sizes: the default and the most a {@code size} parameter may ask for. */
    static final int PAGE = 50;
    static final int MAX_PAGE = 500;
    /** Runs one comparison may hold. */
    static final int MAX_COMPARED = 20;
    /** Metric charts drawn on a run or comparison page; the rest are listed in the table. */
    static final int MAX_CHARTS = 12;
    /** Audit entries per page. */
    static final int AUDIT_PAGE = 100;
    /** Alias moves listed per alias, newest first. */
    static final int MOVES_SHOWN = 100;
    /** A card's and a drift report's own policy: their pages carry their stylesheet inline and no script. */
    static final String REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none';"
            + " frame-ancestors 'none'";

    private final Mlops mlops;
    private final Optional<Store> store;
    private final String base;

    Pages(Mlops mlops, Optional<Store> store, String base) {
        this.mlops = mlops;
        this.store = store;
        this.base = base;
    }

    /** A rendered page: HTML with the UI's policy, or a report with its own ({@link #REPORT_CSP}). */
    record Body(String html, boolean ownPolicy) {
    }

    private Markup page(String title) {
        return new Markup(base).open(title);
    }

    private static PageRequest pageRequest(Query q, String param, int size) {
        return q.first(param).map(t -> PageRequest.after(t, size)).orElse(PageRequest.first(size));
    }

    // ---------------------------------------------------------------- models

    Body models(Query q) {
        int size = q.size("size", PAGE, MAX_PAGE);
        Page<RegisteredModel> models = mlops.models().listModels(pageRequest(q, "page", size));
        Markup m = page("Models");
        if (models.items().isEmpty()) {
            m.empty("The store has no models.");
        } else {
            m.raw("<table class=\"list\" id=\"models\">").th("model", "versions", "aliases", "updated", "description")
                    .raw("<tbody>\n");
            for (RegisteredModel rm : models.items()) {
                m.raw("<tr><td>").link("/models/" + rm.name(), rm.name()).raw("</td>").td(Integer.toString(rm.latestVersion()))
                        .td(aliases(rm.aliases())).td(Markup.time(rm.updatedAt())).td(rm.description()).raw("</tr>\n");
            }
            m.raw("</tbody></table>\n");
        }
        m.pager("/", "page", models.nextPageToken(), q.first("page").isPresent());
        return new Body(m.close(), false);
    }

    private static String aliases(Map<String, Integer> aliases) {
        return new TreeMap<>(aliases).entrySet().stream().map(e -> e.getKey() + " → " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    Body model(String name, Query q) {
        RegisteredModel rm = mlops.models().model(name);
        int size = q.size("size", PAGE, MAX_PAGE);
        Markup m = page("Model " + name);
        m.raw("<p class=\"meta\">").text(rm.description().isEmpty() ? "No description." : rm.description())
                .raw("</p>\n<p class=\"links\">").link("/models/" + name + "/lineage", "lineage graph").raw("</p>\n");
        m.keyValues("tags", rm.tags());
        m.raw("<h2 id=\"aliases\">Aliases</h2>\n");
        m.keyValues("aliases", rm.aliases());
        aliasTimeline(m, name, rm);
        m.raw("<h2 id=\"versions\">Versions</h2>\n");
        Page<ModelVersion> versions = mlops.models().listVersions(name, VersionQuery.builder().includeArchived(true)
                .page(pageRequest(q, "page", size)).build());
        if (versions.items().isEmpty()) {
            m.empty("No versions.");
        } else {
            Set<String> metricKeys = new TreeSet<>();
            versions.items().forEach(v -> metricKeys.addAll(v.metrics().keySet()));
            List<String> shownMetrics = metricKeys.stream().limit(6).toList();
            List<String> heads = new ArrayList<>(List.of("version", "status", "created", "aliases", "run"));
            heads.addAll(shownMetrics);
            heads.add("description");
            m.raw("<table class=\"list\" id=\"version-table\">").th(heads.toArray(String[]::new)).raw("<tbody>\n");
            for (ModelVersion v : versions.items()) {
                m.raw("<tr><td>").link(versionPath(v.ref()), v.ref().toString()).raw("</td>")
                        .td(v.status().toString().toLowerCase(java.util.Locale.ROOT)).td(Markup.time(v.createdAt()))
                        .td(String.join(", ", v.aliases())).raw("<td>");
                v.lineage().run().ifPresent(r -> m.link("/runs/" + r, r.substring(0, 8)));
                m.raw("</td>");
                for (String k : shownMetrics) {
                    Double value = v.metrics().get(k);
                    if (value == null) {
                        m.td("");
                    } else {
                        m.tdNum(value);
                    }
                }
                m.td(v.description()).raw("</tr>\n");
            }
            m.raw("</tbody></table>\n");
        }
        m.pager("/models/" + name + (size == PAGE ? "" : "?size=" + size), "page", versions.nextPageToken(),
                q.first("page").isPresent());
        return new Body(m.close(), false);
    }

    /** Each alias as a step line of the version it pointed at over time (0 while removed), and its moves. */
    private void aliasTimeline(Markup m, String name, RegisteredModel rm) {
        Set<String> names = new TreeSet<>(rm.aliases().keySet());
        Map<String, List<AliasMove>> histories = new LinkedHashMap<>();
        for (String alias : names) {
            histories.put(alias, mlops.models().aliasHistory(name, alias));
        }
        List<Charts.Series> series = new ArrayList<>();
        Instant now = mlops.clock().instant();
        histories.forEach((alias, moves) -> {
            if (moves.isEmpty()) {
                return;
            }
            double[] xs = new double[moves.size() + 1];
            double[] ys = new double[moves.size() + 1];
            for (int i = 0; i < moves.size(); i++) {
                xs[i] = moves.get(i).at().toEpochMilli();
                ys[i] = moves.get(i).to().orElse(0);
            }
            // the line runs on to now at the current version
            xs[moves.size()] = Math.max(now.toEpochMilli(), xs[moves.size() - 1]);
            ys[moves.size()] = ys[moves.size() - 1];
            series.add(new Charts.Series(alias, xs, ys, true));
        });
        m.raw("<h2 id=\"timeline\">Alias timeline</h2>\n");
        if (series.isEmpty()) {
            m.empty("No alias has moved.");
            return;
        }
        Charts.lines(m, "version each alias pointed at over time (0: removed)", series, "time (UTC)", timeAxis(series));
        m.raw("<table class=\"list\" id=\"alias-moves\">").th("alias", "move", "from", "to", "at", "by").raw("<tbody>\n");
        histories.forEach((alias, moves) -> {
            List<AliasMove> newest = new ArrayList<>(moves);
            java.util.Collections.reverse(newest);
            for (AliasMove mv : newest.subList(0, Math.min(MOVES_SHOWN, newest.size()))) {
                m.raw("<tr>").td(alias).td(mv.kind().toString().toLowerCase(java.util.Locale.ROOT))
                        .td(mv.from().map(String::valueOf).orElse("–")).td(mv.to().map(String::valueOf).orElse("–"))
                        .td(Markup.time(mv.at())).td(mv.actor()).raw("</tr>\n");
            }
        });
        m.raw("</tbody></table>\n");
    }

    /** Tick labels of a time axis: dates when the series span two days or more, else times of day. */
    private static java.util.function.DoubleFunction<String> timeAxis(List<Charts.Series> series) {
        double min = series.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.xs())).min().orElse(0);
        double max = series.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.xs())).max().orElse(0);
        boolean days = max - min >= Duration.ofDays(2).toMillis();
        return x -> Markup.time(Instant.ofEpochMilli((long) x)).substring(days ? 0 : 11, days ? 10 : 19);
    }

    private static String versionPath(ModelRef.Version ref) {
        return "/models/" + ref.model() + "/versions/" + ref.number();
    }

    Body version(String name, int number) {
        ModelVersion v = mlops.models().version(name, number);
        Markup m = page("Version " + v.ref());
        m.raw("<p class=\"meta\">").text(v.description().isEmpty() ? "No description." : v.description()).raw("</p>\n")
                .raw("<p class=\"links\">").link(versionPath(v.ref()) + "/card", "model card").raw(" · ")
                .link("/models/" + name + "/lineage", "lineage graph").raw("</p>\n");
        Map<String, String> about = new LinkedHashMap<>();
        about.put("status", v.status().toString().toLowerCase(java.util.Locale.ROOT));
        about.put("format", v.format());
        about.put("created", Markup.time(v.createdAt()));
        about.put("creator", v.creator());
        about.put("aliases", String.join(", ", v.aliases()));
        about.put("artifact sha256", v.artifact().digest());
        m.keyValues("version", about);
        m.keyValues("params", v.params());
        m.keyValues("metrics", v.metrics());
        m.keyValues("tags", v.tags());
        m.raw("<h2 id=\"lineage\">Lineage</h2>\n");
        lineage(m, v.lineage());
        m.raw("<h2 id=\"decisions\">Gate decisions</h2>\n");
        decisions(m, PromotionGate.recordedDecisions(mlops.models(), v.ref()));
        m.raw("<h2 id=\"attachments\">Attachments</h2>\n");
        m.keyValues("attachments (name and sha256)", v.attachments());
        return new Body(m.close(), false);
    }

    private void lineage(Markup m, Lineage l) {
        m.raw("<table class=\"kv\" id=\"lineage-table\">").th("relation", "to").raw("<tbody>\n");
        for (DatasetRef d : l.trainedOn()) {
            m.raw("<tr>").td("trained on").td(d.toString()).raw("</tr>\n");
        }
        for (DatasetRef d : l.validatedOn()) {
            m.raw("<tr>").td("validated on").td(d.toString()).raw("</tr>\n");
        }
        for (DatasetRef d : l.testedOn()) {
            m.raw("<tr>").td("tested on").td(d.toString()).raw("</tr>\n");
        }
        l.retrainedFrom().ifPresent(r -> m.raw("<tr>").td("retrained from").raw("<td>").link(versionPath(r), r.toString())
                .raw("</td></tr>\n"));
        l.run().ifPresent(r -> m.raw("<tr>").td("run").raw("<td>").link("/runs/" + r, r).raw("</td></tr>\n"));
        l.codeRef().ifPresent(c -> m.raw("<tr>").td("code").td(c).raw("</tr>\n"));
        if (l.datasets().isEmpty() && l.retrainedFrom().isEmpty() && l.run().isEmpty() && l.codeRef().isEmpty()) {
            m.raw("<tr>").td("none").td("no lineage recorded").raw("</tr>\n");
        }
        m.raw("</tbody></table>\n");
    }

    private static void decisions(Markup m, Map<String, PromotionDecision> decisions) {
        if (decisions.isEmpty()) {
            m.empty("No gate decision was recorded for this version.");
            return;
        }
        for (Map.Entry<String, PromotionDecision> e : decisions.entrySet()) {
            PromotionDecision d = e.getValue();
            m.raw("<section class=\"decision\"><h3>").text(e.getKey() + ": ").raw(d.passed() ? "<span class=\"pass\">PROMOTED"
                    : "<span class=\"fail\">REFUSED").raw("</span></h3>\n<p class=\"meta\">")
                    .text("policy " + d.policy() + ", alias " + d.alias() + ", champion "
                            + d.champion().map(Object::toString).orElse("none") + ", decided " + Markup.time(d.decidedAt()))
                    .raw("</p>\n<table class=\"list checks\">").th("check", "observed", "required", "verdict", "detail")
                    .raw("<tbody>\n");
            for (CheckResult c : d.checks()) {
                m.raw("<tr>").td(c.name());
                if (c.observed().isPresent()) {
                    m.tdNum(c.observed().getAsDouble());
                } else {
                    m.td("–");
                }
                m.td(c.required()).raw("<td><span class=\"" + (c.passed() ? "pass" : "fail") + "\">")
                        .text(c.verdict().toString()).raw("</span></td>").td(c.detail()).raw("</tr>\n");
            }
            m.raw("</tbody></table></section>\n");
        }
    }

    Body card(String name, int number) {
        return new Body(ModelCard.of(mlops, ModelRef.version(name, number)).toHtml(), true);
    }

    Body lineageGraph(String name, Query q) {
        mlops.models().model(name);
        int size = q.size("size", PAGE, MAX_PAGE);
        Page<ModelVersion> versions = mlops.models().listVersions(name, VersionQuery.builder().includeArchived(true)
                .page(pageRequest(q, "page", size)).build());
        LineageGraph g = new LineageGraph();
        Map<String, Optional<Run>> runs = new LinkedHashMap<>();
        for (ModelVersion v : versions.items()) {
            String vid = "v:" + v.ref();
            Optional<Run> run = v.lineage().run().flatMap(id -> runs.computeIfAbsent(id, k -> mlops.tracking().findRun(k)));
            List<DatasetRef> data = v.lineage().datasets();
            run.ifPresent(r -> {
                for (DatasetRef d : r.inputs()) {
                    g.node("d:" + d, 0, d.toString(), base + "/models/" + name + "/lineage");
                }
            });
            for (DatasetRef d : data) {
                g.node("d:" + d, 0, d.toString(), base + "/models/" + name + "/lineage");
            }
            run.ifPresent(r -> g.node("r:" + r.id(), 1, r.name().isEmpty() ? r.id().substring(0, 12) : r.name(),
                    base + "/runs/" + r.id()));
            g.node(vid, 2, v.ref().toString(), base + versionPath(v.ref()));
        }
        for (ModelVersion v : versions.items()) {
            String vid = "v:" + v.ref();
            Optional<Run> run = v.lineage().run().flatMap(runs::get);
            if (run.isPresent()) {
                for (DatasetRef d : run.get().inputs()) {
                    g.edge("d:" + d, "r:" + run.get().id(), false);
                }
                g.edge("r:" + run.get().id(), vid, false);
            }
            for (DatasetRef d : v.lineage().datasets()) {
                if (run.isEmpty() || !run.get().inputs().contains(d)) {
                    g.edge("d:" + d, vid, false);
                }
            }
            v.lineage().retrainedFrom().ifPresent(from -> g.edge("v:" + from, vid, true));
        }
        Markup m = page("Lineage of " + name);
        m.raw("<p class=\"meta\">").text("Datasets → runs → versions; an arc on the right joins a version to the one it was"
                + " retrained from. " + versions.items().size() + " versions on this page.").raw("</p>\n");
        if (g.nodeCount() == 0) {
            m.empty("No versions.");
        } else {
            g.draw(m, "lineage of " + name);
        }
        m.pager("/models/" + name + "/lineage", "page", versions.nextPageToken(), q.first("page").isPresent());
        return new Body(m.close(), false);
    }

    // ---------------------------------------------------------------- runs

    Body experiments(Query q) {
        Page<Experiment> page = mlops.tracking().listExperiments(pageRequest(q, "page", q.size("size", PAGE, MAX_PAGE)));
        Markup m = page("Experiments");
        if (page.items().isEmpty()) {
            m.empty("The store has no experiments: no run was logged.");
        } else {
            m.raw("<table class=\"list\" id=\"experiments\">").th("experiment", "created", "creator").raw("<tbody>\n");
            for (Experiment e : page.items()) {
                m.raw("<tr><td>").link("/experiments/" + e.name(), e.name()).raw("</td>").td(Markup.time(e.createdAt()))
                        .td(e.creator()).raw("</tr>\n");
            }
            m.raw("</tbody></table>\n");
        }
        m.pager("/experiments", "page", page.nextPageToken(), q.first("page").isPresent());
        return new Body(m.close(), false);
    }

    Body experiment(String name, Query q) {
        if (mlops.tracking().findExperiment(name).isEmpty()) {
            throw new NotFoundException("no experiment " + name);
        }
        int size = q.size("size", PAGE, MAX_PAGE);
        RunQuery.Builder query = RunQuery.builder().experiment(name).page(pageRequest(q, "page", size));
        q.first("filter").ifPresent(query::filter);
        q.first("order").ifPresent(query::orderBy);
        Page<Run> runs = mlops.tracking().searchRuns(query.build());
        Markup m = page("Experiment " + name);
        m.raw("<form class=\"filter\" method=\"get\" action=\"").attr(base + "/experiments/" + name).raw("\">")
                .raw("<label>filter <input type=\"text\" name=\"filter\" size=\"50\" value=\"").attr(q.first("filter").orElse(""))
                .raw("\"/></label> <label>order <input type=\"text\" name=\"order\" size=\"24\" value=\"")
                .attr(q.first("order").orElse("")).raw("\"/></label> <button type=\"submit\">search</button></form>\n");
        if (runs.items().isEmpty()) {
            m.empty("No run matches.");
        } else {
            Set<String> paramKeys = new TreeSet<>();
            Set<String> metricKeys = new TreeSet<>();
            runs.items().forEach(r -> {
                paramKeys.addAll(r.params().keySet());
                metricKeys.addAll(r.metrics().keySet());
            });
            List<String> params = paramKeys.stream().limit(6).toList();
            List<String> metrics = metricKeys.stream().limit(6).toList();
            List<String> heads = new ArrayList<>(List.of("compare", "run", "status", "started", "duration"));
            params.forEach(p -> heads.add("param " + p));
            metrics.forEach(k -> heads.add("metric " + k));
            m.raw("<form method=\"get\" action=\"").attr(base + "/compare").raw("\">\n")
                    .raw("<table class=\"list\" id=\"runs\">").th(heads.toArray(String[]::new)).raw("<tbody>\n");
            for (Run r : runs.items()) {
                m.raw("<tr><td><input type=\"checkbox\" name=\"run\" value=\"").attr(r.id()).raw("\"/></td><td>")
                        .link("/runs/" + r.id(), runLabel(r)).raw("</td>").td(r.status().toString()).td(Markup.time(r.startTime()))
                        .td(duration(r));
                params.forEach(p -> m.td(r.params().getOrDefault(p, "")));
                metrics.forEach(k -> {
                    MetricPoint p = r.metrics().get(k);
                    if (p == null) {
                        m.td("");
                    } else {
                        m.tdNum(p.value());
                    }
                });
                m.raw("</tr>\n");
            }
            m.raw("</tbody></table>\n<p><button type=\"submit\">compare selected runs</button></p>\n</form>\n");
        }
        StringBuilder path = new StringBuilder("/experiments/" + name + "?size=" + size);
        q.first("filter").ifPresent(f -> path.append("&filter=").append(Markup.url(f)));
        q.first("order").ifPresent(o -> path.append("&order=").append(Markup.url(o)));
        m.pager(path.toString(), "page", runs.nextPageToken(), q.first("page").isPresent());
        return new Body(m.close(), false);
    }

    private static String runLabel(Run r) {
        return r.name().isEmpty() ? r.id().substring(0, 12) : r.name();
    }

    private static String duration(Run r) {
        return r.endTime().map(end -> {
            Duration d = Duration.between(r.startTime(), end);
            return d.toMillis() < 10_000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
        }).orElse("running");
    }

    Body run(String id) {
        Run r = mlops.tracking().run(Run.requireValidId(id));
        Markup m = page("Run " + runLabel(r));
        Map<String, String> about = new LinkedHashMap<>();
        about.put("id", r.id());
        about.put("experiment", r.experiment());
        about.put("status", r.status().toString());
        about.put("started", Markup.time(r.startTime()));
        about.put("ended", r.endTime().map(Markup::time).orElse("–"));
        about.put("duration", duration(r));
        about.put("heartbeat", Markup.time(r.heartbeatAt()));
        about.put("creator", r.creator());
        about.put("code", r.codeRef().orElse("–"));
        about.put("java", r.environment().javaVersion());
        m.keyValues("run", about);
        m.raw("<p class=\"links\">").link("/experiments/" + r.experiment(), "all runs of " + r.experiment());
        m.raw("</p>\n");
        m.raw("<h2 id=\"metrics\">Metrics</h2>\n");
        if (r.metrics().isEmpty()) {
            m.empty("No metrics.");
        } else {
            m.raw("<table class=\"list\" id=\"latest-metrics\">").th("metric", "latest", "step", "logged").raw("<tbody>\n");
            new TreeMap<>(r.metrics()).forEach((k, p) -> m.raw("<tr>").td(k).tdNum(p.value()).td(Long.toString(p.step()))
                    .td(Markup.time(p.timestamp())).raw("</tr>\n"));
            m.raw("</tbody></table>\n");
            int charts = 0;
            for (String key : new TreeSet<>(r.metrics().keySet())) {
                if (charts++ == MAX_CHARTS) {
                    m.empty("Charts are drawn for the first " + MAX_CHARTS + " metrics.");
                    break;
                }
                List<MetricPoint> history = mlops.tracking().metricHistory(r.id(), key);
                List<MetricPoint> shown = Downsample.minMaxPerBucket(history, Downsample.MAX_POINTS);
                Charts.lines(m, key + " by step: " + history.size() + " points"
                        + (shown.size() < history.size() ? ", drawn from " + shown.size() + " (min and max per bucket)" : ""),
                        List.of(series("", shown)), "step", x -> Markup.number(Math.rint(x)));
            }
        }
        m.raw("<h2 id=\"params\">Params and tags</h2>\n");
        m.keyValues("params", r.params());
        m.keyValues("tags", r.tags());
        m.raw("<h2 id=\"inputs\">Inputs, models and artifacts</h2>\n");
        m.raw("<table class=\"kv\" id=\"run-links\">").th("kind", "what").raw("<tbody>\n");
        r.inputs().forEach(d -> m.raw("<tr>").td("input dataset").td(d.toString()).raw("</tr>\n"));
        r.models().forEach(v -> m.raw("<tr>").td("model version").raw("<td>").link(versionPath(v), v.toString())
                .raw("</td></tr>\n"));
        new TreeMap<>(r.artifacts()).forEach((name, manifest) -> m.raw("<tr>").td("artifact")
                .td(name + " (" + manifest.entries().size() + " files)").raw("</tr>\n"));
        if (r.inputs().isEmpty() && r.models().isEmpty() && r.artifacts().isEmpty()) {
            m.raw("<tr>").td("none").td("no inputs, models or artifacts").raw("</tr>\n");
        }
        m.raw("</tbody></table>\n");
        return new Body(m.close(), false);
    }

    private static Charts.Series series(String name, List<MetricPoint> points) {
        double[] xs = new double[points.size()];
        double[] ys = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            xs[i] = points.get(i).step();
            ys[i] = points.get(i).value();
        }
        return new Charts.Series(name, xs, ys, false);
    }

    Body compare(Query q) {
        Set<String> ids = new LinkedHashSet<>(q.all("run"));
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("no run to compare: select runs on an experiment's page (parameter run=ID)");
        }
        if (ids.size() > MAX_COMPARED) {
            throw new IllegalArgumentException(ids.size() + " runs to compare: expected at most " + MAX_COMPARED);
        }
        List<Run> runs = new ArrayList<>();
        for (String id : ids) {
            runs.add(mlops.tracking().run(Run.requireValidId(id)));
        }
        Markup m = page("Comparing " + runs.size() + " runs");
        List<String> heads = new ArrayList<>(List.of(""));
        runs.forEach(r -> heads.add(runLabel(r)));
        m.raw("<p class=\"meta\">Rows whose values differ between the runs are marked.</p>\n");
        m.raw("<table class=\"list compare\" id=\"comparison\">").th(heads.toArray(String[]::new)).raw("<tbody>\n");
        m.raw("<tr><th>run</th>");
        runs.forEach(r -> m.raw("<td>").link("/runs/" + r.id(), r.id().substring(0, 12)).raw("</td>"));
        m.raw("</tr>\n");
        compareRow(m, "experiment", runs.stream().map(Run::experiment).toList(), false);
        compareRow(m, "status", runs.stream().map(r -> r.status().toString()).toList(), false);
        compareRow(m, "started", runs.stream().map(r -> Markup.time(r.startTime())).toList(), false);
        compareRow(m, "duration", runs.stream().map(Pages::duration).toList(), false);
        Set<String> params = new TreeSet<>();
        Set<String> metrics = new TreeSet<>();
        Set<String> tags = new TreeSet<>();
        runs.forEach(r -> {
            params.addAll(r.params().keySet());
            metrics.addAll(r.metrics().keySet());
            tags.addAll(r.tags().keySet());
        });
        for (String p : params) {
            compareRow(m, "param " + p, runs.stream().map(r -> r.params().getOrDefault(p, "–")).toList(), false);
        }
        for (String k : metrics) {
            compareRow(m, "metric " + k, runs.stream().map(r -> Optional.ofNullable(r.metrics().get(k))
                    .map(pt -> Markup.number(pt.value())).orElse("–")).toList(), true);
        }
        for (String t : tags) {
            compareRow(m, "tag " + t, runs.stream().map(r -> r.tags().getOrDefault(t, "–")).toList(), false);
        }
        m.raw("</tbody></table>\n");
        m.raw("<h2 id=\"charts\">Metrics by step</h2>\n");
        int charts = 0;
        // the metrics most runs share are charted first: they are what a comparison is for
        List<String> byShare = metrics.stream().sorted(Comparator.comparingLong((String k) -> -runs.stream()
                .filter(r -> r.metrics().containsKey(k)).count()).thenComparing(Comparator.naturalOrder())).toList();
        for (String k : byShare) {
            if (charts++ == MAX_CHARTS) {
                m.empty("Charts are drawn for the first " + MAX_CHARTS + " metrics.");
                break;
            }
            List<Charts.Series> series = new ArrayList<>();
            long points = 0;
            for (Run r : runs) {
                if (r.metrics().containsKey(k)) {
                    List<MetricPoint> history = mlops.tracking().metricHistory(r.id(), k);
                    points += history.size();
                    series.add(series(runLabel(r), Downsample.minMaxPerBucket(history, Downsample.MAX_POINTS / 2)));
                }
            }
            Charts.lines(m, k + " by step, " + series.size() + " runs, " + points + " points (each run drawn from at most "
                    + Downsample.MAX_POINTS / 2 + ", min and max per bucket)", series, "step", x -> Markup.number(Math.rint(x)));
        }
        return new Body(m.close(), false);
    }

    private static void compareRow(Markup m, String label, List<String> values, boolean numeric) {
        boolean differs = new LinkedHashSet<>(values).size() > 1;
        m.raw(differs ? "<tr class=\"differs\">" : "<tr>").raw("<th>").text(label).raw("</th>");
        for (String v : values) {
            m.raw(numeric ? "<td class=\"num\">" : "<td>").text(v).raw("</td>");
        }
        m.raw("</tr>\n");
    }

    // ---------------------------------------------------------------- drift

    private Store fleetStore() {
        return store.orElseThrow(() -> new NotFoundException("the fleet drift pages need the store itself: this UI was"
                + " started without it (MlopsUi.builder(mlops, store), MlopsUi.handler(mlops, store, prefix))"));
    }

    /** The fleets that published drift windows to the store ({@code FleetDrift}), with their profile and windows. */
    Body drift(Query q) {
        Markup m = page("Drift monitors");
        m.raw("<p class=\"meta\">").text("Fleet drift monitors (mlops-drift FleetDrift) publish every closed window of"
                + " every instance to the store; a window's report is the merge of its instances' windows, compared"
                + " with the fleet's reference profile.").raw("</p>\n");
        if (store.isEmpty()) {
            m.empty("This UI was started without its store (MlopsUi.builder(mlops, store)): fleet drift windows cannot be read.");
            return new Body(m.close(), false);
        }
        int size = q.size("size", PAGE, MAX_PAGE);
        Page<String> fleets = FleetDrift.fleets(store.get(), q.first("page"), size);
        if (fleets.items().isEmpty()) {
            m.empty("No fleet drift monitor has published a window to this store.");
        } else {
            m.raw("<table class=\"list\" id=\"fleets\">").th("fleet", "profile", "windows", "first window", "last window",
                    "published since").raw("<tbody>\n");
            for (String name : fleets.items()) {
                m.raw("<tr><td>").link("/drift/fleets/" + name, name).raw("</td>");
                try {
                    Optional<FleetDrift.Stored> fleet = FleetDrift.stored(store.get(), name);
                    List<Long> windows = FleetDrift.windows(store.get(), name);
                    m.td(fleet.map(Pages::profileState).orElse("not stored"))
                            .td(Integer.toString(windows.size()))
                            .td(windows.isEmpty() ? "–" : Long.toString(windows.get(0)))
                            .td(windows.isEmpty() ? "–" : Long.toString(windows.get(windows.size() - 1)))
                            .td(fleet.map(f -> Markup.time(f.createdAt())).orElse("–"));
                } catch (RuntimeException e) { // one damaged fleet document does not hide the others
                    m.raw("<td colspan=\"5\"><span class=\"fail\">damaged</span> ").text(e.getMessage()).raw("</td>");
                }
                m.raw("</tr>\n");
            }
            m.raw("</tbody></table>\n");
        }
        m.pager("/drift", "page", fleets.nextPageToken(), q.first("page").isPresent());
        return new Body(m.close(), false);
    }

    private static String profileState(FleetDrift.Stored f) {
        if (f.profile().isPresent()) {
            return "stored (" + f.profileSha256().substring(0, 12) + ")";
        }
        return f.profileProblem().map(p -> "unusable: " + p).orElse("not stored (" + f.profileSha256().substring(0, 12) + ")");
    }

    /** One window of the fleet page: what the store holds, and its merged report when the profile allows. */
    private record FleetWindow(FleetDrift.StoredWindow stored, Optional<DriftReport> report, Optional<String> problem) {
    }

    Body fleet(String name, Query q) {
        Store s = fleetStore();
        Optional<FleetDrift.Stored> fleet = FleetDrift.stored(s, name);
        List<Long> all = FleetDrift.windows(s, name);
        if (fleet.isEmpty() && all.isEmpty()) {
            throw new NotFoundException("no fleet drift monitor " + name + " in " + mlops.describeStore());
        }
        int size = q.size("size", PAGE, MAX_PAGE);
        long to = q.first("to").map(t -> parseSequence("to", t)).orElse(Long.MAX_VALUE);
        // the newest windows before "to", shown oldest first
        List<Long> before = all.stream().filter(w -> w < to).toList();
        List<Long> shown = before.subList(Math.max(0, before.size() - size), before.size());
        Optional<ReferenceProfile> profile = fleet.flatMap(FleetDrift.Stored::profile);
        Optional<FleetDrift> merger = profile.map(p -> FleetDrift.builder(s, name, p).clock(mlops.clock()).build());
        List<FleetWindow> windows = new ArrayList<>();
        for (long seq : shown) {
            FleetDrift.StoredWindow w = FleetDrift.storedWindow(s, name, seq);
            Optional<DriftReport> report = Optional.empty();
            Optional<String> problem = w.problems().isEmpty() ? Optional.empty() : Optional.of(String.join("; ", w.problems()));
            if (merger.isPresent() && problem.isEmpty() && !w.parts().isEmpty()) {
                try {
                    report = Optional.of(merger.get().merge(seq));
                } catch (ValidationException | NotFoundException e) {
                    problem = Optional.of(e.getMessage());
                }
            }
            windows.add(new FleetWindow(w, report, problem));
        }

        Markup m = page("Fleet drift monitor " + name);
        m.raw("<p class=\"meta\" id=\"profile\">");
        if (profile.isPresent()) {
            m.text("Reference profile " + profile.get().sha256() + " (" + profile.get().rows() + " rows, "
                    + profile.get().columns().size() + " columns), stored with the fleet. Windows are merged over their"
                    + " instances and compared with it under the default policy (MonitorPolicy.defaults()).");
        } else {
            m.raw("<span class=\"fail\">Profile not stored.</span> ").text(fleet.map(f -> f.profileProblem().orElse(
                    "The fleet's publishers did not store its reference profile (" + f.profileSha256() + "; FleetDrift"
                            + " storeProfile(false))."))
                    .orElse("The fleet was published by a library from before fleet documents: neither its profile nor"
                            + " its digest is in the store.")
                    + " Without it no window can be compared: only what each instance observed is shown.");
        }
        m.raw("</p>\n");
        if (windows.isEmpty()) {
            m.empty("No window is stored" + (to == Long.MAX_VALUE ? "." : " before window " + to + "."));
            return new Body(m.close(), false);
        }
        List<FleetWindow> merged = windows.stream().filter(w -> w.report().isPresent()).toList();
        if (!merged.isEmpty()) {
            double[] xs = new double[merged.size()];
            double[] share = new double[merged.size()];
            double[] threshold = new double[merged.size()];
            for (int i = 0; i < merged.size(); i++) {
                DriftReport d = merged.get(i).report().orElseThrow();
                xs[i] = windowEnd(merged.get(i)).toEpochMilli();
                share[i] = d.driftShare();
                threshold[i] = d.driftShareThreshold();
            }
            List<Charts.Series> lines = List.of(new Charts.Series("drift share", xs, share, false),
                    new Charts.Series("threshold", xs, threshold, false));
            Charts.lines(m, "share of drifted columns by window, " + merged.size() + " windows", lines, "window end (UTC)",
                    timeAxis(lines));
        }
        List<FleetWindow> counted = windows.stream().filter(w -> !w.stored().parts().isEmpty()).toList();
        if (!counted.isEmpty()) {
            double[] xs = new double[counted.size()];
            double[] rows = new double[counted.size()];
            for (int i = 0; i < counted.size(); i++) {
                xs[i] = windowEnd(counted.get(i)).toEpochMilli();
                rows[i] = counted.get(i).stored().rows();
            }
            List<Charts.Series> lines = List.of(new Charts.Series("rows", xs, rows, false));
            Charts.lines(m, "rows observed by window, all instances, " + counted.size() + " windows", lines,
                    "window end (UTC)", timeAxis(lines));
        }
        m.raw("<table class=\"list\" id=\"windows\">").th("window", "start", "end", "instances", "rows", "drift share",
                "verdict", "drifted columns", "report").raw("<tbody>\n");
        for (FleetWindow w : windows) {
            FleetDrift.StoredWindow st = w.stored();
            m.raw(w.problem().isPresent() ? "<tr class=\"damaged\">" : "<tr>").td(Long.toString(st.sequence()))
                    .td(st.start().map(Markup::time).orElse("–")).td(st.end().map(Markup::time).orElse("–"))
                    .td(st.parts().stream().map(FleetDrift.Part::instance).collect(Collectors.joining(", ")))
                    .td(Long.toString(st.rows()));
            if (w.report().isPresent()) {
                DriftReport d = w.report().get();
                m.tdNum(d.driftShare()).raw("<td><span class=\"" + (d.datasetDrift() ? "fail" : "pass") + "\">")
                        .text(d.datasetVerdict().toString()).raw("</span></td>").td(String.join(", ", d.driftedColumns()))
                        .raw("<td>").link("/drift/fleets/" + name + "/windows/" + st.sequence(), "report").raw("</td>");
            } else if (w.problem().isPresent()) {
                m.td("–").raw("<td><span class=\"fail\">damaged</span></td><td colspan=\"2\">").text(w.problem().get())
                        .raw("</td>");
            } else {
                m.td("–").td(profile.isPresent() ? "no rows" : "profile not stored").td("–").td("–");
            }
            m.raw("</tr>\n");
        }
        m.raw("</tbody></table>\n");
        Optional<String> older = before.size() > shown.size() ? Optional.of(Long.toString(shown.get(0))) : Optional.empty();
        m.pager("/drift/fleets/" + name + (size == PAGE ? "" : "?size=" + size), "to", older, to != Long.MAX_VALUE);
        return new Body(m.close(), false);
    }

    private static Instant windowEnd(FleetWindow w) {
        return w.stored().end().or(() -> w.stored().parts().stream().map(FleetDrift.Part::end).max(Comparator.naturalOrder()))
                .orElseThrow();
    }

    private static long parseSequence(String param, String value) {
        if (!value.matches("[0-9]{1,18}")) {
            throw new IllegalArgumentException(param + "=" + value + ": expected a window sequence (0 or more)");
        }
        return Long.parseLong(value);
    }

    /** A window's merged report, mlops-drift's own page. */
    Body fleetWindow(String name, String sequence) {
        Store s = fleetStore();
        long seq = parseSequence("window", sequence);
        FleetDrift.Stored fleet = FleetDrift.stored(s, name).orElseThrow(() -> new NotFoundException(
                "no fleet drift monitor " + name + " with a stored profile in " + mlops.describeStore()));
        ReferenceProfile profile = fleet.profile().orElseThrow(() -> new NotFoundException("fleet drift monitor " + name
                + ": profile not stored" + fleet.profileProblem().map(p -> " (" + p + ")").orElse("")
                + ", so its windows cannot be compared"));
        DriftReport report = FleetDrift.builder(s, name, profile).clock(mlops.clock()).build().merge(seq);
        return new Body(DriftReportHtml.render(report), true);
    }

    // ---------------------------------------------------------------- audit

    Body audit(Query q) {
        long from;
        try {
            from = Long.parseLong(q.first("from").orElse("1"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("from=" + q.first("from").orElse("") + ": expected a sequence number");
        }
        if (from < 1) {
            throw new IllegalArgumentException("from=" + from + ": expected a sequence number of 1 or more");
        }
        AuditVerification check = mlops.audit().verify();
        long size = mlops.audit().size();
        List<AuditEntry> entries = mlops.audit().entries(from, AUDIT_PAGE);
        Markup m = page("Audit log");
        m.raw("<p class=\"verification " + (check.ok() ? "pass" : "fail") + "\" id=\"verification\">")
                .text(check.ok() ? "Verified: the hash chain of " + check.entriesChecked() + " entries is intact."
                        : "NOT VERIFIED: " + check.detail() + check.firstBadSequence().stream()
                                .mapToObj(s -> " (first bad entry " + s + ")").collect(Collectors.joining()))
                .raw("</p>\n");
        if (entries.isEmpty()) {
            m.empty("No entries from " + from + " on (the log has " + size + ").");
        } else {
            m.raw("<table class=\"list\" id=\"audit\">").th("#", "time", "actor", "action", "target", "before", "after")
                    .raw("<tbody>\n");
            for (AuditEntry e : entries) {
                m.raw("<tr>").td(Long.toString(e.sequence())).td(Markup.time(e.time())).td(e.actor()).td(e.action())
                        .td(e.target()).td(fields(e.before())).td(fields(e.after())).raw("</tr>\n");
            }
            m.raw("</tbody></table>\n");
        }
        long last = entries.isEmpty() ? from : entries.get(entries.size() - 1).sequence();
        Optional<String> next = entries.size() == AUDIT_PAGE && last < size ? Optional.of(Long.toString(last + 1))
                : Optional.empty();
        m.pager("/audit", "from", next, from > 1);
        return new Body(m.close(), false);
    }

    private static String fields(Map<String, String> values) {
        return new TreeMap<>(values).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
