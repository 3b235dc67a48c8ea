package dev.slipway.github;

import dev.slipway.core.spec.ConfigValue;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The environment variables slipway.yml references as {@code ${env:NAME}}: a workflow passes them from secrets. */
final class SecretNames {
    private SecretNames() {
    }

    /** Those a run of {@code stages} needs, sorted; names GitHub reserves for itself ({@code GITHUB_*}) are left out. */
    static Set<String> of(SlipwaySpec spec, List<StageSpec> stages) {
        List<ConfigValue> values = new ArrayList<>(spec.build().args().values());
        values.addAll(spec.build().secrets().values());
        if (spec.migrations() != null) {
            values.addAll(spec.migrations().argv());
        }
        if (spec.state() != null) {
            Stream.of(spec.state().url(), spec.state().user(), spec.state().password()).forEach(values::add);
        }
        for (StageSpec stage : stages) {
            values.addAll(stage.environment().values());
            values.add(stage.redisUrl());
            if (stage.database() != null) {
                Stream.of(stage.database().url(), stage.database().user(), stage.database().password()).forEach(values::add);
            }
        }
        Set<String> names = new TreeSet<>();
        values.stream().filter(Objects::nonNull).forEach(v -> names.addAll(v.references()));
        names.removeIf(n -> n.startsWith("GITHUB_"));
        return names;
    }
}
