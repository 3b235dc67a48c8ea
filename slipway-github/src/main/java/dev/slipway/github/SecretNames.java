package dev.slipway.github;

import dev.slipway.core.spec.ConfigValue;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The environment variables slipway.yml references as {@code ${env:NAME}}: a workflow passes them from secrets. */
final class SecretNames {
    // the same syntax as ConfigValue's references, which core does not expose
    private static final Pattern REF = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private SecretNames() {
    }

    /** Those a run of {@code stages} needs, sorted; names GitHub reserves for itself ({@code GITHUB_*}) are left out. */
    static Set<String> of(SlipwaySpec spec, List<StageSpec> stages) {
        List<ConfigValue> values = new ArrayList<>(spec.build().args().values());
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
        values.stream().filter(Objects::nonNull).forEach(v -> {
            Matcher m = REF.matcher(v.template());
            while (m.find()) {
                names.add(m.group(1));
            }
        });
        names.removeIf(n -> n.startsWith("GITHUB_"));
        return names;
    }
}
