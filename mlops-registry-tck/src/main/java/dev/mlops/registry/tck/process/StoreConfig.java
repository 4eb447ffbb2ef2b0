package dev.mlops.registry.tck.process;

import dev.mlops.api.store.Store;
import dev.mlops.api.store.Stores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A store as a child JVM can open it: a child cannot receive a Java object, only arguments, so
 * the process kits describe the store under test by the name of its provider and the settings
 * {@link Stores#open(String, Map)} takes ({@code fs}: {@code path}; {@code postgres}:
 * {@code url}, {@code user}, {@code password}).
 *
 * @param provider the provider's name
 * @param settings the provider's settings
 */
public record StoreConfig(String provider, Map<String, String> settings) {

    /** Checks and copies the arguments. */
    public StoreConfig {
        Objects.requireNonNull(provider, "provider");
        settings = Map.copyOf(new LinkedHashMap<>(Objects.requireNonNull(settings, "settings")));
        for (String key : settings.keySet()) {
            if (key.contains("=")) {
                throw new IllegalArgumentException("setting name \"" + key + "\" contains '='; expected a plain name");
            }
        }
    }

    /**
     * @param key a setting's name
     * @param value its new value
     * @return this configuration with one setting replaced or added
     */
    public StoreConfig with(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(settings);
        copy.put(key, value);
        return new StoreConfig(provider, copy);
    }

    /** @return a new connection to the store, through the provider */
    public Store open() {
        return Stores.open(provider, settings);
    }

    /**
     * @return the arguments that {@link #fromArgs(String[])} reads back: the provider, the number
     *     of settings, then one {@code name=value} per setting
     */
    public List<String> toArgs() {
        List<String> args = new ArrayList<>();
        args.add(provider);
        args.add(Integer.toString(settings.size()));
        settings.forEach((k, v) -> args.add(k + "=" + v));
        return args;
    }

    /**
     * @param args a child's arguments, starting with those {@link #toArgs()} made
     * @return the store they name
     */
    public static StoreConfig fromArgs(String[] args) {
        int n = Integer.parseInt(args[1]);
        Map<String, String> settings = new LinkedHashMap<>();
        for (String s : Arrays.copyOfRange(args, 2, 2 + n)) {
            int eq = s.indexOf('=');
            settings.put(s.substring(0, eq), s.substring(eq + 1));
        }
        return new StoreConfig(args[0], settings);
    }

    /**
     * @param args a child's arguments, starting with those {@link #toArgs()} made
     * @return the arguments after the store's
     */
    public static String[] rest(String[] args) {
        return Arrays.copyOfRange(args, 2 + Integer.parseInt(args[1]), args.length);
    }

    /**
     * @param extra arguments after the store's
     * @return {@link #toArgs()} followed by {@code extra}
     */
    public String[] args(String... extra) {
        List<String> all = toArgs();
        all.addAll(List.of(extra));
        return all.toArray(String[]::new);
    }
}
