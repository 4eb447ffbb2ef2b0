package dev.mlops.registry.tck.process;

import dev.mlops.api.Artifact;
import dev.mlops.api.GarbageCollection;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.core.Mlops;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A child JVM of {@link ConcurrencyKit}'s garbage-collection test. Arguments: the store's
 * ({@link StoreConfig#toArgs()}), then a mode and its arguments:
 * <ul>
 *   <li>{@code register <model> <seed> <count> <workDir>}: registers {@code count} versions, each a
 *       directory of three generated files plus {@link #recycled(long, int) recycled} content that
 *       the parent left as garbage, and an attachment; prints {@code CREATED <model> <version>} after
 *       each returned;</li>
 *   <li>{@code collect <stopFile>}: collects garbage with no grace period, again and again, until
 *       the stop file exists; prints {@code COLLECTED <runs> <deleted>}.</li>
 * </ul>
 * Prints {@code ERROR ...} and exits 1 on an unexpected failure, {@code DONE} at the end.
 */
public final class CollectionRaceWorker {
    private CollectionRaceWorker() {
    }

    /**
     * @param seed a registering worker's seed
     * @param iteration its registration
     * @return the content of a blob the parent stored as garbage and this registration stores again
     */
    public static byte[] recycled(long seed, int iteration) {
        return ("recycled " + seed + "/" + iteration).getBytes(StandardCharsets.UTF_8);
    }

    /** @param args the store's arguments, then the mode's */
    public static void main(String[] args) {
        StoreConfig config = StoreConfig.fromArgs(args);
        String[] rest = StoreConfig.rest(args);
        try (Mlops mlops = Mlops.builder().store(config.open()).actor("race-" + rest[0]).build()) {
            if (rest[0].equals("collect")) {
                Path stop = Path.of(rest[1]);
                long runs = 0;
                long deleted = 0;
                while (!Files.exists(stop) || runs < 3) {
                    GarbageCollection gc = mlops.collectGarbage(Duration.ZERO, Duration.ofMinutes(5));
                    deleted += gc.blobsDeleted();
                    runs++;
                }
                RegistrationWorker.emit("COLLECTED " + runs + " " + deleted);
            } else {
                String model = rest[1];
                long seed = Long.parseLong(rest[2]);
                int count = Integer.parseInt(rest[3]);
                Path work = Path.of(rest[4]);
                for (int i = 0; i < count; i++) {
                    Path dir = Files.createDirectories(work.resolve("r" + i));
                    for (int f = 0; f < 3; f++) {
                        Files.write(dir.resolve("part-" + f + ".bin"), Payloads.bytes(seed * 31 + f, i, 64 * 1024));
                    }
                    Files.write(dir.resolve("recycled.bin"), recycled(seed, i));
                    ModelVersion v = mlops.models().register(model, NewModelVersion.builder()
                            .artifact(Artifact.directory(dir))
                            .attachment("notes", ("notes " + seed + "/" + i).getBytes(StandardCharsets.UTF_8)).build());
                    RegistrationWorker.emit("CREATED " + model + " " + v.number());
                }
            }
            RegistrationWorker.emit("DONE");
        } catch (Exception | Error e) {
            StringWriter sw = new StringWriter();
            e.printStackTrace(new PrintWriter(sw));
            RegistrationWorker.emit("ERROR " + sw.toString().replace('\n', '|'));
            System.exit(1);
        }
    }
}
