package dev.slipway.cli;

import dev.slipway.core.engine.Sources;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.target.TargetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A run's source from git objects: {@code git archive} of the run's commit, unpacked once per commit under
 * {@code .slipway/src/<commit>/} and renamed into place whole, so an image labelled with commit X always holds X's
 * tree, whatever the checkout of the process that drives the run holds. The commit is read from this checkout's
 * repository, else from the requester's ({@link RunRecord#origin()}).
 */
final class GitSources implements Sources {
    private static final int KEEP = 3;

    @Override
    public Path sourceDir(RunRecord run, SlipwaySpec spec) {
        Path base = spec.baseDir().toAbsolutePath().normalize();
        Optional<Git.Repo> own = Git.repo(base);
        Git.Repo repo = own.filter(r -> r.hasCommit(run.commit()))
                .or(() -> Optional.ofNullable(run.origin()).flatMap(Git::repoAt).filter(r -> r.hasCommit(run.commit())))
                .orElseThrow(() -> TargetException.permanent("commit " + run.commit() + " is not in "
                        + own.map(r -> "the repository at " + r.top()).orElse(base + " (not a git checkout)")
                        + (run.origin() == null ? "" : " nor in the requester's (" + run.origin() + ")")
                        + ": fetch it there (git fetch origin " + run.commit() + ") and deploy again"));
        Path relative = own.map(r -> r.top().relativize(base)).orElse(Path.of(""));
        Path root = base.resolve(dev.slipway.core.WorkDir.NAME).resolve("src");
        Path tree = root.resolve(run.commit());
        if (!Files.isDirectory(tree)) {
            unpack(repo, run.commit(), root, tree);
        }
        return tree.resolve(relative).normalize();
    }

    /**
     * What changed under the spec's directory between {@code from} and {@code to}, paths relative to that directory,
     * read from the repository the spec is in. Empty when there is none or it lacks one of the commits: the engine
     * then cannot tell which migrations are pending and treats them as breaking.
     */
    @Override
    public Optional<List<String>> changes(SlipwaySpec spec, String from, String to) {
        Path base = spec.baseDir().toAbsolutePath().normalize();
        Optional<Git.Repo> own = Git.repo(base).filter(r -> r.hasCommit(to) && (from == null || r.hasCommit(from)));
        if (own.isEmpty()) {
            return Optional.empty();
        }
        Path top = own.get().top().toAbsolutePath().normalize();
        String under = top.relativize(base).toString().replace('\\', '/');
        String prefix = under.isEmpty() ? "" : under + "/";
        return own.get().nameStatus(from, to, under).map(lines -> lines.stream().map(line -> {
            String[] f = line.split("\t");
            StringBuilder out = new StringBuilder(f[0]);
            for (int i = 1; i < f.length; i++) {
                out.append('\t').append(f[i].startsWith(prefix) ? f[i].substring(prefix.length()) : f[i]);
            }
            return out.toString();
        }).toList());
    }

    /** The commit's whole tree (not the spec's directory): promotion deploys a commit with the very same tree only. */
    @Override
    public Optional<String> tree(SlipwaySpec spec, String commit, String origin) {
        return Git.repo(spec.baseDir().toAbsolutePath().normalize()).flatMap(r -> r.tree(commit))
                .or(() -> Optional.ofNullable(origin).flatMap(Git::repoAt).flatMap(r -> r.tree(commit)));
    }

    private static void unpack(Git.Repo repo, String commit, Path root, Path tree) {
        Path partial = root.resolve(commit + ".partial-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            dev.slipway.core.WorkDir.prepare(partial);
            repo.archiveInto(commit, partial);
            try {
                Files.move(partial, tree, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isDirectory(tree)) { // else another process unpacked the same commit first: same bytes
                    throw e;
                }
            }
            prune(root, tree);
        } catch (IOException e) {
            throw TargetException.permanent("cannot unpack commit " + commit + " into " + tree + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(partial);
        }
    }

    /** Keeps the newest few unpacked commits; older ones are made again from git when needed. */
    private static void prune(Path root, Path keep) throws IOException {
        List<Path> trees;
        try (Stream<Path> all = Files.list(root)) {
            trees = new ArrayList<>(all.filter(p -> !p.getFileName().toString().contains(".partial-")).toList());
        }
        trees.sort(Comparator.comparing((Path p) -> p.toFile().lastModified()).reversed());
        for (Path old : trees.subList(Math.min(KEEP, trees.size()), trees.size())) {
            if (!old.equals(keep)) {
                deleteQuietly(old);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // a leftover directory is harmless: it is never used as a source
        }
    }
}
