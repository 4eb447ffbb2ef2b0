package dev.mlops.examples;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * Unpacks ONNX Runtime's native libraries into a directory the application chose and points
 * ONNX Runtime at it (its {@code onnxruntime.native.path} property). Left to itself, ONNX Runtime
 * unpacks them into a fresh directory under {@code java.io.tmpdir} and leaves that directory
 * behind, emptied, at exit; the demo writes only into its output folder.
 */
final class OnnxRuntimeNatives {
    private OnnxRuntimeNatives() {
    }

    /**
     * Must run before the first use of ONNX Runtime.
     *
     * @param dir an existing directory
     * @return false, changing nothing, when the jar has no libraries for this platform (ONNX
     *     Runtime then does as it always does)
     * @throws IOException if a library cannot be written
     */
    static boolean unpackTo(Path dir) throws IOException {
        String platform = platform();
        if (platform == null) {
            return false;
        }
        String base = "/ai/onnxruntime/native/" + platform + "/";
        for (String lib : List.of("onnxruntime", "onnxruntime4j_jni", "onnxruntime_providers_shared")) {
            String file = System.mapLibraryName(lib);
            try (InputStream in = OrtEnvironment.class.getResourceAsStream(base + file)) {
                if (in == null) {
                    if (lib.equals("onnxruntime_providers_shared")) {
                        continue; // shipped for Windows only
                    }
                    return false;
                }
                Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        System.setProperty("onnxruntime.native.path", dir.toString());
        return true;
    }

    /** ONNX Runtime's name for this platform's folder in its jar, or null if it ships none. */
    private static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.contains("linux") ? "linux" : os.contains("mac") || os.contains("darwin") ? "osx"
                : os.contains("win") ? "win" : null;
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x64"
                : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : null;
        return o == null || a == null ? null : o + "-" + a;
    }
}
