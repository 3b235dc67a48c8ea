package dev.slipway.aws;

import java.util.Optional;

/**
 * The repository that holds a stage's images (its ECR repository, or that name on the {@code ecs.registry} override):
 * what the build step asks before it builds, so one commit gives one image.
 */
interface StageImages {
    /** The repository as an image reference without tag or digest ({@code 1234.dkr.ecr.eu-west-1.amazonaws.com/app}). */
    String reference();

    /** Whether the repository holds a manifest with this digest ({@code sha256:…}). */
    boolean has(String digest);

    /** The digest the tag points at, if the repository has the tag. */
    Optional<String> digestOf(String tag);
}
