import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Untagged images (superseded manifests, interrupted pushes) are kept this long. */
export const UNTAGGED_IMAGE_DAYS = 7;
/** Rollbacks can go back this many builds; older images are deleted. */
export const RETAINED_IMAGES = 50;

/** ECR repository names: lower-case path components joined by "/", 2-256 characters. */
export const REPOSITORY_NAME = /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/**
 * ECR evaluates rules by priority and a `tagStatus: any` rule must come last. Untagged images go
 * after a week; of the rest, the newest RETAINED_IMAGES stay. A running image is never the
 * oldest of that many unless the service has not been deployed for that many builds.
 */
export function lifecyclePolicy() {
    return {
        rules: [
            {
                rulePriority: 1,
                description: `Expire untagged images after ${UNTAGGED_IMAGE_DAYS} days`,
                selection: {
                    tagStatus: "untagged",
                    countType: "sinceImagePushed",
                    countUnit: "days",
                    countNumber: UNTAGGED_IMAGE_DAYS,
                },
                action: { type: "expire" },
            },
            {
                rulePriority: 2,
                description: `Keep the ${RETAINED_IMAGES} most recent images`,
                selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: RETAINED_IMAGES },
                action: { type: "expire" },
            },
        ],
    };
}

export interface ImageRepositoryArgs {
    repositoryName: string;
    /** Images are encrypted with it; ECR uses it through grants (the key policy admits ECR). */
    kmsKeyArn: pulumi.Input<string>;
    /** Let `pulumi destroy` delete a repository that still holds images (dev only). */
    forceDelete: boolean;
}

/**
 * A service's private image repository: tags are immutable (a tag always names the image that was
 * tested), every push is scanned for vulnerabilities, images are encrypted with our key, and a
 * lifecycle policy bounds what is kept.
 */
export function imageRepository(name: string, args: ImageRepositoryArgs, parent: pulumi.Resource): aws.ecr.Repository {
    const repository = new aws.ecr.Repository(
        name,
        {
            name: args.repositoryName,
            imageTagMutability: "IMMUTABLE",
            imageScanningConfiguration: { scanOnPush: true },
            // Fixed when the repository is created: a different key replaces it.
            encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
            forceDelete: args.forceDelete,
            tags: { Name: args.repositoryName },
        },
        { parent },
    );
    new aws.ecr.LifecyclePolicy(
        name,
        {
            repository: repository.name,
            policy: JSON.stringify(lifecyclePolicy()),
        },
        { parent },
    );
    return repository;
}
