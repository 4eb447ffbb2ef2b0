package dev.mlops.rollout;

/** {@link RolloutFleetKit} on one filesystem store: four JVMs share a directory. */
class RolloutFleetProcessesTest extends RolloutFleetKit {

    @Override
    String storeSpec() {
        return "fs:" + dir;
    }
}
