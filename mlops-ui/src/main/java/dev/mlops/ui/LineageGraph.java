package dev.mlops.ui;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lineage of a page of model versions as a server-rendered SVG graph, read left to right:
 * dataset versions, the runs that read them, the model versions registered (from a run, or
 * straight from the data), and each retrain as an arc from the version it was retrained from.
 * Every node links to its page.
 */
final class LineageGraph {
    static final int COLUMN_WIDTH = 230;
    static final int GAP = 70;
    static final int ROW = 30;
    static final int NODE_HEIGHT = 22;

    /** One box: its column (0 datasets, 1 runs, 2 versions), label and link. */
    record Node(int column, String label, String href) {
    }

    /** An edge; {@code retrain} edges join two versions. */
    record Edge(String from, String to, boolean retrain) {
    }

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final List<Edge> edges = new ArrayList<>();

    void node(String id, int column, String label, String href) {
        nodes.putIfAbsent(id, new Node(column, label, href));
    }

    void edge(String from, String to, boolean retrain) {
        Edge e = new Edge(from, to, retrain);
        if (!edges.contains(e)) {
            edges.add(e);
        }
    }

    int nodeCount() {
        return nodes.size();
    }

    List<Edge> edges() {
        return edges;
    }

    void draw(Markup m, String label) {
        Map<String, double[]> at = new LinkedHashMap<>();
        int[] rows = new int[3];
        for (Map.Entry<String, Node> e : nodes.entrySet()) {
            int c = e.getValue().column();
            at.put(e.getKey(), new double[] {10 + c * (COLUMN_WIDTH + GAP), 34 + rows[c]++ * ROW});
        }
        int height = 34 + Math.max(1, Math.max(rows[0], Math.max(rows[1], rows[2]))) * ROW + 10;
        int width = 10 + 3 * COLUMN_WIDTH + 2 * GAP + 60;
        m.raw("<figure class=\"graph\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lineage\" width=\"" + width
                + "\" height=\"" + height + "\" viewBox=\"0 0 " + width + " " + height + "\" role=\"img\" aria-label=\"")
                .attr(label).raw("\">\n");
        String[] heads = {"datasets", "runs", "model versions"};
        for (int c = 0; c < 3; c++) {
            m.raw("<text class=\"column-head\" x=\"" + (10 + c * (COLUMN_WIDTH + GAP)) + "\" y=\"18\">").text(heads[c])
                    .raw("</text>\n");
        }
        for (Edge e : edges) {
            double[] a = at.get(e.from());
            double[] b = at.get(e.to());
            if (a == null || b == null) {
                continue;
            }
            String d;
            if (e.retrain()) {
                // an arc on the right of the versions' column
                double x = a[0] + COLUMN_WIDTH;
                double ya = a[1] + NODE_HEIGHT / 2.0;
                double yb = b[1] + NODE_HEIGHT / 2.0;
                d = "M" + Charts.f(x) + "," + Charts.f(ya) + " C" + Charts.f(x + 50) + "," + Charts.f(ya) + " "
                        + Charts.f(x + 50) + "," + Charts.f(yb) + " " + Charts.f(x) + "," + Charts.f(yb);
            } else {
                double x1 = a[0] + COLUMN_WIDTH;
                double y1 = a[1] + NODE_HEIGHT / 2.0;
                double x2 = b[0];
                double y2 = b[1] + NODE_HEIGHT / 2.0;
                double mid = (x1 + x2) / 2;
                d = "M" + Charts.f(x1) + "," + Charts.f(y1) + " C" + Charts.f(mid) + "," + Charts.f(y1) + " "
                        + Charts.f(mid) + "," + Charts.f(y2) + " " + Charts.f(x2) + "," + Charts.f(y2);
            }
            m.raw("<path class=\"" + (e.retrain() ? "edge retrain" : "edge") + "\" fill=\"none\" d=\"" + d + "\"></path>\n");
        }
        for (Map.Entry<String, Node> e : nodes.entrySet()) {
            Node n = e.getValue();
            double[] p = at.get(e.getKey());
            m.raw("<a href=\"").attr(n.href()).raw("\"><rect class=\"node c" + n.column() + "\" x=\"" + Charts.f(p[0])
                    + "\" y=\"" + Charts.f(p[1]) + "\" width=\"" + COLUMN_WIDTH + "\" height=\"" + NODE_HEIGHT
                    + "\" rx=\"4\"></rect><text class=\"node-label\" x=\"" + Charts.f(p[0] + 8) + "\" y=\""
                    + Charts.f(p[1] + 15) + "\">").text(clip(n.label())).raw("</text></a>\n");
        }
        m.raw("</svg>\n<figcaption>").text(label).raw("</figcaption>\n</figure>\n");
    }

    /** Labels are cut to fit their box; the node's page shows the whole text. */
    static String clip(String s) {
        return s.codePointCount(0, s.length()) <= 32 ? s : s.substring(0, s.offsetByCodePoints(0, 31)) + "…";
    }
}
