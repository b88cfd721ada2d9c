import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { readdirSync, readFileSync } from "fs";
import * as path from "path";
import { PROJECT_DIR } from "./bundle";

/** The schema's migrations, shipped beside the db-migrate bundle (its MIGRATIONS_DIR default). */
export const MIGRATIONS_DIR = "app/db/migrations";

/** Digest of every migration file's name and content: changes exactly when the schema should. */
export function migrationsDigest(dir = path.join(PROJECT_DIR, MIGRATIONS_DIR)): string {
    const hash = createHash("sha256");
    for (const file of readdirSync(dir)
        .filter((f) => f.endsWith(".sql"))
        .sort()) {
        hash.update(`\0${file}\0`).update(readFileSync(path.join(dir, file)));
    }
    return hash.digest("hex");
}

/**
 * Runs the migrations during the deployment: the db-migrate function is invoked (synchronously)
 * when this resource is created, and again whenever the migrations change (the trigger replaces
 * it). A failed migration fails the invocation and stops the deployment before the functions that
 * use the schema are updated (they depend on this). `after` holds what must exist first: the
 * database with its instances and the network path the function uses (the function itself waits
 * only for its subnets, security groups and egress rules; its routes, gateways and endpoints are
 * the network's).
 */
export function runMigrations(
    name: string,
    migrator: aws.lambda.Function,
    after: pulumi.Resource[],
    parent: pulumi.Resource,
): aws.lambda.Invocation {
    return new aws.lambda.Invocation(
        name,
        {
            functionName: migrator.name,
            input: JSON.stringify({ source: "deployment" }),
            triggers: { migrations: migrationsDigest() },
        },
        { parent, dependsOn: after },
    );
}
