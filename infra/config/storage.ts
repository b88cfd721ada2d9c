import { ConfigReader } from "./reader";

/** The ages (days without access) after which EFS can move a file to Infrequent Access. */
export const EFS_IA_AGES = [1, 7, 14, 30, 60, 90, 180, 270, 365] as const;

export interface StorageConfig {
    /** One POSIX access point (and root directory) per purpose, e.g. "product-media". */
    accessPoints: string[];
    /** Days without access before a file moves to Infrequent Access (one of EFS_IA_AGES). */
    transitionToIaDays: number;
}

/** Lower-case words joined by hyphens: used in directory paths, resource names and tags. */
const PURPOSE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const MAX_PURPOSE_LENGTH = 32;

export function readStorageConfig(r: ConfigReader): StorageConfig {
    r.section("storage", ["accessPoints", "transitionToIaDays"]);
    const accessPoints = r.stringList("storage.accessPoints", {
        default: ["product-media"],
        minItems: 1,
        unique: true,
        check: (purpose) =>
            PURPOSE.test(purpose) && purpose.length <= MAX_PURPOSE_LENGTH
                ? undefined
                : `is not a purpose name (lower-case words joined by hyphens, at most ${MAX_PURPOSE_LENGTH} characters)`,
        fix: "list the purposes that need a directory of their own",
        example: '["product-media"]',
    });
    const transitionToIaDays = r.integer("storage.transitionToIaDays", { min: 1, max: 365, default: 30 });
    if (!(EFS_IA_AGES as readonly number[]).includes(transitionToIaDays)) {
        r.problem(
            "storage.transitionToIaDays",
            transitionToIaDays,
            "is not an age EFS lifecycle management offers",
            r.fixWith("storage.transitionToIaDays", `use one of ${EFS_IA_AGES.join(", ")}`, "30"),
        );
    }
    return { accessPoints, transitionToIaDays };
}
