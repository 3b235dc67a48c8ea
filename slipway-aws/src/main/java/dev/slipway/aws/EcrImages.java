package dev.slipway.aws;

import java.util.Optional;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.Repository;

/** A stage's images in its ECR repository, looked up with DescribeImages. */
final class EcrImages implements StageImages {
    private final EcrClient ecr;
    private final Repository repository;

    EcrImages(EcrClient ecr, Repository repository) {
        this.ecr = ecr;
        this.repository = repository;
    }

    @Override
    public String reference() {
        return repository.repositoryUri();
    }

    @Override
    public boolean has(String digest) {
        return find(ImageIdentifier.builder().imageDigest(digest).build(), "@" + digest).isPresent();
    }

    @Override
    public Optional<String> digestOf(String tag) {
        return find(ImageIdentifier.builder().imageTag(tag).build(), ":" + tag);
    }

    private Optional<String> find(ImageIdentifier id, String what) {
        String name = repository.repositoryName();
        return AwsCalls.callOrMissing("DescribeImages " + name + what, () -> ecr.describeImages(b -> b
                        .repositoryName(name).registryId(repository.registryId()).imageIds(id)).imageDetails(),
                ImageNotFoundException.class).flatMap(details -> details.stream().findFirst()).map(d -> d.imageDigest());
    }
}
