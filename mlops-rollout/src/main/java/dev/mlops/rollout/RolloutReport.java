package dev.mlops.rollout;

import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.Store;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything stored about one rollout, read without taking part in it (a CLI, a dashboard): its
 * state, the policy it was started with, the recorded looks and the arms summed over every
 * instance's last publication. Reading changes nothing.
 *
 * @param state the state
 * @param policy the policy it was started with
 * @param looks the recorded looks, oldest first
 * @param control the control's fleet-wide statistics
 * @param candidate the candidate's fleet-wide statistics
 * @param instances how many instances have published statistics
 */
public record RolloutReport(RolloutState state, RolloutPolicy policy, List<RolloutLook> looks, ArmStats control,
                            ArmStats candidate, int instances) {

    /** Copies. */
    public RolloutReport {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(candidate, "candidate");
        looks = List.copyOf(looks);
    }

    /**
     * @param store the store the rollout lives in
     * @param name the rollout's name
     * @return the report, or empty when no rollout of that name was started
     * @throws ValidationException if a stored document is invalid, or the policy is missing
     */
    public static Optional<RolloutReport> read(Store store, String name) {
        Objects.requireNonNull(store, "store");
        Names.requireValid(Names.Kind.KEY_SEGMENT, Objects.requireNonNull(name, "name"));
        Optional<Document> state = store.read(Rollout.stateKey(name));
        if (state.isEmpty()) {
            return Optional.empty();
        }
        RolloutState s = RolloutDocuments.readState(state.get().content(), state.get().key().toString());
        Document policy = store.read(Rollout.policyKey(name)).orElseThrow(() -> new ValidationException(
                "rollout " + Names.quote(name) + " has a state but no policy document " + Rollout.policyKey(name)));
        RolloutPolicy p = RolloutDocuments.readPolicy(policy.content(), name, policy.key().toString());
        List<RolloutLook> looks = store.read(Rollout.looksKey(name))
                .map(d -> RolloutDocuments.readLooks(d.content(), name, d.key().toString())).orElse(List.of());
        Rollout.Fleet fleet = Rollout.fleet(store, name);
        return Optional.of(new RolloutReport(s, p, looks, fleet.control(), fleet.candidate(), fleet.instances()));
    }

    /** @return the candidate's traffic share now */
    public double candidateShare() {
        return state.candidateShare(policy);
    }
}
